import { createHash } from "node:crypto";

/** The share of test images whose score is public during a challenge (the rest decide the final ranking). */
export const DEFAULT_PUBLIC_FRACTION = 0.3;

/**
 * Picks the public test images: each id is ranked by sha256(`arbor-public-split`, seed, id) and the
 * round(fraction × N) lowest are public. Pure and seeded: the same (seed, ids) give the same subset whatever
 * their order, and an image's side does not depend on the other ids' ranks beyond the count. Returns a mask
 * aligned with `imageIds` (1 = public), what `scoreSubmission` takes as `publicMask`.
 */
export function choosePublicImages(
  imageIds: readonly string[],
  seed: string | number,
  fraction = DEFAULT_PUBLIC_FRACTION,
): Uint8Array {
  if (!(fraction >= 0 && fraction <= 1)) throw new Error(`the public fraction must be in [0, 1], not ${fraction}`);
  const n = imageIds.length;
  const ranks = new Float64Array(n);
  const prefix = `arbor-public-split\n${seed}\n`;
  for (let i = 0; i < n; i++) {
    const hex = createHash("sha256")
      .update(prefix + (imageIds[i] as string))
      .digest("hex");
    ranks[i] = Number.parseInt(hex.slice(0, 13), 16); // 52 bits, exact in a double
  }
  const order = Array.from({ length: n }, (_, i) => i);
  order.sort(
    (a, b) => (ranks[a] as number) - (ranks[b] as number) || compare(imageIds[a] as string, imageIds[b] as string),
  );
  const mask = new Uint8Array(n);
  const count = Math.round(fraction * n);
  for (let r = 0; r < count; r++) mask[order[r] as number] = 1;
  return mask;
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
