import { copyFileSync, mkdirSync, renameSync, statSync } from "node:fs";
import { mkdir, readdir, rm } from "node:fs/promises";
import path from "node:path";
import type { Readable } from "node:stream";
import { parseS3Url } from "@arbor/core";
import { assertValidKey, type BlobStore, createBlobStoreForBucket, LocalDiskStore } from "@arbor/storage";

/**
 * Where an export's files go: a local directory, an S3 prefix, or Arbor's own blob store. Every write is
 * atomic (a local temp file renamed into place, or an S3 object that appears whole), which is what makes a
 * killed export safe to re-run: a file is either complete or absent.
 */
export interface ExportTarget {
  readonly location: string;
  readonly concurrency: number;
  /** Files already there (relative path → bytes): the whole listing (verify reads it). */
  existing(): Promise<Map<string, number>>;
  /**
   * The size of a file already there, or undefined (what a resumed export skips). A local directory answers by
   * stat, or at once when it was empty; a blob store or S3 prefix holds its listing (~100 bytes a file).
   */
  presence(): Promise<(relativePath: string) => number | undefined>;
  write(relativePath: string, body: Buffer | Readable): Promise<number>;
  /**
   * Copies a local file in, atomically (copy to a staging file, rename into place), synchronously. Only
   * local directories can: for many small images, a thread-pool round trip per system call costs more than
   * the copy itself, so the caller runs these in short synchronous bursts (as tar would) and yields between
   * them.
   */
  copyFileSync?(sourcePath: string, relativePath: string): void;
  read(relativePath: string): Promise<Readable>;
  /** Clears what killed writes left behind and makes the files durable. */
  finish(): Promise<void>;
  /**
   * A time-limited download URL, where the target can make one; `origin` is the requesting origin, the base of
   * URLs that point back at the web app when ARBOR_PUBLIC_URL is not set.
   */
  downloadUrl(relativePath: string, expiresInSeconds: number, origin?: string): Promise<string | null>;
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

  async presence(): Promise<(relativePath: string) => number | undefined> {
    const files = await this.existing();
    return (relativePath) => files.get(relativePath);
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

  async downloadUrl(relativePath: string, expiresInSeconds: number, origin?: string): Promise<string | null> {
    if (!this.canDownload) return null;
    return this.store.presignedUrl(this.prefix + relativePath, { expiresInSeconds, origin });
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
    syncEachPut: false,
  });
  // No fsync: the threat is a killed process (atomic renames cover it), not a power cut; after one of those
  // `arbor export verify` finds any damaged file and a re-run rewrites it. tar, the baseline, does not sync either.
  const finish = () => rm(path.join(destination, ".tmp"), { recursive: true, force: true });
  const target = new StoreTarget(store, "", destination, 32, finish, false);
  return Object.assign(target, {
    copyFileSync: localCopier(destination),
    presence: async () => localPresence(destination),
  });
}

/**
 * presence() of a local export directory without listing it (1.28 M paths): a stat per file, or nothing at
 * all when the directory held no file yet (a first run; killed writes leave only .tmp, which finish() clears).
 */
async function localPresence(root: string): Promise<(relativePath: string) => number | undefined> {
  const entries = (await readdir(root)).filter((name) => name !== ".tmp");
  if (entries.length === 0) return () => undefined;
  return (relativePath) => {
    const stats = statSync(path.join(root, ...relativePath.split("/")), { throwIfNoEntry: false });
    return stats?.isFile() ? stats.size : undefined;
  };
}

/** copyFileSync for a local export directory; each directory is created once, not once per file. */
function localCopier(root: string): (sourcePath: string, relativePath: string) => void {
  const made = new Set<string>();
  const ensureDir = (dir: string) => {
    if (made.has(dir)) return;
    mkdirSync(dir, { recursive: true });
    made.add(dir);
  };
  const staging = path.join(root, ".tmp");
  let counter = 0;
  return (sourcePath, relativePath) => {
    assertValidKey(relativePath);
    const finalPath = path.join(root, ...relativePath.split("/"));
    ensureDir(staging);
    ensureDir(path.dirname(finalPath));
    // Staged in .tmp (same filesystem) and renamed, so a killed export never leaves a partial image.
    const temp = path.join(staging, `${process.pid}-${++counter}`);
    copyFileSync(sourcePath, temp);
    renameSync(temp, finalPath);
  };
}
