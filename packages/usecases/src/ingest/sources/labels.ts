import path from "node:path";
import { isWnid } from "@arbor/core";
import type { SourceItem } from "./ingest-source.ts";

export interface LabelRules {
  /** Every item goes to this synset, whatever the layout. */
  synset?: string;
  /** Folder name → wnid, for datasets whose folders are class names. */
  labelMap?: Map<string, string>;
}

const PREFIXED = /^(n\d{8})_/;

/**
 * The synset of an item at `relativePath` under the ingest root, from the layouts researchers have:
 * `<wnid>/<file>` (ImageFolder), `<name>/<file>` with a label map, or `<wnid>_<anything>.<ext>`.
 */
export function labelFor(relativePath: string, rules: LabelRules): SourceItem["label"] {
  if (rules.synset) return { wnid: rules.synset };
  const parts = relativePath.split(/[\\/]/);
  const top = parts.length > 1 ? (parts[0] as string) : null;
  if (top !== null) {
    const mapped = rules.labelMap?.get(top);
    if (mapped) return { wnid: mapped };
    if (isWnid(top)) return { wnid: top };
  }
  const prefixed = PREFIXED.exec(path.basename(relativePath))?.[1];
  if (prefixed) return { wnid: prefixed };
  return top !== null && rules.labelMap
    ? { problem: `folder "${top}" is not in the label map` }
    : { problem: "no synset: use <wnid>/<file>, <wnid>_<name>.<ext>, a label map, or --synset" };
}
