import { readFile } from "node:fs/promises";
import { parseLabelMap } from "@arbor/core";
import type { Db } from "@arbor/db";
import { type BlobStore, createBlobStoreForBucket } from "@arbor/storage";
import type { IngestOptions } from "./ingest-options.ts";
import { folderSource } from "./sources/folder-source.ts";
import type { IngestSource } from "./sources/ingest-source.ts";
import type { LabelRules } from "./sources/labels.ts";
import { s3Source } from "./sources/s3-source.ts";
import { uploadSource } from "./sources/upload-source.ts";
import { type FetchLimits, urlListSource } from "./sources/url-list-source.ts";

/** The source of a run's items, from its validated options. */
export interface SourceDeps {
  db: Db;
  blobs: BlobStore;
  /** How to read an s3:// source's bucket (default: the configured S3 endpoint). */
  openBucket?: (bucket: string) => BlobStore;
  fetchLimits?: FetchLimits;
}

export async function openIngestSource(options: IngestOptions, deps: SourceDeps): Promise<IngestSource> {
  switch (options.kind) {
    case "folder":
      // A web ingest follows symlinks only to targets inside the roots it was allowed (set by startWebIngest).
      return folderSource(options.path, await labelRules(options), { confineTo: options.roots });
    case "csv":
      return urlListSource(options.path, deps.fetchLimits);
    case "s3":
      return s3Source(options.url, await labelRules(options), {
        db: deps.db,
        openBucket: deps.openBucket ?? ((bucket) => createBlobStoreForBucket(bucket)),
      });
    case "upload":
      return uploadSource(options.files, options.synset, deps.blobs);
  }
}

async function labelRules(options: { mapFile?: string; synset?: string }): Promise<LabelRules> {
  const labelMap = options.mapFile ? parseLabelMap(await readFile(options.mapFile, "utf8")) : undefined;
  return { synset: options.synset, labelMap };
}
