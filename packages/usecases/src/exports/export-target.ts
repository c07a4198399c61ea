import { spawn } from "node:child_process";
import { mkdir, rm } from "node:fs/promises";
import path from "node:path";
import type { Readable } from "node:stream";
import { type BlobStore, createBlobStoreForBucket, LocalDiskStore, parseS3Url } from "@arbor/storage";

/**
 * Where an export's files go: a local directory, an S3 prefix, or Arbor's own blob store. Every write is
 * atomic (a local temp file renamed into place, or an S3 object that appears whole), which is what makes a
 * killed export safe to re-run: a file is either complete or absent.
 */
export interface ExportTarget {
  readonly location: string;
  readonly concurrency: number;
  /** Files already there (relative path → bytes). */
  existing(): Promise<Map<string, number>>;
  write(relativePath: string, body: Buffer | Readable): Promise<number>;
  read(relativePath: string): Promise<Readable>;
  /** Clears what killed writes left behind and makes the files durable. */
  finish(): Promise<void>;
  /** A time-limited download URL, where the target can make one. */
  downloadUrl(relativePath: string, expiresInSeconds: number): Promise<string | null>;
}

class StoreTarget implements ExportTarget {
  constructor(
    private readonly store: BlobStore,
    private readonly prefix: string,
    readonly location: string,
    readonly concurrency: number,
    private readonly onFinish: () => Promise<void> = async () => {},
    private readonly canDownload = true,
  ) {}

  async existing(): Promise<Map<string, number>> {
    const files = new Map<string, number>();
    for await (const info of this.store.list(this.prefix)) files.set(info.key.slice(this.prefix.length), info.bytes);
    return files;
  }

  async write(relativePath: string, body: Buffer | Readable): Promise<number> {
    return (await this.store.put(this.prefix + relativePath, body)).bytes;
  }

  read(relativePath: string): Promise<Readable> {
    return this.store.getStream(this.prefix + relativePath);
  }

  finish(): Promise<void> {
    return this.onFinish();
  }

  async downloadUrl(relativePath: string, expiresInSeconds: number): Promise<string | null> {
    if (!this.canDownload) return null;
    return this.store.presignedUrl(this.prefix + relativePath, { expiresInSeconds });
  }
}

/** A local directory (absolute path), `s3://bucket/prefix`, or null for the blob store under exports/<id>/. */
export async function openExportTarget(
  destination: string | null,
  exportId: number,
  blobs: BlobStore,
  openBucket: (bucket: string) => BlobStore = createBlobStoreForBucket,
): Promise<ExportTarget> {
  if (destination === null)
    return new StoreTarget(blobs, `exports/${exportId}/`, `blob store: exports/${exportId}/`, 16);
  return openDestination(destination, openBucket);
}

/** An export location given by path or s3:// URL (what the CLI's export and verify take). */
export async function openDestination(
  destination: string,
  openBucket: (bucket: string) => BlobStore = createBlobStoreForBucket,
): Promise<ExportTarget> {
  if (destination.startsWith("s3://")) {
    const { bucket, prefix } = parseS3Url(destination);
    const normalized = prefix === "" || prefix.endsWith("/") ? prefix : `${prefix}/`;
    return new StoreTarget(openBucket(bucket), normalized, destination, 8);
  }
  if (!path.isAbsolute(destination)) throw new Error(`export destination must be an absolute path: ${destination}`);
  await mkdir(destination, { recursive: true });
  const store = new LocalDiskStore(destination, {
    // Not served: a local export directory has no download URLs.
    signingSecret: "local-export",
    publicBaseUrl: "http://localhost",
    syncEachPut: false,
  });
  const finish = async () => {
    await rm(path.join(destination, ".tmp"), { recursive: true, force: true });
    await syncFileSystem(destination);
  };
  return new StoreTarget(store, "", destination, 32, finish, false);
}

/** One syncfs(2) for the whole export instead of an fsync per file (`sync -f`, GNU coreutils). */
function syncFileSystem(directory: string): Promise<void> {
  return new Promise((resolve) => {
    const child = spawn("sync", ["-f", directory], { stdio: "ignore" });
    child.on("error", () => resolve());
    child.on("exit", () => resolve());
  });
}
