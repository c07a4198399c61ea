import { isWnid } from "../wnid.ts";

export type UrlListEntry =
  | { line: number; url: string; wnid: string }
  | { line: number; text: string; problem: string };

/**
 * Parses a CSV or TSV of `url,wnid` lines (an optional header line naming the columns is skipped). Bad
 * lines are returned as problems, not thrown: an ingest reports them and goes on with the rest.
 */
export function parseUrlList(text: string): UrlListEntry[] {
  const entries: UrlListEntry[] = [];
  const lines = text.split(/\r?\n/);
  lines.forEach((raw, index) => {
    const line = raw.trim();
    if (!line || line.startsWith("#")) return;
    const [first, second, ...rest] = line.split(line.includes("\t") ? "\t" : ",").map((cell) => cell.trim());
    if (index === 0 && first?.toLowerCase() === "url") return; // header
    const problem = urlListProblem(first, second, rest.length);
    entries.push(
      problem
        ? { line: index + 1, text: line, problem }
        : { line: index + 1, url: first as string, wnid: second as string },
    );
  });
  return entries;
}

function urlListProblem(url: string | undefined, wnid: string | undefined, extra: number): string | null {
  if (!url || !wnid || extra > 0) return "expected two columns: url,wnid";
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return `"${url}" is not a URL`;
  }
  if (parsed.protocol !== "http:" && parsed.protocol !== "https:")
    return `only http and https URLs are fetched, not ${parsed.protocol}`;
  if (!isWnid(wnid)) return `"${wnid}" is not a wnid (n + 8 digits)`;
  return null;
}
