/**
 * Auto-accept with audit (after SageMaker Ground Truth's automated labelling): images whose calibrated prior
 * clears a threshold are verified without votes. The threshold is chosen on human-decided items so that a
 * lower confidence bound of the precision above it meets the campaign's target, and a random audit share
 * still goes to annotators, which switches auto-accept off when it shows the precision is below target.
 */

/** z for a two-sided 95 % interval (so each bound alone is a one-sided 97.5 % bound). */
const Z95 = 1.96;

/** Wilson score interval's lower end for `successes` of `trials` (0 when there are no trials). */
export function wilsonLowerBound(successes: number, trials: number, z = Z95): number {
  const [center, half, denominator] = wilson("wilsonLowerBound", successes, trials, z);
  return trials === 0 ? 0 : Math.max(0, (center - half) / denominator);
}

/** Wilson score interval's upper end (1 when there are no trials). */
export function wilsonUpperBound(successes: number, trials: number, z = Z95): number {
  const [center, half, denominator] = wilson("wilsonUpperBound", successes, trials, z);
  return trials === 0 ? 1 : Math.min(1, (center + half) / denominator);
}

export interface AutoAcceptThreshold {
  /** Auto-accept items whose prior is ≥ this; null: none qualifies (see reason). */
  threshold: number | null;
  /** Observed precision of the human-decided points at or above the threshold. */
  precision: number | null;
  /** Its Wilson 95 % lower bound, ≥ target whenever threshold is set. */
  lowerBound: number | null;
  /** Human-decided points at or above the threshold. */
  covered: number;
  reason: string;
}

/**
 * The lowest threshold t (a prior some point has) such that among the points with prior ≥ t the Wilson 95 %
 * lower bound of the share that people verified is ≥ target. The lowest such t covers the most items; the
 * bound is not monotone in t, so every distinct prior is tried, not just down to the first failure. Null,
 * with the reason, when there are fewer than minPoints points (the issue asks for ≥ 200 human decisions)
 * or no t qualifies — note that n positives out of n have lower bound n / (n + 1.96²), so a 0.99 target
 * needs at least 381 verified points above the threshold with no rejected one among them.
 * Points are human-decided items only (verified: positive, rejected: not); ambiguous ones say nothing.
 * Trying every t and keeping the best is a mild multiple comparison; the nested sets make the bounds strongly
 * correlated, and the audit (auditVerdict) is the check on it.
 */
export function chooseAutoAcceptThreshold(
  points: readonly { prior: number; positive: boolean }[],
  target: number,
  minPoints = 200,
): AutoAcceptThreshold {
  if (!(target > 0 && target < 1))
    throw new RangeError(`chooseAutoAcceptThreshold: target must be in (0, 1), got ${target}`);
  if (!Number.isInteger(minPoints) || minPoints < 1) {
    throw new RangeError(`chooseAutoAcceptThreshold: minPoints must be an integer ≥ 1, got ${minPoints}`);
  }
  const bad = points.find((p) => !(p.prior >= 0 && p.prior <= 1));
  if (bad) throw new RangeError(`chooseAutoAcceptThreshold: priors must be in [0, 1], got ${bad.prior}`);
  const none = { threshold: null, precision: null, lowerBound: null, covered: 0 };
  if (points.length < minPoints) {
    return { ...none, reason: `${points.length} human-decided items; auto-accept needs at least ${minPoints}` };
  }
  const sorted = [...points].sort((p, q) => q.prior - p.prior);
  let best: Omit<AutoAcceptThreshold, "reason"> | null = null;
  let closest = { lowerBound: -1, threshold: 0, covered: 0 };
  let positives = 0;
  for (let i = 0; i < sorted.length; i++) {
    const point = sorted[i] as { prior: number; positive: boolean };
    if (point.positive) positives++;
    // Only at the end of a run of equal priors: a threshold takes all points with that prior or none.
    if (i + 1 < sorted.length && (sorted[i + 1] as { prior: number }).prior === point.prior) continue;
    const covered = i + 1;
    const lowerBound = wilsonLowerBound(positives, covered);
    if (lowerBound >= target) best = { threshold: point.prior, precision: positives / covered, lowerBound, covered };
    if (lowerBound > closest.lowerBound) closest = { lowerBound, threshold: point.prior, covered };
  }
  if (!best) {
    return {
      ...none,
      reason:
        `no threshold meets the target ${target}: the best 95 % lower bound of precision is ` +
        `${closest.lowerBound.toFixed(4)} (prior ≥ ${closest.threshold.toFixed(4)}, ${closest.covered} items)`,
    };
  }
  return {
    ...best,
    reason:
      `${best.covered} of ${points.length} human-decided items have prior ≥ ${(best.threshold as number).toFixed(4)}; ` +
      `precision ${(best.precision as number).toFixed(4)}, 95 % lower bound ${(best.lowerBound as number).toFixed(4)} ≥ ${target}`,
  };
}

export interface AuditVerdict {
  keepOn: boolean;
  /** yes / total; null before any audit item is decided. */
  precision: number | null;
  /** Why auto-accept should go off; null while it stays on. */
  reason: string | null;
}

/**
 * The rule: switch auto-accept off exactly when the Wilson 95 % upper bound of the audit's precision is
 * below the target, i.e. when even the most favourable precision the audit is consistent with misses it.
 * An observed precision below target is not enough (4 of 5 at target 0.9 has upper bound 0.96: too few
 * audits to tell, stays on), and no audit keeps it on. The flip side: at a 0.99 target a first audit that
 * fails (0 of 1: upper bound 0.79) does switch it off, rightly, since a model at ≥ 99 % fails a first audit
 * with probability ≤ 1 %. Callers pass yes = audit items people verified and total = those verified or
 * rejected: an ambiguous audit is no evidence either way.
 */
export function auditVerdict(audited: { yes: number; total: number }, target: number, z = Z95): AuditVerdict {
  if (!(target > 0 && target < 1)) throw new RangeError(`auditVerdict: target must be in (0, 1), got ${target}`);
  const { yes, total } = audited;
  if (total === 0) {
    wilson("auditVerdict", yes, total, z);
    return { keepOn: true, precision: null, reason: null };
  }
  const upper = wilsonUpperBound(yes, total, z);
  const precision = yes / total;
  if (upper >= target) return { keepOn: true, precision, reason: null };
  return {
    keepOn: false,
    precision,
    reason:
      `audit: people verified ${yes} of ${total} auto-accepted items (precision ${precision.toFixed(4)}); ` +
      `even its 95 % upper bound ${upper.toFixed(4)} is below the target ${target}`,
  };
}

function wilson(name: string, successes: number, trials: number, z: number): [number, number, number] {
  if (!Number.isInteger(trials) || trials < 0)
    throw new RangeError(`${name}: trials must be an integer ≥ 0, got ${trials}`);
  if (!Number.isInteger(successes) || successes < 0 || successes > trials) {
    throw new RangeError(`${name}: successes must be an integer in [0, ${trials}], got ${successes}`);
  }
  if (!(z > 0)) throw new RangeError(`${name}: z must be positive, got ${z}`);
  if (trials === 0) return [0, 0, 1];
  const p = successes / trials;
  const z2 = z * z;
  const center = p + z2 / (2 * trials);
  const half = z * Math.sqrt((p * (1 - p)) / trials + z2 / (4 * trials * trials));
  return [center, half, 1 + z2 / trials];
}
