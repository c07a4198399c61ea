import {
  CLASSES_FILE,
  classesFileSchema,
  EXPORT_INFO_FILE,
  type ExportClass,
  type ExportInfo,
  exportInfoSchema,
  HIERARCHY_FILE,
  type HierarchySynset,
  hierarchyFileSchema,
} from "@arbor/core";
import { type ExportReader, readText } from "./export-reader.ts";

export interface ExportMeta {
  info: ExportInfo;
  /** Sorted by index; `classes[i].index === i` is checked. */
  classes: ExportClass[];
}

/** export.json is written last by the exporter, so reading it first refuses half-written exports. */
export async function readExportMeta(reader: ExportReader): Promise<ExportMeta> {
  if (!(await reader.exists(EXPORT_INFO_FILE))) {
    throw new Error(`${reader.location} is not a finished Arbor export (no ${EXPORT_INFO_FILE})`);
  }
  const info = exportInfoSchema.parse(JSON.parse(await readText(reader, EXPORT_INFO_FILE)));
  const classes = classesFileSchema
    .parse(JSON.parse(await readText(reader, CLASSES_FILE)))
    .sort((a, b) => a.index - b.index);
  classes.forEach((c, i) => {
    if (c.index !== i) throw new Error(`${CLASSES_FILE}: class indices must be 0..K-1 without gaps (missing ${i})`);
  });
  return { info, classes };
}

export async function readHierarchy(reader: ExportReader): Promise<HierarchySynset[]> {
  return hierarchyFileSchema.parse(JSON.parse(await readText(reader, HIERARCHY_FILE))).synsets;
}
