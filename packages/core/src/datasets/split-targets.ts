import type { Split } from "../export/export-format.ts";
import type { SplitSpec } from "./dataset-definition.ts";

export type SplitCounts = Record<Split, number>;

/**
 * How many of a class's n images each split should get. Fractions are rounded by largest remainder (ties to
 * test, then val), so the three counts always sum to n and each is within 1 of n × fraction. Counts give val
 * and test exactly, as far as the class has images (test first, as ILSVRC fixed its test set first).
 */
export function splitTargets(spec: SplitSpec, n: number): SplitCounts {
  if (spec.mode === "counts") {
    const test = Math.min(spec.test, n);
    const val = Math.min(spec.val, n - test);
    return { train: n - test - val, val, test };
  }
  const order: Split[] = ["test", "val", "train"];
  const exact = { train: spec.train * n, val: spec.val * n, test: spec.test * n };
  const counts: SplitCounts = {
    train: Math.floor(exact.train),
    val: Math.floor(exact.val),
    test: Math.floor(exact.test),
  };
  let left = n - counts.train - counts.val - counts.test;
  const byRemainder = [...order].sort(
    (a, b) => exact[b] - counts[b] - (exact[a] - counts[a]) || order.indexOf(a) - order.indexOf(b),
  );
  for (const split of byRemainder) {
    if (left <= 0) break;
    counts[split] += 1;
    left -= 1;
  }
  return counts;
}
