import { z } from "zod";

/**
 * Learning-rate schedules, evaluated per step (not per epoch) so short runs still anneal smoothly.
 * - cosine: linear warmup from 0 over `warmupEpochs`, then cosine decay from `lr` to `lr·finalFraction`.
 * - onecycle: Smith's one-cycle; its rising phase is the warmup: from lr/divFactor up to lr over the
 *   first `pctStart` of training, then cosine down to lr/(divFactor·finalDivFactor) (PyTorch's OneCycleLR).
 * - constant: `lr` after the same linear warmup.
 */
export const scheduleSchema = z.discriminatedUnion("kind", [
  z.object({
    kind: z.literal("cosine"),
    warmupEpochs: z.number().nonnegative().default(1),
    finalFraction: z.number().nonnegative().default(0),
  }),
  z.object({
    kind: z.literal("onecycle"),
    pctStart: z.number().gt(0).lt(1).default(0.25),
    divFactor: z.number().gt(0).default(25),
    finalDivFactor: z.number().gt(0).default(1e4),
  }),
  z.object({ kind: z.literal("constant"), warmupEpochs: z.number().nonnegative().default(0) }),
]);
export type Schedule = z.infer<typeof scheduleSchema>;

export function learningRate(
  schedule: Schedule,
  peak: number,
  step: number,
  totalSteps: number,
  stepsPerEpoch: number,
): number {
  const t = Math.min(Math.max(step, 0), totalSteps);
  const cos = (from: number, to: number, frac: number) => to + ((from - to) * (1 + Math.cos(Math.PI * frac))) / 2;
  switch (schedule.kind) {
    case "onecycle": {
      const up = Math.max(1, Math.round(schedule.pctStart * totalSteps));
      const start = peak / schedule.divFactor;
      if (t < up) return start + ((peak - start) * t) / up;
      const end = start / schedule.finalDivFactor;
      return cos(peak, end, (t - up) / Math.max(1, totalSteps - up));
    }
    case "cosine": {
      const warm = Math.round(schedule.warmupEpochs * stepsPerEpoch);
      if (t < warm) return (peak * (t + 1)) / warm;
      return cos(peak, peak * schedule.finalFraction, (t - warm) / Math.max(1, totalSteps - warm));
    }
    case "constant": {
      const warm = Math.round(schedule.warmupEpochs * stepsPerEpoch);
      return t < warm ? (peak * (t + 1)) / warm : peak;
    }
  }
}
