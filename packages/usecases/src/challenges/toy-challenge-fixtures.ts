import { UseCaseError } from "../errors.ts";

/** Test fixtures shared by the challenge use-case tests: a small CSV ground truth of 20 images over 4 wnids. */
export const WNIDS = ["n00000011", "n00000012", "n00000013", "n00000014"];
export const IDS = Array.from({ length: 20 }, (_, i) => `img${i}`);
export const truthCsv = (label: (i: number) => string = (i) => WNIDS[i % 4] as string) =>
  `image_id,wnid\n${IDS.map((id, i) => `${id},${label(i)}`).join("\n")}\n`;
export const TRUTH_CSV = truthCsv();

/**
 * A CSV submission right (against TRUTH_CSV) on the first `right` images, wrong on the others (each guesses
 * the next wnid); its lines rotated by `rotate`: another file, the same scores.
 */
export const submission = (right: number, rotate = 0) => {
  const lines = IDS.map((id, i) => `${id},${i < right ? WNIDS[i % 4] : WNIDS[(i + 1) % 4]}`);
  return `${[...lines.slice(rotate), ...lines.slice(0, rotate)].join("\n")}\n`;
};

/** "ok", or the kind of the UseCaseError it threw (anything else as text). */
export const kindOf = async (p: Promise<unknown>) =>
  p.then(
    () => "ok",
    (e) => (e instanceof UseCaseError ? e.kind : String(e)),
  );
