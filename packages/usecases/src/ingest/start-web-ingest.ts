import { randomUUID } from "node:crypto";
import { usecasesEnv } from "../env.ts";
import type { Services } from "../services.ts";
import { resolveAllowedPath } from "./allowed-paths.ts";
import type { IngestOptionsInput } from "./ingest-options.ts";
import { startIngestRun } from "./start-ingest-run.ts";

/** Starts an ingest asked for in the web app: server paths must lie inside the ingest roots. */
export async function startWebIngest(services: Services, input: IngestOptionsInput): Promise<{ id: number }> {
  const roots = usecasesEnv().ingestRoots;
  const options = { ...input };
  if (options.kind === "folder" || options.kind === "csv") options.path = await resolveAllowedPath(options.path, roots);
  if ((options.kind === "folder" || options.kind === "s3") && options.mapFile) {
    options.mapFile = await resolveAllowedPath(options.mapFile, roots);
  }
  if (options.kind === "upload") throw new Error("uploads go through stageUploads");
  return startIngestRun(services, options);
}

export interface UploadedFile {
  name: string;
  bytes: Buffer;
}

/**
 * Stores uploaded files in the blob store under fresh keys (never the user's file name) and queues a run
 * that ingests them into one synset; the run deletes them once it has succeeded.
 */
export async function stageUploads(services: Services, wnid: string, files: UploadedFile[]): Promise<{ id: number }> {
  const batch = randomUUID();
  const staged = await Promise.all(
    files.map(async (file, index) => {
      const key = `uploads/${batch}/${index}`;
      await services.blobs.put(key, file.bytes);
      return { key, name: file.name.slice(0, 200) };
    }),
  );
  return startIngestRun(services, { kind: "upload", synset: wnid, files: staged });
}
