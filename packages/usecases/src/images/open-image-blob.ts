import { createHash } from "node:crypto";
import type { Readable } from "node:stream";
import type { Db } from "@arbor/db";
import { BlobNotFoundError, type BlobStore } from "@arbor/storage";
import { notFound } from "../errors.ts";
import { assertMayBrowse } from "../restrictions/image-access.ts";
import type { Viewer } from "../restrictions/viewer.ts";

export interface ImageBlob {
  stream: Readable;
  contentType: string;
  bytes: number | undefined;
  /**
   * Content-addressed: derived from the sha256, which names the bytes forever, so caches may keep them
   * forever. A digest of it, not the sha256 itself, which a restricted image does not reveal.
   */
  etag: string;
}

/** The ETag of an image's variant: stable for its bytes, and not its sha256. */
export function imageEtag(sha256: string, variant: string): string {
  return `"${createHash("sha256").update(`arbor-image:${sha256}:${variant}`).digest("base64url").slice(0, 27)}"`;
}

/**
 * The stored original or thumbnail of an image; the key comes from the database, never from the request.
 * `not-found` when there is no such image, or its bytes are missing from the blob store; `unauthenticated`
 * for an anonymous `viewer` when ARBOR_PUBLIC_BROWSE is off.
 */
export async function openImageBlob(
  deps: { db: Db; blobs: BlobStore },
  id: number,
  variant: "original" | "thumbnail",
  viewer: Viewer = null,
): Promise<ImageBlob> {
  assertMayBrowse(viewer);
  return openImageBytes(deps, id, variant);
}

/** The bytes of an image, whoever asks: for the use-cases that have checked the caller already (a task's). */
export async function openImageBytes(
  deps: { db: Db; blobs: BlobStore },
  id: number,
  variant: "original" | "thumbnail",
): Promise<ImageBlob> {
  const image = await deps.db.image.findUnique({
    where: { id },
    select: { sha256: true, format: true, originalKey: true, thumbnailKey: true },
  });
  if (!image) throw notFound(`no image ${id}`);
  const key = variant === "original" ? image.originalKey : image.thumbnailKey;
  const missing = () => notFound(`the ${variant} of image ${id} is missing from the blob store`);
  const head = await deps.blobs.head(key);
  if (!head) throw missing();
  const stream = await deps.blobs.getStream(key).catch((error: unknown) => {
    throw error instanceof BlobNotFoundError ? missing() : error;
  });
  return {
    stream,
    // A small image is its own thumbnail (same key), so the thumbnail is then in the original's format.
    contentType: variant === "original" || key === image.originalKey ? `image/${image.format}` : "image/webp",
    bytes: head.bytes,
    etag: imageEtag(image.sha256, variant),
  };
}
