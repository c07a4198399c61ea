import { Readable } from "node:stream";
import {
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  type S3Client,
} from "@aws-sdk/client-s3";
import { Upload } from "@aws-sdk/lib-storage";
import { getSignedUrl } from "@aws-sdk/s3-request-presigner";
import type { BlobBody, BlobInfo, BlobStore, ListOptions, PresignOptions, PutOptions } from "./blob-store.ts";
import { BlobNotFoundError } from "./blob-store.ts";
import { assertValidKey, assertValidPrefix, blobKeySchema } from "./keys.ts";
import { checkListLimit, checkPresignOptions } from "./store-options.ts";

const MIB = 1024 * 1024;
/** S3 rejects multipart parts below 5 MiB (except the last). */
const MIN_PART_SIZE = 5 * MIB;

export interface S3StoreOptions {
  client: S3Client;
  bucket: string;
  /** Parts uploaded in parallel per put; bounds memory to about queueSize × partSize. */
  queueSize?: number;
  /** Multipart part size in bytes; streams larger than this are uploaded in parts. */
  partSize?: number;
  /** Keys per ListObjectsV2 request (S3 caps it at 1000); smaller values let tests exercise pagination. */
  pageSize?: number;
}

/** Blobs as objects in one S3 (or S3-compatible) bucket, keys used verbatim. */
export class S3Store implements BlobStore {
  readonly kind = "s3";
  readonly bucket: string;
  readonly #client: S3Client;
  readonly #queueSize: number;
  readonly #partSize: number;
  readonly #pageSize: number;

  constructor(options: S3StoreOptions) {
    const { client, bucket, queueSize = 4, partSize = 8 * MIB, pageSize = 1000 } = options;
    if (!bucket) throw new Error("S3Store needs a bucket");
    if (!Number.isInteger(queueSize) || queueSize < 1) throw new RangeError("queueSize must be a positive integer");
    if (!Number.isInteger(partSize) || partSize < MIN_PART_SIZE) {
      throw new RangeError(`partSize must be an integer of at least ${MIN_PART_SIZE} bytes (5 MiB)`);
    }
    if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > 1000) {
      throw new RangeError("pageSize must be an integer from 1 to 1000");
    }
    this.#client = client;
    this.bucket = bucket;
    this.#queueSize = queueSize;
    this.#partSize = partSize;
    this.#pageSize = pageSize;
  }

  async put(key: string, body: BlobBody, options: PutOptions = {}): Promise<BlobInfo> {
    assertValidKey(key);
    // Counting as the bytes flow past gives the size without a second request, and remembers the caller's
    // own stream error: when that error makes Upload abort, a failing AbortMultipartUpload must not hide it.
    const counter = { bytes: 0, sourceError: undefined as unknown };
    const source = body instanceof Uint8Array ? body : Readable.from(countBytes(body, counter));
    const upload = new Upload({
      client: this.#client,
      params: { Bucket: this.bucket, Key: key, Body: source, ContentType: options.contentType },
      queueSize: this.#queueSize,
      partSize: this.#partSize,
      // Orphaned parts cost money and are invisible; abort them so a failed put leaves nothing behind.
      leavePartsOnError: false,
    });
    try {
      await upload.done();
    } catch (error) {
      if (counter.sourceError !== undefined && counter.sourceError !== error) {
        if (counter.sourceError instanceof Error && counter.sourceError.cause === undefined) {
          counter.sourceError.cause = error;
        }
        throw counter.sourceError;
      }
      throw error;
    }
    const bytes = body instanceof Uint8Array ? body.byteLength : counter.bytes;
    return { key, bytes, ...(options.contentType ? { contentType: options.contentType } : {}) };
  }

  async getStream(key: string): Promise<Readable> {
    assertValidKey(key);
    try {
      const response = await this.#client.send(new GetObjectCommand({ Bucket: this.bucket, Key: key }));
      // In Node the SDK's body is an http.IncomingMessage, i.e. a Readable.
      if (!(response.Body instanceof Readable)) throw new Error(`S3 returned no readable body for ${key}`);
      return response.Body;
    } catch (error) {
      if (isNotFound(error)) throw new BlobNotFoundError(key, { cause: error });
      throw error;
    }
  }

  async head(key: string): Promise<BlobInfo | null> {
    assertValidKey(key);
    try {
      const response = await this.#client.send(new HeadObjectCommand({ Bucket: this.bucket, Key: key }));
      return {
        key,
        bytes: response.ContentLength ?? 0,
        ...(response.ContentType ? { contentType: response.ContentType } : {}),
      };
    } catch (error) {
      if (isNotFound(error)) return null;
      throw error;
    }
  }

  async delete(key: string): Promise<void> {
    assertValidKey(key);
    // S3 answers 204 whether or not the key existed, which is exactly the idempotence the interface promises.
    await this.#client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: key }));
  }

  async *list(prefix: string, options: ListOptions = {}): AsyncGenerator<BlobInfo> {
    assertValidPrefix(prefix);
    const limit = checkListLimit(options.limit);
    let startAfter = options.startAfter;
    let count = 0;
    for (;;) {
      const page = await this.#client.send(
        new ListObjectsV2Command({
          Bucket: this.bucket,
          Prefix: prefix || undefined,
          StartAfter: startAfter || undefined,
          MaxKeys: Math.min(this.#pageSize, limit - count),
        }),
      );
      const contents = page.Contents ?? [];
      for (const object of contents) {
        if (object.Key === undefined) continue;
        startAfter = object.Key;
        // The bucket may hold objects written by other tools; only keys this store could have written are its own.
        if (!blobKeySchema.safeParse(object.Key).success) continue;
        yield { key: object.Key, bytes: object.Size ?? 0 };
        if (++count >= limit) return;
      }
      // Paginating with StartAfter (not continuation tokens) keeps each page request self-contained.
      if (!page.IsTruncated || contents.length === 0) return;
    }
  }

  async presignedUrl(key: string, options: PresignOptions): Promise<string> {
    assertValidKey(key);
    const { expiresInSeconds, method } = checkPresignOptions(options);
    const input = { Bucket: this.bucket, Key: key };
    const command = method === "PUT" ? new PutObjectCommand(input) : new GetObjectCommand(input);
    return getSignedUrl(this.#client, command, { expiresIn: expiresInSeconds });
  }
}

async function* countBytes(
  body: NodeJS.ReadableStream | Readable,
  counter: { bytes: number; sourceError: unknown },
): AsyncGenerator<Buffer> {
  try {
    for await (const chunk of body) {
      const buffer = typeof chunk === "string" ? Buffer.from(chunk) : asBuffer(chunk as Uint8Array);
      counter.bytes += buffer.byteLength;
      yield buffer;
    }
  } catch (error) {
    counter.sourceError = error;
    throw error;
  }
}

/** A view, not a copy: streams of images can be large. */
function asBuffer(chunk: Uint8Array): Buffer {
  return Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
}

/** A missing object; a missing bucket is a configuration error and must not look like an absent blob. */
function isNotFound(error: unknown): boolean {
  const { name, $metadata } = error as { name?: string; $metadata?: { httpStatusCode?: number } };
  if (name === "NoSuchBucket") return false;
  return name === "NoSuchKey" || name === "NotFound" || $metadata?.httpStatusCode === 404;
}
