/**
 * Reading what trainers report. Metrics and curve rows are free-form JSON (the training package writes
 * `valTop1`, `trainLoss`, `lr`, `imgPerSec`…; other trainers write `top1_error`, `val_loss`…), so everything
 * here is name-tolerant and skips what is not a finite number.
 */

/** Lower-cased with separators removed: `top1_error`, `Top-1 Error` and `top1Error` all read `top1error`. */
const normal = (key: string) => key.toLowerCase().replace(/[^a-z0-9]/g, "");

function finite(value: unknown): number | null {
  return typeof value === "number" && Number.isFinite(value) ? value : null;
}

/** A fraction from a value that may be a percentage (> 1). */
const fraction = (value: number) => (value > 1 && value <= 100 ? value / 100 : value);

function find(record: Record<string, unknown>, names: string[]): number | null {
  const byName = new Map(Object.entries(record).map(([key, value]) => [normal(key), value]));
  for (const name of names) {
    const value = finite(byName.get(name));
    if (value !== null) return value;
  }
  return null;
}

/**
 * Top-k error as a fraction: reported directly (`top1Error`), or as an accuracy (`valTop1`, `top1Acc`),
 * from the metrics, else from the last curve row that has one.
 */
export function topError(
  metrics: Record<string, unknown>,
  k: 1 | 5,
  curve: ReadonlyArray<Record<string, unknown>> = [],
): number | null {
  const errors = ["", "val", "test"].flatMap((p) => [`${p}top${k}error`, `${p}top${k}err`]);
  const accuracies = ["val", "test", ""].flatMap((p) => [`${p}top${k}`, `${p}top${k}acc`, `${p}top${k}accuracy`]);
  const rows = [metrics, ...[...curve].reverse().filter(isRecord)];
  for (const row of rows) {
    const error = find(row, errors);
    if (error !== null) return fraction(error);
    const accuracy = find(row, accuracies);
    if (accuracy !== null) return 1 - fraction(accuracy);
  }
  return null;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

export function formatPercent(value: number | null, digits = 1): string {
  return value === null ? "—" : `${(value * 100).toFixed(digits)}%`;
}

/** Compact numbers for axes and tables: 0.00012 → 1.2e-4, 0.4567 → 0.457, 12345 → 12,345. */
export function formatNumber(value: number): string {
  if (value === 0) return "0";
  const abs = Math.abs(value);
  if (abs >= 1000) return new Intl.NumberFormat("en-US", { maximumFractionDigits: 0 }).format(value);
  if (abs < 0.001) return value.toExponential(1).replace("e-", "e−");
  return String(Number(value.toPrecision(3)));
}

export interface Series {
  key: string;
  points: Array<{ x: number; y: number }>;
}

export interface Plot {
  title: string;
  /** What x is: "epoch", "step" or "row". */
  xLabel: string;
  /** Values are fractions in [0, 1], shown as percentages. */
  percent: boolean;
  /** The y axis starts at 0 (rates and durations, where the scale of a change matters). */
  zero: boolean;
  series: Series[];
}

/** Keys that are the x axis or bookkeeping, never a series. */
const X_KEYS = new Set(["epoch", "step", "iteration", "iter"]);
const GROUPS: Array<{ title: string; test: (key: string) => boolean; percent?: boolean; zero?: boolean }> = [
  { title: "Loss", test: (k) => k.includes("loss") },
  { title: "Accuracy", test: (k) => /acc|top\d|error|err$/.test(k), percent: true },
  { title: "Learning rate", test: (k) => k === "lr" || k.includes("learningrate"), zero: true },
  { title: "Throughput (img/s)", test: (k) => /imgpers|imagespers|throughput|imgs$|ips$/.test(k), zero: true },
  { title: "Time per epoch (s)", test: (k) => /^(seconds|secs|duration|epochtime|time)$/.test(k), zero: true },
];

/**
 * The training curve as plots: loss (train and val together), accuracy and error, learning rate, throughput,
 * then any other numeric series on its own. The x axis is `epoch` when rows have it, else the row number.
 */
export function curvePlots(curve: unknown): Plot[] {
  const rows = (Array.isArray(curve) ? curve : []).filter(isRecord);
  const series = new Map<string, Series>();
  rows.forEach((row, i) => {
    const x = finite(row.epoch) ?? finite(row.step) ?? i + 1;
    for (const [key, value] of Object.entries(row)) {
      const y = finite(value);
      if (y === null || X_KEYS.has(normal(key))) continue;
      let entry = series.get(key);
      if (!entry) {
        entry = { key, points: [] };
        series.set(key, entry);
      }
      entry.points.push({ x, y });
    }
  });
  for (const entry of series.values()) entry.points.sort((a, b) => a.x - b.x);
  const xLabel = rows.some((r) => finite(r.epoch) !== null)
    ? "epoch"
    : rows.some((r) => finite(r.step) !== null)
      ? "step"
      : "row";

  const plots: Plot[] = [];
  const left = new Map(series);
  for (const group of GROUPS) {
    const members = [...left.values()].filter((s) => group.test(normal(s.key)));
    if (members.length === 0) continue;
    for (const member of members) left.delete(member.key);
    const percent = !!group.percent && members.every((s) => s.points.every((p) => p.y >= 0 && p.y <= 1));
    let title = group.title;
    if (group.percent) {
      const errors = members.filter((s) => /error|err$/.test(normal(s.key))).length;
      title = errors === 0 ? "Accuracy" : errors === members.length ? "Error" : "Accuracy and error";
    }
    plots.push({ title, xLabel, percent, zero: !!group.zero, series: members });
  }
  for (const rest of left.values())
    plots.push({ title: humanize(rest.key), xLabel, percent: false, zero: false, series: [rest] });
  return plots;
}

/** A metric's value for display: fractions of accuracy/error as percentages, objects as compact JSON. */
export function formatMetric(key: string, value: unknown): string {
  if (value === null || value === undefined) return "—";
  if (typeof value === "number") {
    if (!Number.isFinite(value)) return String(value);
    if (/acc|top\d|error|err$/.test(normal(key)) && value >= 0 && value <= 1) return formatPercent(value, 2);
    return formatNumber(value);
  }
  if (typeof value === "string") return value;
  if (typeof value === "boolean") return value ? "yes" : "no";
  const json = JSON.stringify(value);
  return json.length > 300 ? `${json.slice(0, 299)}…` : json;
}

/** `trainLoss` → "train loss", `val_top1` → "val top1". */
export function humanize(key: string): string {
  return key
    .replace(/([a-z])([A-Z])/g, "$1 $2")
    .replace(/[_-]+/g, " ")
    .toLowerCase()
    .trim();
}
