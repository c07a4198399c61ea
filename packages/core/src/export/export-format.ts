import { z } from "zod";
import { wnidSchema } from "../wnid.ts";

/**
 * The on-disk contract of an Arbor export. The exporter writes it and `@arbor/train` (and anyone's training
 * code) reads it, so it lives here, in one place, as zod schemas.
 *
 * Layout of an export root (local directory or S3 prefix):
 *   export.json               ExportInfo: format, dataset version, counts; written LAST, so its presence means done
 *   classes.json              ClassesFile: class index → wnid, lemmas
 *   hierarchy.json            HierarchyFile: the chosen classes and all their ancestors (ILSVRC devkit's meta)
 *   README.md                 datasheet
 *   SHA256SUMS                `<sha256>  <relative path>` for every other file, sorted by path
 *   <split>.jsonl             imagefolder + jsonl formats: one ManifestRecord per line, sorted by (classIndex, sha256)
 *   imagefolder:  <split>/<wnid>/<sha256>.<ext>   (withheld test labels: test/<sha256>.<ext>)
 *   jsonl:        images/<sha256>.<ext>
 *   webdataset:   <split>-%06d.tar holding <key>.<ext>, <key>.cls (class index, decimal), <key>.json (ManifestRecord
 *                 without path); key = sha256. With withheld test labels, test shards carry no .cls.
 */

export const SPLITS = ["train", "val", "test"] as const;
export const splitSchema = z.enum(SPLITS);
export type Split = z.infer<typeof splitSchema>;

export const EXPORT_FORMATS = ["imagefolder", "jsonl", "webdataset"] as const;
export const exportFormatSchema = z.enum(EXPORT_FORMATS);
export type ExportFormat = z.infer<typeof exportFormatSchema>;

const sha256Schema = z.string().regex(/^[0-9a-f]{64}$/);

/** One image of one split. `wnid`/`classIndex` are absent for test images when labels are withheld. */
export const manifestRecordSchema = z.object({
  path: z.string().min(1),
  sha256: sha256Schema,
  wnid: wnidSchema.optional(),
  classIndex: z.number().int().nonnegative().optional(),
  split: splitSchema,
  width: z.number().int().positive(),
  height: z.number().int().positive(),
});
export type ManifestRecord = z.infer<typeof manifestRecordSchema>;

export const exportClassSchema = z.object({
  index: z.number().int().nonnegative(),
  wnid: wnidSchema,
  lemmas: z.array(z.string()),
  gloss: z.string(),
});
export const classesFileSchema = z.array(exportClassSchema);
export type ExportClass = z.infer<typeof exportClassSchema>;

/** Mirrors the ILSVRC devkit's meta.mat: ids 1..K are the classes (in class-index order), ancestors follow. */
export const hierarchySynsetSchema = z.object({
  id: z.number().int().positive(),
  wnid: wnidSchema,
  words: z.string(),
  gloss: z.string(),
  children: z.array(z.number().int().positive()),
  wordnetHeight: z.number().int().nonnegative(),
  numTrainImages: z.number().int().nonnegative(),
});
export const hierarchyFileSchema = z.object({ synsets: z.array(hierarchySynsetSchema) });
export type HierarchySynset = z.infer<typeof hierarchySynsetSchema>;

export const exportInfoSchema = z.object({
  arborExport: z.literal(1),
  format: exportFormatSchema,
  dataset: z.object({ id: z.string(), name: z.string(), version: z.number().int().positive() }),
  withheldTestLabels: z.boolean(),
  resize: z.number().int().positive().nullable(),
  shardSize: z.number().int().positive().nullable(),
  counts: z.record(splitSchema, z.number().int().nonnegative()),
  /** Files listed in SHA256SUMS. */
  files: z.number().int().nonnegative(),
  /** sha256 of SHA256SUMS itself, which covers every other file: export.json seals the export. */
  checksumsSha256: z.string().regex(/^[0-9a-f]{64}$/),
});
export type ExportInfo = z.infer<typeof exportInfoSchema>;

export const EXPORT_INFO_FILE = "export.json";
export const CLASSES_FILE = "classes.json";
export const HIERARCHY_FILE = "hierarchy.json";
export const CHECKSUMS_FILE = "SHA256SUMS";
export const DATASHEET_FILE = "README.md";
export const manifestFileName = (split: Split): string => `${split}.jsonl`;
export const shardFileName = (split: Split, index: number): string => `${split}-${String(index).padStart(6, "0")}.tar`;
