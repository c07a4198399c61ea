import type { ExportClass } from "@arbor/core";
import type { HierarchyDistance } from "./hierarchical-distance.ts";

/** Indices of the k largest values of row `row` of a [n, K] matrix, best first. */
export function topK(values: Float32Array, row: number, numClasses: number, k: number): number[] {
  const base = row * numClasses;
  const idx: number[] = [];
  for (let c = 0; c < numClasses; c++) {
    const v = values[base + c] as number;
    let pos = idx.length;
    while (pos > 0 && (values[base + (idx[pos - 1] as number)] as number) < v) pos--;
    if (pos < k) {
      idx.splice(pos, 0, c);
      if (idx.length > k) idx.pop();
    }
  }
  return idx;
}

/** Numerically stable softmax of one row (scores for predictions). */
export function softmaxRow(logits: Float32Array, row: number, numClasses: number): Float64Array {
  const base = row * numClasses;
  let max = Number.NEGATIVE_INFINITY;
  for (let c = 0; c < numClasses; c++) max = Math.max(max, logits[base + c] as number);
  const out = new Float64Array(numClasses);
  let sum = 0;
  for (let c = 0; c < numClasses; c++) {
    out[c] = Math.exp((logits[base + c] as number) - max);
    sum += out[c] as number;
  }
  for (let c = 0; c < numClasses; c++) out[c] = (out[c] as number) / sum;
  return out;
}

export interface EvalResult {
  images: number;
  loss: number;
  top1Error: number;
  top5Error: number;
  /** ILSVRC-2010 hierarchical cost (mean min LCA height over the top-5), when a hierarchy was given. */
  hierarchicalError: number | null;
  /** Mean min tree distance (edges) over the top-5. */
  meanTreeDistance: number | null;
  perClass: { index: number; wnid: string; images: number; top1Accuracy: number }[];
  /** confusion[true][predicted] counts. */
  confusion: number[][];
}

/** Accumulates logits batch by batch, so evaluation never holds all predictions in memory. */
export class EvalAccumulator {
  private n = 0;
  private lossSum = 0;
  private top1 = 0;
  private top5 = 0;
  private hierSum = 0;
  private treeSum = 0;
  private readonly confusion: number[][];
  private readonly k: number;

  constructor(
    private readonly classes: ExportClass[],
    private readonly hierarchy: HierarchyDistance | null,
  ) {
    this.confusion = classes.map(() => new Array<number>(classes.length).fill(0));
    this.k = Math.min(5, classes.length);
  }

  add(logits: Float32Array, labels: Int32Array, count: number): void {
    const K = this.classes.length;
    for (let i = 0; i < count; i++) {
      const label = labels[i] as number;
      if (label < 0) continue; // unlabelled images cannot be scored
      const probs = softmaxRow(logits, i, K);
      const top = topK(logits, i, K, this.k);
      this.n++;
      this.lossSum += -Math.log(Math.max(probs[label] as number, 1e-12));
      if (top[0] === label) this.top1++;
      if (top.includes(label)) this.top5++;
      const row = this.confusion[label];
      if (row) row[top[0] as number] = (row[top[0] as number] as number) + 1;
      if (this.hierarchy) {
        const truth = this.classes[label]?.wnid as string;
        const preds = top.map((c) => this.classes[c]?.wnid as string);
        this.hierSum += this.hierarchy.imageCost(truth, preds, "lca-height");
        this.treeSum += this.hierarchy.imageCost(truth, preds, "tree");
      }
    }
  }

  result(): EvalResult {
    const n = Math.max(1, this.n);
    return {
      images: this.n,
      loss: this.lossSum / n,
      top1Error: 1 - this.top1 / n,
      top5Error: 1 - this.top5 / n,
      hierarchicalError: this.hierarchy ? this.hierSum / n : null,
      meanTreeDistance: this.hierarchy ? this.treeSum / n : null,
      perClass: this.classes.map((c, i) => {
        const row = this.confusion[i] ?? [];
        const total = row.reduce((a, b) => a + b, 0);
        return { index: i, wnid: c.wnid, images: total, top1Accuracy: total ? (row[i] ?? 0) / total : 0 };
      }),
      confusion: this.confusion.map((r) => [...r]),
    };
  }
}
