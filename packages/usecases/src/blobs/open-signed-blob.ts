import type { Readable } from "node:stream";
import { assertValidKey, BlobNotFoundError, type BlobStore, InvalidBlobKeyError } from "@arbor/storage";
import { forbidden, invalid, notFound } from "../errors.ts";
import type { SignedBlobQuery } from "./blob-schemas.ts";

export interface SignedBlob {
  stream: Readable;
  contentType: string;
  bytes: number;
  /** The key's last segment, for Content-Disposition. */
  fileName: string;
}

/**
 * An object of the blob store opened for a presigned URL that points back at this app (the local store's):
 * the URL's signature is the authorisation. `not-found` when the store does not serve its own links (S3
 * serves them itself) or the object is missing; `invalid` for a malformed key; `forbidden` for a link whose
 * signature is wrong, missing or expired.
 */
export async function openSignedBlob(
  services: { blobs: BlobStore },
  key: string,
  query: SignedBlobQuery,
  now?: Date,
): Promise<SignedBlob> {
  const { blobs } = services;
  if (!blobs.verifySignedRequest) throw notFound("blobs are not served here (they are in S3)");
  try {
    assertValidKey(key);
  } catch (error) {
    throw error instanceof InvalidBlobKeyError ? invalid(error.message) : error;
  }
  const request = { method: "GET", key, expires: query.expires ?? "", signature: query.signature ?? "" };
  if (!blobs.verifySignedRequest(request, now)) throw forbidden("the link's signature is invalid or has expired");
  const info = await blobs.head(key);
  if (!info) throw notFound("no such object");
  const stream = await blobs.getStream(key).catch((error: unknown) => {
    throw error instanceof BlobNotFoundError ? notFound("no such object") : error;
  });
  return {
    stream,
    contentType: info.contentType ?? "application/octet-stream",
    bytes: info.bytes,
    fileName: key.split("/").at(-1) as string,
  };
}
