/** Writes a plain ustar archive in memory (names ≤ 100 bytes): test fixtures and WebDataset shards. */
export function ustarHeader(name: string, size: number, mtime = 0): Buffer {
  if (Buffer.byteLength(name) > 100) throw new Error(`tar name too long for plain ustar: ${name}`);
  const h = Buffer.alloc(512);
  h.write(name, 0, 100, "utf8");
  h.write("0000644\0", 100, 8, "ascii");
  h.write("0000000\0", 108, 8, "ascii");
  h.write("0000000\0", 116, 8, "ascii");
  h.write(`${size.toString(8).padStart(11, "0")}\0`, 124, 12, "ascii");
  h.write(`${mtime.toString(8).padStart(11, "0")}\0`, 136, 12, "ascii");
  h.write("        ", 148, 8, "ascii");
  h.write("0", 156, 1, "ascii");
  h.write("ustar\0", 257, 6, "ascii");
  h.write("00", 263, 2, "ascii");
  let sum = 0;
  for (const b of h) sum += b;
  h.write(`${sum.toString(8).padStart(6, "0")}\0 `, 148, 8, "ascii");
  return h;
}

export function writeTar(entries: Iterable<{ name: string; data: Buffer }>): Buffer {
  const parts: Buffer[] = [];
  for (const { name, data } of entries) {
    parts.push(ustarHeader(name, data.length), data);
    const pad = (512 - (data.length % 512)) % 512;
    if (pad) parts.push(Buffer.alloc(pad));
  }
  parts.push(Buffer.alloc(1024));
  return Buffer.concat(parts);
}
