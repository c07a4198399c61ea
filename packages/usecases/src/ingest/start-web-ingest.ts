import { randomUUID } from "node:crypto";
import { DEFAULT_IMAGE_LIMITS } from "@arbor/imaging";
import { usecasesEnv } from "../env.ts";
import { invalid, notFound, tooLarge } from "../errors.ts";
import type { Services } from "../services.ts";
import { resolveAllowedPath } from "./allowed-paths.ts";
import type { IngestOptionsInput } from "./ingest-options.ts";
import type { RunStarted } from "./ingest-schemas.ts";
import { startIngestRun } from "./start-ingest-run.ts";

/**
 * Starts an ingest asked for in the web app: server paths must lie inside the ingest roots (else `forbidden`,
 * the same answer whether the path is missing or outside, so the web app does not reveal which paths exist),
 * and a folder's symlinks are followed only to targets inside them.
 */
export async function startWebIngest(services: Services, input: IngestOptionsInput): Promise<RunStarted> {
  if (input.kind === "upload") throw invalid("upload files to /api/v1/synsets/{wnid}/uploads");
  const roots = usecasesEnv().ingestRoots;
  const options = { ...input };
  if (options.kind === "folder" || options.kind === "csv") options.path = await resolveAllowedPath(options.path, roots);
  // The walk follows symlinks only back into the roots (the client's own value, if any, is replaced).
  if (options.kind === "folder") options.roots = [...roots];
  if ((options.kind === "folder" || options.kind === "s3") && options.mapFile) {
    options.mapFile = await resolveAllowedPath(options.mapFile, roots);
  }
  const run = await startIngestRun(services, options);
  return { runId: run.id };
}

/** At most this many files per upload request. */
export const MAX_UPLOAD_FILES = 200;

/** An uploaded file as the web receives it (a `File` of a multipart form fits). */
export interface UploadedFile {
  name: string;
  size: number;
  arrayBuffer(): Promise<ArrayBuffer>;
}

/**
 * Stores uploaded files in the blob store under fresh keys (never the user's file name) and queues a run
 * that ingests them into one synset; the run deletes them once it has succeeded. Refused before anything is
 * stored: an unknown synset (`not-found`), no files (`invalid`), too many or too large ones (`too-large`).
 */
export async function stageUploads(
  services: Services,
  wnid: string,
  files: readonly UploadedFile[],
): Promise<RunStarted> {
  if (!(await services.db.synset.findUnique({ where: { wnid }, select: { id: true } }))) {
    throw notFound(`no synset ${wnid}`);
  }
  if (files.length === 0) throw invalid("no files: send them as multipart field `files`");
  if (files.length > MAX_UPLOAD_FILES) throw tooLarge(`at most ${MAX_UPLOAD_FILES} files per upload`);
  const { maxBytes } = DEFAULT_IMAGE_LIMITS;
  const tooBig = files.find((file) => file.size > maxBytes);
  if (tooBig) throw tooLarge(`${tooBig.name} is over the ${maxBytes / 1024 / 1024} MB limit`);
  const batch = randomUUID();
  const staged = await Promise.all(
    files.map(async (file, index) => {
      const key = `uploads/${batch}/${index}`;
      await services.blobs.put(key, Buffer.from(await file.arrayBuffer()));
      return { key, name: file.name.slice(0, 200) };
    }),
  );
  const run = await startIngestRun(services, { kind: "upload", synset: wnid, files: staged });
  return { runId: run.id };
}
