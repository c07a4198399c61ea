import type { Readable } from "node:stream";
import type { Db } from "@arbor/db";
import type { BlobStore } from "@arbor/storage";

export interface ImageBlob {
  stream: Readable;
  contentType: string;
  bytes: number | undefined;
  /** Content-addressed: the sha256 names the bytes forever, so caches may keep them forever. */
  etag: string;
}

/** The stored original or thumbnail of an image; the key comes from the database, never from the request. */
export async function openImageBlob(
  deps: { db: Db; blobs: BlobStore },
  id: number,
  variant: "original" | "thumbnail",
): Promise<ImageBlob | null> {
  const image = await deps.db.image.findUnique({
    where: { id },
    select: { sha256: true, format: true, originalKey: true, thumbnailKey: true },
  });
  if (!image) return null;
  const key = variant === "original" ? image.originalKey : image.thumbnailKey;
  const head = await deps.blobs.head(key);
  if (!head) return null;
  return {
    stream: await deps.blobs.getStream(key),
    // A small image is its own thumbnail (same key), so the thumbnail is then in the original's format.
    contentType: variant === "original" || key === image.originalKey ? `image/${image.format}` : "image/webp",
    bytes: head.bytes,
    etag: `"${image.sha256}-${variant}"`,
  };
}
