import { type ExportClass, type ManifestRecord, manifestFileName, manifestRecordSchema, type Split } from "@arbor/core";
import { type ExportReader, readText } from "./export-reader.ts";

/**
 * Reads `<split>.jsonl`. Manifests are small (ImageNet's 1.28M train lines are ~250 MB of JSON, ~150 bytes
 * per record in memory as objects), so they are kept whole; the images they point at are not.
 * Each line is validated, and labelled lines must agree with classes.json.
 */
export async function readManifest(
  reader: ExportReader,
  split: Split,
  classes: ExportClass[],
): Promise<ManifestRecord[]> {
  const text = await readText(reader, manifestFileName(split));
  const records: ManifestRecord[] = [];
  let lineNo = 0;
  for (const line of text.split("\n")) {
    lineNo++;
    if (line.trim() === "") continue;
    const parsed = manifestRecordSchema.safeParse(JSON.parse(line));
    if (!parsed.success) {
      throw new Error(`${manifestFileName(split)}:${lineNo}: ${parsed.error.issues[0]?.message ?? "invalid record"}`);
    }
    checkLabel(parsed.data, classes, `${manifestFileName(split)}:${lineNo}`);
    records.push(parsed.data);
  }
  return records;
}

export function checkLabel(record: Omit<ManifestRecord, "path">, classes: ExportClass[], where: string): void {
  if (record.classIndex === undefined) return;
  const cls = classes[record.classIndex];
  if (!cls) throw new Error(`${where}: classIndex ${record.classIndex} is not in classes.json`);
  if (record.wnid !== undefined && record.wnid !== cls.wnid) {
    throw new Error(`${where}: wnid ${record.wnid} disagrees with class ${record.classIndex} (${cls.wnid})`);
  }
}
