/**
 * How the challenge pages write times, errors and formats. Times are always UTC: a phase ends at the same
 * instant for every participant, and quotas reset at midnight UTC, so a local time would mislead.
 */

/** `2026-03-01 14:05 UTC` (minutes; an unreadable date as it came). */
export function formatUtc(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return `${date.toISOString().slice(0, 16).replace("T", " ")} UTC`;
}

/** An ISO instant as a `<input type="datetime-local">` value read as UTC (`2026-03-01T14:05`). */
export function utcInputValue(date: Date): string {
  return date.toISOString().slice(0, 16);
}

/** A `datetime-local` value meant as UTC, as an ISO instant; throws a readable error for anything else. */
export function utcInputToIso(value: string, what: string): string {
  const text = value.trim();
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?$/.test(text))
    throw new Error(`${what}: give a date and time (UTC), e.g. 2026-03-01T00:00`);
  const date = new Date(`${text}Z`);
  if (Number.isNaN(date.getTime())) throw new Error(`${what}: ${text} is not a date`);
  return date.toISOString();
}

/** An error rate (0..1) as a percentage with two decimals; `—` for none. */
export function formatError(value: number | null | undefined): string {
  return value === null || value === undefined ? "—" : `${(value * 100).toFixed(2)}%`;
}

export type SubmissionFormat = "devkit" | "csv" | "jsonl";

/**
 * A submission file's format, from its name, else from its first non-blank line as the CLI reads it
 * (`detectSubmissionFormat` of @arbor/core, which the browser cannot import): an object is JSONL, a comma
 * makes CSV, bare integers are devkit. Null when neither tells.
 */
export function guessSubmissionFormat(fileName: string, text: string): SubmissionFormat | null {
  const name = fileName.toLowerCase();
  if (name.endsWith(".csv")) return "csv";
  if (name.endsWith(".jsonl") || name.endsWith(".ndjson") || name.endsWith(".json")) return "jsonl";
  const first = text
    .slice(0, 64 * 1024)
    .split(/\r?\n/)
    .find((line) => line.trim() !== "");
  if (first === undefined) return null;
  const line = first.trim().replace(/^\uFEFF/, "");
  if (line.startsWith("{")) return "jsonl";
  if (line.includes(",")) return "csv";
  if (/^\d+([ \t]+\d+)*$/.test(line)) return "devkit";
  return null;
}

/** `12 KiB`, `3.4 MiB`. */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ["KiB", "MiB", "GiB"];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(value < 10 ? 1 : 0)} ${units[unit]}`;
}
