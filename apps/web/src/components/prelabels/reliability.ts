import type { CampaignModel } from "@arbor/usecases";

export type ReliabilityBin = NonNullable<CampaignModel["calibration"]>["curve"][number];

export interface ReliabilityPoint {
  bin: ReliabilityBin;
  /** The bin's mean calibrated prior (x) and share verified (y), in the plot's coordinates. */
  cx: number;
  cy: number;
  r: number;
}

/** Radius of the fullest bin's point and of a bin with one image: area grows with the count between them. */
export const MAX_RADIUS = 12;
export const MIN_RADIUS = 2.5;

/**
 * A reliability plot's points: one per bin that has images (an empty bin has no observed share), at
 * (mean predicted, observed) on a square of `size` (y up). A point's area is proportional to its bin's
 * count (radius ∝ √count), so a bin of 4 images does not look as sure as one of 400.
 */
export function reliabilityPoints(
  curve: readonly ReliabilityBin[],
  size: number,
  origin: { x: number; y: number } = { x: 0, y: 0 },
): ReliabilityPoint[] {
  const bins = curve.filter((bin) => bin.count > 0);
  let most = 0;
  for (const bin of bins) most = Math.max(most, bin.count);
  const clamp = (v: number) => Math.min(1, Math.max(0, v));
  return bins.map((bin) => ({
    bin,
    cx: origin.x + clamp(bin.meanPredicted) * size,
    cy: origin.y + (1 - clamp(bin.observed)) * size,
    r: Math.max(MIN_RADIUS, MAX_RADIUS * Math.sqrt(bin.count / most)),
  }));
}

/**
 * Expected calibration error: the count-weighted mean gap between a bin's mean prior and its observed share
 * (0 for a perfectly calibrated model). Null without any image.
 */
export function calibrationError(curve: readonly ReliabilityBin[]): number | null {
  let total = 0;
  let gap = 0;
  for (const bin of curve) {
    total += bin.count;
    gap += bin.count * Math.abs(bin.meanPredicted - bin.observed);
  }
  return total === 0 ? null : gap / total;
}
