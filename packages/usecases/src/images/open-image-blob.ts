import type { Readable } from "node:stream";
import type { Db } from "@arbor/db";
import { BlobNotFoundError, type BlobStore } from "@arbor/storage";
import { notFound } from "../errors.ts";

export interface ImageBlob {
  stream: Readable;
  contentType: string;
  bytes: number | undefined;
  /** Content-addressed: the sha256 names the bytes forever, so caches may keep them forever. */
  etag: string;
}

/**
 * The stored original or thumbnail of an image; the key comes from the database, never from the request.
 * `not-found` when there is no such image, or its bytes are missing from the blob store.
 */
export async function openImageBlob(
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
    etag: `"${image.sha256}-${variant}"`,
  };
}
