/**
 * A number in [0, 1) drawn from (seed, sha256): the image's position in the seeded order that decides splits
 * and per-class caps. It depends on nothing else, so the same image ranks the same in every version built
 * with the same seed — the reason an image keeps its split across versions.
 *
 * The sha256 is already uniform; the seed only has to permute it, so a 32-bit avalanche mix (murmur3's
 * finaliser) over the first 16 hex digits suffices and keeps freezing a million images cheap.
 */
export function splitRank(seed: number, sha256: string): number {
  const a = Number.parseInt(sha256.slice(0, 8), 16);
  const b = Number.parseInt(sha256.slice(8, 16), 16);
  const s = fmix32(seed ^ 0x9e3779b9);
  const high = fmix32(a ^ s);
  const low = fmix32((b ^ high ^ Math.imul(s, 0x85ebca6b)) >>> 0);
  // 52 bits of the two words: exact in a double, and ties are as unlikely as sha256 prefixes colliding.
  return (high * 2 ** 20 + (low >>> 12)) / 2 ** 52;
}

function fmix32(value: number): number {
  let h = value >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}
