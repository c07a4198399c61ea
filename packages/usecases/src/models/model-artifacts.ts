import type { Readable } from "node:stream";
import type { Db } from "@arbor/db";
import type { BlobStore } from "@arbor/storage";
import { z } from "zod";

/** An artifact's file name: one path segment, so it can never leave the model's folder of the blob store. */
export const artifactNameSchema = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/, "an artifact name is one file name: letters, digits, . _ - (≤ 100)");

export const modelArtifactSchema = z
  .object({ name: z.string(), bytes: z.number().int(), url: z.string().nullable() })
  .meta({ id: "ModelArtifact" });
export type ModelArtifact = z.infer<typeof modelArtifactSchema>;

const keyOf = (modelId: number, name: string) => `models/${modelId}/${name}`;

/** Stores one file of a model (weights, model.json, config) in the blob store; a re-upload replaces it. */
export async function storeModelArtifact(
  deps: { db: Db; blobs: BlobStore },
  modelId: number,
  name: string,
  body: Buffer | Readable,
): Promise<{ name: string; bytes: number } | null> {
  const model = await deps.db.model.findUnique({ where: { id: modelId }, select: { id: true } });
  if (!model) return null;
  const stored = await deps.blobs.put(keyOf(modelId, artifactNameSchema.parse(name)), body);
  return { name, bytes: stored.bytes };
}

/** A model's artifacts with download URLs valid for an hour. */
export async function listModelArtifacts(
  deps: { db: Db; blobs: BlobStore },
  modelId: number,
): Promise<ModelArtifact[] | null> {
  const model = await deps.db.model.findUnique({ where: { id: modelId }, select: { id: true } });
  if (!model) return null;
  const prefix = `models/${modelId}/`;
  const artifacts: ModelArtifact[] = [];
  for await (const info of deps.blobs.list(prefix)) {
    const url = await deps.blobs.presignedUrl(info.key, { expiresInSeconds: 3600 }).catch(() => null);
    artifacts.push({ name: info.key.slice(prefix.length), bytes: info.bytes, url });
  }
  return artifacts;
}
