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
  const header = new Uint8Array(TAR_BLOCK);
  writeTarHeader(header, 0, name, size, mtimeSeconds);
  return header;
}

/**
 * tarHeader's bytes written into `target` at `offset` (which must hold 512 zero-or-garbage bytes: all of them
 * are overwritten). Shards write headers straight into their output chunk: at CIFAR's ~1 KB images one
 * header per member is the main per-file cost (helper-measured ~5 µs each with an allocation and a 512-byte
 * sum; the fixed fields' sum is computed once here).
 */
export function writeTarHeader(target: Uint8Array, offset: number, name: string, size: number, mtimeSeconds = 0): void {
  if (!Number.isSafeInteger(size) || size < 0 || size >= 8 ** 11) throw new RangeError(`bad tar member size ${size}`);
  const template = mtimeSeconds === 0 ? HEADER_TEMPLATE : headerTemplate(mtimeSeconds);
  target.set(template, offset);
  // Names are ASCII in shards (hex keys); anything else goes through the encoder.
  let sum = mtimeSeconds === 0 ? TEMPLATE_SUM : templateSum(template);
  let ascii = name.length <= 100;
  for (let i = 0; ascii && i < name.length; i++) if (name.charCodeAt(i) > 0x7f) ascii = false;
  if (ascii) {
    for (let i = 0; i < name.length; i++) {
      const code = name.charCodeAt(i);
      target[offset + i] = code;
      sum += code;
    }
  } else {
    const nameBytes = encoder.encode(name);
    if (nameBytes.length > 100) throw new RangeError(`tar member name longer than 100 bytes: ${name}`);
    target.set(nameBytes, offset);
    for (const byte of nameBytes) sum += byte;
  }
  sum += writeOctal(target, offset + 124, 12, size);
  writeOctal(target, offset + 148, 7, sum);
  target[offset + 155] = 0x20;
}

/** A header without name and size, checksum field as spaces (how the checksum is computed). */
function headerTemplate(mtimeSeconds: number): Uint8Array {
  const header = new Uint8Array(TAR_BLOCK);
  writeOctal(header, 100, 8, 0o644);
  writeOctal(header, 108, 8, 0);
  writeOctal(header, 116, 8, 0);
  writeOctal(header, 136, 12, mtimeSeconds);
  header.fill(0x20, 148, 156);
  header[156] = 0x30; // '0': regular file
  header.set(USTAR_MAGIC, 257);
  return header;
}

function templateSum(template: Uint8Array): number {
  let sum = 0;
  for (let i = 0; i < template.length; i++) sum += template[i] as number;
  return sum;
}

const HEADER_TEMPLATE = headerTemplate(0);
const TEMPLATE_SUM = templateSum(HEADER_TEMPLATE);

/** Zero bytes that pad a member of `size` bytes to a whole block. */
export function tarPadding(size: number): Uint8Array {
  const rest = size % TAR_BLOCK;
  return new Uint8Array(rest === 0 ? 0 : TAR_BLOCK - rest);
}

export function tarMemberSize(size: number): number {
  return TAR_BLOCK + Math.ceil(size / TAR_BLOCK) * TAR_BLOCK;
}

/** Writes `value` as zero-padded octal and a NUL; returns the sum of the bytes written (for the checksum). */
function writeOctal(target: Uint8Array, offset: number, width: number, value: number): number {
  const text = value.toString(8).padStart(width - 1, "0");
  let sum = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    target[offset + i] = code;
    sum += code;
  }
  target[offset + width - 1] = 0;
  return sum;
}
