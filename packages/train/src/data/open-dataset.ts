import type { ExportClass, ExportInfo, Split } from "@arbor/core";
import { type ExportMeta, readExportMeta } from "./export-meta.ts";
import { type ExportReader, openExportReader } from "./export-reader.ts";
import { openSplit, type SplitOptions, type SplitSource } from "./split-source.ts";

export interface OpenedExport extends ExportMeta {
  reader: ExportReader;
  /** Whether the split has images (and, for scoring, labels). */
  has(split: Split, labelled?: boolean): boolean;
  split(split: Split, opts?: SplitOptions): Promise<SplitSource>;
}

export async function openExport(location: string): Promise<OpenedExport> {
  const reader = openExportReader(location);
  const meta = await readExportMeta(reader);
  return {
    ...meta,
    reader,
    has: (split, labelled = false) =>
      (meta.info.counts[split] ?? 0) > 0 && !(labelled && split === "test" && meta.info.withheldTestLabels),
    split: (split, opts) => openSplit(reader, meta.info, meta.classes, split, opts),
  };
}

export type { ExportClass, ExportInfo };
