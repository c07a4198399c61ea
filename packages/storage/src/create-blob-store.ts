import path from "node:path";
import { S3Client } from "@aws-sdk/client-s3";
import type { BlobStore } from "./blob-store.ts";
import { type S3Env, type StorageEnv, storageEnv } from "./env.ts";
import { LocalDiskStore } from "./local-store.ts";
import { S3Store } from "./s3-store.ts";

export type S3ClientOptions = Pick<S3Env, "endpoint" | "region" | "forcePathStyle" | "credentials">;

/**
 * An S3 client for AWS or an S3-compatible server (MinIO, R2, s3rver…). With a custom endpoint, checksums are
 * only sent when an operation requires them: the SDK's newer default (CRC32 on every upload) is not
 * understood by many compatible servers, while AWS itself accepts either.
 */
export function createS3Client(options: S3ClientOptions): S3Client {
  const { endpoint, region, forcePathStyle, credentials } = options;
  return new S3Client({
    region,
    forcePathStyle,
    ...(endpoint ? { endpoint, requestChecksumCalculation: "WHEN_REQUIRED" as const } : {}),
    ...(credentials ? { credentials } : {}),
  });
}

export interface CreateBlobStoreOptions {
  /** The local store deletes staged files older than this when it opens (what killed puts left behind). */
  staleTempMs?: number;
}

/** The one place that decides, from configuration only, where Arbor's blobs live. */
export async function createBlobStore(
  arborHome: string,
  env: StorageEnv = storageEnv(),
  options: CreateBlobStoreOptions = {},
): Promise<BlobStore> {
  if (env.storage === "s3") {
    return new S3Store({ client: createS3Client(env.s3), bucket: env.s3.bucket });
  }
  return LocalDiskStore.open(env.blobDir ?? path.join(arborHome, "blobs"), {
    signingSecret: env.signingSecret,
    publicBaseUrl: env.publicUrl,
    staleTempMs: options.staleTempMs,
  });
}

/** A store over any bucket on the configured S3 endpoint: how ingest reads an s3:// source. */
export function createBlobStoreForBucket(bucket: string, env: StorageEnv = storageEnv()): BlobStore {
  return new S3Store({ client: createS3Client(env.s3Connection), bucket });
}
