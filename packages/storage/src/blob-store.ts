import type { Readable } from "node:stream";

/** What a store knows about one stored object. */
export interface BlobInfo {
  key: string;
  bytes: number;
  contentType?: string;
}

export interface PutOptions {
  contentType?: string;
}

export interface ListOptions {
  /** Only keys strictly greater than this one (S3 semantics), so a scan can resume where it stopped. */
  startAfter?: string;
  /** Stop after this many keys. */
  limit?: number;
}

export interface PresignOptions {
  expiresInSeconds: number;
  method?: "GET" | "PUT";
  /**
   * The origin browsers reached the web app at (the request's own, e.g. `https://arbor.example.org`): the base
   * of URLs that point back at the web app when no public URL is configured (ARBOR_PUBLIC_URL wins). Ignored by
   * stores whose URLs point elsewhere (S3).
   */
  origin?: string;
}

/** A request for a presigned URL, as it arrives at the server that serves it (the URL's own parameters). */
export interface SignedRequest {
  key: string;
  /** Unix seconds, as a number or as the query-string text. */
  expires: number | string;
  /** Lowercase hex HMAC-SHA256. */
  signature: string;
  method: string;
}

/** Bytes to store: a whole buffer, or a stream that is consumed exactly once. */
export type BlobBody = Buffer | Uint8Array | NodeJS.ReadableStream | Readable;

/**
 * Where Arbor keeps image bytes and exports. Every key passes `assertValidKey` first, so a key can never
 * escape the store's root (local) or be ambiguous (S3).
 */
export interface BlobStore {
  readonly kind: "local" | "s3";
  /** Stores bytes under key; atomic: readers see the whole object or nothing. */
  put(key: string, body: BlobBody, options?: PutOptions): Promise<BlobInfo>;
  /** Streams the object; rejects with BlobNotFoundError when missing. */
  getStream(key: string): Promise<Readable>;
  head(key: string): Promise<BlobInfo | null>;
  /** Idempotent. */
  delete(key: string): Promise<void>;
  /** Keys under prefix in ascending order (S3 order), paginating internally; startAfter makes incremental scans cheap. */
  list(prefix: string, options?: ListOptions): AsyncIterable<BlobInfo>;
  /** A URL anyone can GET (or PUT) for expiresInSeconds. */
  presignedUrl(key: string, options: PresignOptions): Promise<string>;

  // Optional capabilities: only some stores can do these, so callers check for them (never for a class).

  /**
   * Present when this store's presigned URLs point back at the web app (`/api/v1/blobs/<key>`), which must then
   * serve them: true only for a well-formed, unexpired request signed by this store; never throws on hostile
   * input. Absent where someone else serves the URLs (S3 verifies its own).
   */
  verifySignedRequest?(request: SignedRequest, now?: Date): boolean;
  /**
   * Present when every object is a plain file on this machine: the file behind a key, for callers that copy
   * whole files faster than streams can (exports). The key is validated; the file may not exist.
   */
  localPath?(key: string): string;
}

export class BlobNotFoundError extends Error {
  override readonly name = "BlobNotFoundError";
  readonly key: string;

  constructor(key: string, options?: { cause?: unknown }) {
    super(`blob not found: ${key}`, options);
    this.key = key;
  }
}
