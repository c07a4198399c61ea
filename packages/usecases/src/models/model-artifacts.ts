import { Readable } from "node:stream";
import type { Db } from "@arbor/db";
import type { BlobStore } from "@arbor/storage";
import { notFound, parseInput } from "../errors.ts";
import { assertMayChange } from "../restrictions/ownership.ts";
import type { Actor } from "../restrictions/viewer.ts";
import { type ArtifactStored, artifactNameSchema, type ModelArtifact } from "./model-schemas.ts";

const keyOf = (modelId: number, name: string) => `models/${modelId}/${name}`;

/**
 * A web stream as a Node stream that reads only when its consumer does, so an error of the web stream (the
 * byte cap's `too-large`, a client gone) reaches that consumer. `Readable.fromWeb` emits it at once, an
 * uncaught exception if nobody listens yet (the blob store opens its file before it reads).
 */
function nodeStreamOf(stream: ReadableStream<Uint8Array>): Readable {
  async function* chunks() {
    const reader = stream.getReader();
    let finished = false;
    try {
      for (;;) {
        const next = await reader.read();
        if (next.done) break;
        yield next.value;
      }
      finished = true;
    } finally {
      if (!finished) await reader.cancel().catch(() => {});
    }
  }
  return Readable.from(chunks(), { objectMode: false });
}

async function assertModelExists(db: Db, modelId: number): Promise<void> {
  const model = await db.model.findUnique({ where: { id: modelId }, select: { id: true } });
  if (!model) throw notFound(`no model ${modelId}`);
}

/** `not-found` for no such model, `forbidden` unless the actor registered it or is an admin. */
export async function assertMayChangeModel(db: Db, actor: Actor, modelId: number): Promise<void> {
  const model = await db.model.findUnique({ where: { id: modelId }, select: { createdById: true } });
  if (!model) throw notFound(`no model ${modelId}`);
  assertMayChange(actor, model.createdById, `model ${modelId}`);
}

/**
 * Stores one file of a model (weights, model.json, config) in the blob store; a re-upload replaces it. Only
 * the model's owner (who registered it) or an admin may. The body may be a web stream (a request's, already
 * size-capped by the caller): an error it raises, such as the cap's `too-large`, is what this rejects with.
 */
export async function storeModelArtifact(
  deps: { db: Db; blobs: BlobStore },
  modelId: number,
  name: string,
  body: Buffer | Readable | ReadableStream<Uint8Array>,
  actor: Actor,
): Promise<ArtifactStored> {
  const fileName = parseInput(artifactNameSchema, name, "name");
  await assertMayChangeModel(deps.db, actor, modelId);
  const bytes = body instanceof ReadableStream ? nodeStreamOf(body) : body;
  const stored = await deps.blobs.put(keyOf(modelId, fileName), bytes);
  return { name: fileName, bytes: stored.bytes };
}

/**
 * A model's artifacts with download URLs valid for an hour, pointing at ARBOR_PUBLIC_URL or else at `origin`
 * (the origin the request came in on).
 */
export async function listModelArtifacts(
  deps: { db: Db; blobs: BlobStore },
  modelId: number,
  { origin }: { origin?: string } = {},
): Promise<ModelArtifact[]> {
  await assertModelExists(deps.db, modelId);
  const prefix = `models/${modelId}/`;
  const artifacts: ModelArtifact[] = [];
  for await (const info of deps.blobs.list(prefix)) {
    const url = await deps.blobs.presignedUrl(info.key, { expiresInSeconds: 3600, origin }).catch(() => null);
    artifacts.push({ name: info.key.slice(prefix.length), bytes: info.bytes, url });
  }
  return artifacts;
}
