import { isWnid } from "../wnid.ts";

export class LabelMapError extends Error {}

/**
 * Parses a folder-name → wnid mapping, one `name<TAB>wnid` per line (a comma or spaces also separate;
 * `#` starts a comment). For datasets whose folders are class names, e.g. CIFAR-10's `airplane n02691156`.
 * Every problem is reported with its line number; a name mapped twice is an error.
 */
export function parseLabelMap(text: string): Map<string, string> {
  const map = new Map<string, string>();
  const problems: string[] = [];
  for (const [index, raw] of text.split(/\r?\n/).entries()) {
    const line = raw.replace(/#.*/, "").trim();
    if (!line) continue;
    const match = /^(.+?)[\t ,]+(\S+)$/.exec(line);
    const name = match?.[1]?.trim();
    const wnid = match?.[2];
    if (!name || !wnid) problems.push(`line ${index + 1}: expected "name<TAB>wnid", got "${raw}"`);
    else if (!isWnid(wnid)) problems.push(`line ${index + 1}: "${wnid}" is not a wnid (n + 8 digits)`);
    else if (map.has(name)) problems.push(`line ${index + 1}: "${name}" is mapped twice`);
    else map.set(name, wnid);
  }
  if (problems.length > 0) throw new LabelMapError(`invalid label map:\n${problems.join("\n")}`);
  if (map.size === 0) throw new LabelMapError("the label map is empty");
  return map;
}
