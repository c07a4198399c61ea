/**
 * Deterministic ustar framing for WebDataset shards: fixed mode, owner and mtime, so the same files always
 * make byte-identical shards (a re-run after a crash must match a clean run), and plain `tar` reads them.
 */

export const TAR_BLOCK = 512;
/** Two zero blocks end an archive. */
export const TAR_END = new Uint8Array(TAR_BLOCK * 2);

const encoder = new TextEncoder();
const USTAR_MAGIC = encoder.encode("ustar\u000000");

export function tarHeader(name: string, size: number, mtimeSeconds = 0): Uint8Array {
  const nameBytes = encoder.encode(name);
  if (nameBytes.length > 100) throw new RangeError(`tar member name longer than 100 bytes: ${name}`);
  if (!Number.isSafeInteger(size) || size < 0 || size >= 8 ** 11) throw new RangeError(`bad tar member size ${size}`);
  const header = new Uint8Array(TAR_BLOCK);
  header.set(nameBytes, 0);
  writeOctal(header, 100, 8, 0o644);
  writeOctal(header, 108, 8, 0);
  writeOctal(header, 116, 8, 0);
  writeOctal(header, 124, 12, size);
  writeOctal(header, 136, 12, mtimeSeconds);
  header.fill(0x20, 148, 156); // checksum is computed with its own field as spaces
  header[156] = 0x30; // '0': regular file
  header.set(USTAR_MAGIC, 257);
  let sum = 0;
  for (const byte of header) sum += byte;
  writeOctal(header, 148, 7, sum);
  header[155] = 0x20;
  return header;
}

/** Zero bytes that pad a member of `size` bytes to a whole block. */
export function tarPadding(size: number): Uint8Array {
  const rest = size % TAR_BLOCK;
  return new Uint8Array(rest === 0 ? 0 : TAR_BLOCK - rest);
}

export function tarMemberSize(size: number): number {
  return TAR_BLOCK + Math.ceil(size / TAR_BLOCK) * TAR_BLOCK;
}

function writeOctal(target: Uint8Array, offset: number, width: number, value: number): void {
  const text = value.toString(8).padStart(width - 1, "0");
  for (let i = 0; i < text.length; i++) target[offset + i] = text.charCodeAt(i);
  target[offset + width - 1] = 0;
}
