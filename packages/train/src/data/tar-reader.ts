/**
 * A streaming reader for ustar/pax/GNU tar, enough for WebDataset shards: it holds one entry in memory at a
 * time (WebDataset entries are single images), never the whole archive.
 */
export interface TarEntry {
  name: string;
  /** "0" regular file, "5" directory, ...; only regular files are yielded. */
  type: string;
  data: Buffer;
}

const BLOCK = 512;

function readString(block: Buffer, offset: number, length: number): string {
  const slice = block.subarray(offset, offset + length);
  const end = slice.indexOf(0);
  return slice.subarray(0, end === -1 ? slice.length : end).toString("utf8");
}

function readOctal(block: Buffer, offset: number, length: number): number {
  const field = block.subarray(offset, offset + length);
  // GNU base-256 encoding for sizes ≥ 8 GiB: high bit of the first byte set.
  if (((field[0] ?? 0) & 0x80) !== 0) {
    let value = (field[0] ?? 0) & 0x7f;
    for (let i = 1; i < field.length; i++) value = value * 256 + (field[i] ?? 0);
    return value;
  }
  const text = readString(block, offset, length).trim();
  return text === "" ? 0 : Number.parseInt(text, 8);
}

function verifyChecksum(header: Buffer): void {
  const stored = readOctal(header, 148, 8);
  let sum = 0;
  for (let i = 0; i < BLOCK; i++) sum += i >= 148 && i < 156 ? 32 : (header[i] ?? 0);
  if (sum !== stored) throw new Error(`tar: bad header checksum (stored ${stored}, computed ${sum})`);
}

/** Parses a pax extended header body ("<len> key=value\n" records). */
function parsePax(data: Buffer): Record<string, string> {
  const out: Record<string, string> = {};
  let pos = 0;
  while (pos < data.length) {
    const space = data.indexOf(0x20, pos);
    if (space === -1) break;
    const len = Number.parseInt(data.subarray(pos, space).toString("ascii"), 10);
    if (!Number.isFinite(len) || len <= 0) break;
    const record = data.subarray(space + 1, pos + len - 1).toString("utf8");
    const eq = record.indexOf("=");
    if (eq > 0) out[record.slice(0, eq)] = record.slice(eq + 1);
    pos += len;
  }
  return out;
}

/** Pulls exact byte counts out of a chunked stream. */
class ByteQueue {
  private chunks: Buffer[] = [];
  private length = 0;
  private done = false;
  constructor(private readonly source: AsyncIterator<Uint8Array>) {}

  private async fill(n: number): Promise<boolean> {
    while (this.length < n && !this.done) {
      const next = await this.source.next();
      if (next.done) this.done = true;
      else {
        const chunk = Buffer.from(next.value.buffer, next.value.byteOffset, next.value.byteLength);
        this.chunks.push(chunk);
        this.length += chunk.length;
      }
    }
    return this.length >= n;
  }

  /** Exactly n bytes, or null at a clean end of stream (no bytes left). */
  async take(n: number): Promise<Buffer | null> {
    if (!(await this.fill(n))) {
      if (this.length === 0) return null;
      throw new Error(`tar: truncated archive (wanted ${n} bytes, ${this.length} left)`);
    }
    const all = this.chunks.length === 1 ? (this.chunks[0] as Buffer) : Buffer.concat(this.chunks, this.length);
    const out = Buffer.from(all.subarray(0, n)); // copy: callers keep entries after the stream moves on
    const rest = all.subarray(n);
    this.chunks = rest.length > 0 ? [rest] : [];
    this.length = rest.length;
    return out;
  }

  async skip(n: number): Promise<void> {
    if (n > 0 && (await this.take(n)) === null) throw new Error("tar: truncated archive");
  }
}

export async function* readTar(stream: AsyncIterable<Uint8Array>): AsyncGenerator<TarEntry> {
  const queue = new ByteQueue(stream[Symbol.asyncIterator]());
  let pendingName: string | null = null; // from a pax "path" or GNU "L" long-name entry
  for (;;) {
    const header = await queue.take(BLOCK);
    if (header === null) return;
    if (header.every((b) => b === 0)) return; // end-of-archive marker (two zero blocks; one is enough to stop)
    verifyChecksum(header);
    const size = readOctal(header, 124, 12);
    const type = readString(header, 156, 1) || "0";
    const magic = readString(header, 257, 6);
    let name = readString(header, 0, 100);
    const prefix = magic.startsWith("ustar") ? readString(header, 345, 155) : "";
    if (prefix) name = `${prefix}/${name}`;
    const data = size > 0 ? await queue.take(size) : Buffer.alloc(0);
    if (data === null) throw new Error("tar: truncated archive");
    await queue.skip((BLOCK - (size % BLOCK)) % BLOCK);

    if (type === "x") {
      pendingName = parsePax(data).path ?? pendingName;
      continue;
    }
    if (type === "L") {
      pendingName = data.toString("utf8").replace(/\0+$/, "");
      continue;
    }
    if (type === "g") continue; // global pax header: nothing WebDataset needs
    if (pendingName !== null) {
      name = pendingName;
      pendingName = null;
    }
    if (type === "0" || type === "\0") yield { name, type: "0", data };
  }
}
