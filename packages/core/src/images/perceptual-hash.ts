/**
 * DCT perceptual hash (pHash) of an image, and the arithmetic around it that a database needs:
 * Hamming distance, pigeonhole bands for indexed near-duplicate lookup, and Postgres' signed bigint.
 *
 * The caller does the image work (orient, greyscale, resize to size×size); this module only does maths,
 * so it stays pure and testable without an image library.
 */

/** Side of the low-frequency block kept from the DCT: 8×8 = 64 bits. */
const HASH_SIDE = 8;
const HASH_BITS = 64;
const UINT64_LIMIT = 1n << 64n;

/**
 * Two images whose hashes differ in at most this many bits are treated as near-duplicates
 * (re-encoded, resized or lightly edited copies of one picture). A median threshold sets 31 of the 63 AC
 * bits (plus the DC bit) in every photo, so distances between photos are almost always even: in practice
 * 3 admits one swapped pair of bits around the median, and a fourth bit would already break the banding below.
 */
export const NEAR_DUPLICATE_MAX_DISTANCE = 3;

/**
 * Coefficients smaller than this are floating-point noise, not signal: the DCT of a flat region is
 * mathematically zero but comes out as ±1e-13, and such noise must not decide hash bits. Pixel values are
 * whole numbers in 0..255, so a real coefficient is never this small.
 */
const NOISE_FLOOR = 1e-6;

/** Orthonormal DCT-II basis rows 0..7 for each input size, built once: cosines are the expensive part. */
const cosineTables = new Map<number, Float64Array>();

function cosineTable(size: number): Float64Array {
  let table = cosineTables.get(size);
  if (!table) {
    table = new Float64Array(HASH_SIDE * size);
    for (let k = 0; k < HASH_SIDE; k++) {
      const scale = k === 0 ? Math.sqrt(1 / size) : Math.sqrt(2 / size);
      for (let n = 0; n < size; n++) table[k * size + n] = scale * Math.cos(((2 * n + 1) * k * Math.PI) / (2 * size));
    }
    cosineTables.set(size, table);
  }
  return table;
}

/**
 * The 8×8 lowest-frequency coefficients of the 2-D DCT-II of a size×size image, row-major (index v*8+u for
 * vertical frequency v and horizontal frequency u). The 2-D DCT is separable, so it is done as 1-D DCTs along
 * rows then columns, and only the 8 needed frequencies are computed in each pass: 8·size² + 64·size
 * multiply-adds instead of size⁴.
 */
function lowFrequencyDct(gray: ArrayLike<number>, size: number): Float64Array {
  const basis = cosineTable(size);
  // rows[y*8+u]: horizontal frequency u of image row y.
  const rows = new Float64Array(size * HASH_SIDE);
  for (let y = 0; y < size; y++) {
    for (let u = 0; u < HASH_SIDE; u++) {
      let sum = 0;
      for (let x = 0; x < size; x++) sum += (gray[y * size + x] as number) * (basis[u * size + x] as number);
      rows[y * HASH_SIDE + u] = sum;
    }
  }
  const coefficients = new Float64Array(HASH_SIDE * HASH_SIDE);
  for (let v = 0; v < HASH_SIDE; v++) {
    for (let u = 0; u < HASH_SIDE; u++) {
      let sum = 0;
      for (let y = 0; y < size; y++) sum += (basis[v * size + y] as number) * (rows[y * HASH_SIDE + u] as number);
      coefficients[v * HASH_SIDE + u] = Math.abs(sum) < NOISE_FLOOR ? 0 : sum;
    }
  }
  return coefficients;
}

/**
 * Classic DCT pHash of a size×size 8-bit greyscale image (row-major): 2-D DCT-II, keep the top-left 8×8
 * coefficients (the coarse structure that survives re-encoding and resizing), and set bit i when
 * coefficient i (row-major in that block) is above the median.
 *
 * The median is taken over the 63 AC coefficients only, as in Krawetz's original description of pHash: the
 * DC term is the image's mean brightness, orders of magnitude larger than the rest, and would skew the
 * threshold. (Python's imagehash uses all 64; 63 also has the advantage of an exact middle element.)
 * Bit 0, the DC term, is therefore 1 for any image that is not entirely black.
 *
 * Returns an unsigned 64-bit value (0 ≤ hash < 2^64).
 */
export function perceptualHash(gray: Uint8Array | Uint8ClampedArray, size = 32): bigint {
  if (!Number.isInteger(size) || size < HASH_SIDE) throw new RangeError(`size must be an integer ≥ ${HASH_SIDE}`);
  if (gray.length !== size * size) {
    throw new RangeError(`expected ${size}×${size} = ${size * size} grey values, got ${gray.length}`);
  }
  const coefficients = lowFrequencyDct(gray, size);
  const ac = Array.from(coefficients.subarray(1)).sort((a, b) => a - b);
  const median = ac[(ac.length - 1) / 2] as number;
  let hash = 0n;
  for (let i = 0; i < HASH_BITS; i++) {
    if ((coefficients[i] as number) > median) hash |= 1n << BigInt(i);
  }
  return hash;
}

function popcount32(value: number): number {
  let v = value - ((value >>> 1) & 0x55555555);
  v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
  return (((v + (v >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
}

/** Number of differing bits between two 64-bit hashes. */
export function hammingDistance(a: bigint, b: bigint): number {
  const diff = BigInt.asUintN(64, a ^ b);
  return popcount32(Number(diff & 0xffffffffn)) + popcount32(Number(diff >> 32n));
}

/**
 * Splits a hash into four 16-bit bands (0..65535), band i holding bits 16i..16i+15, for indexed
 * near-duplicate lookup without scanning every hash.
 *
 * Pigeonhole: if two hashes differ in at most NEAR_DUPLICATE_MAX_DISTANCE = 3 bits, those ≤ 3 differing
 * bits fall into at most 3 of the 4 bands, so at least one band is identical in both. A database that stores
 * the four bands in indexed columns finds every candidate with four equality lookups
 * (band0 = $0 OR band1 = $1 OR …) and then keeps those with hammingDistance ≤ 3. This only works while the
 * band count exceeds the maximum distance; raising the distance to 4 or more needs more, narrower bands.
 */
export function hashBands(hash: bigint): [number, number, number, number] {
  const h = assertUint64(hash);
  return [Number(h & 0xffffn), Number((h >> 16n) & 0xffffn), Number((h >> 32n) & 0xffffn), Number(h >> 48n)];
}

/**
 * Reinterprets an unsigned 64-bit hash as the signed 64-bit value with the same bits, for Postgres `bigint`
 * (signed): hashes with the top bit set become negative instead of overflowing the column.
 */
export function toSignedBigInt64(hash: bigint): bigint {
  return BigInt.asIntN(64, assertUint64(hash));
}

/** Inverse of toSignedBigInt64: the unsigned hash stored in a Postgres `bigint`. */
export function fromSignedBigInt64(value: bigint): bigint {
  if (value < -(1n << 63n) || value >= 1n << 63n) throw new RangeError(`${value} is not a signed 64-bit integer`);
  return BigInt.asUintN(64, value);
}

// Silently wrapping an out-of-range value would store a different hash, so refuse it instead.
function assertUint64(hash: bigint): bigint {
  if (hash < 0n || hash >= UINT64_LIMIT) throw new RangeError(`${hash} is not an unsigned 64-bit hash`);
  return hash;
}
