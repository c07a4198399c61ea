import { randomUUID } from "node:crypto";
import { type FileHandle, mkdir, open, readdir, rename, rm, stat } from "node:fs/promises";
import path from "node:path";
import type { Readable } from "node:stream";
import type {
  BlobBody,
  BlobInfo,
  BlobStore,
  ListOptions,
  PresignOptions,
  PutOptions,
  SignedRequest,
} from "./blob-store.ts";
import { BlobNotFoundError } from "./blob-store.ts";
import { contentTypeForKey } from "./content-type.ts";
import { assertValidKey, assertValidPrefix } from "./keys.ts";
import { walkSortedKeys } from "./local-listing.ts";
import { localSignature, unixSeconds, verifyLocalSignature } from "./local-signature.ts";
import { loadOrCreateSigningSecret } from "./signing-secret.ts";
import { checkListLimit, checkPresignOptions } from "./store-options.ts";

/** Where puts are staged; on the same filesystem as the blobs so rename() is atomic. Never a valid key. */
export const TEMP_DIR = ".tmp";

/**
 * A staged file untouched for this long belongs to a put that will never finish (its process was killed):
 * `open` deletes it. A live put writes its file as its bytes arrive, so only a source stalled that long could
 * lose its staging file to this (its put then fails; nothing half-written ever becomes visible). The default of
 * `open`; the services open the store with the stale-run threshold (ARBOR_STALE_RUN_SECONDS) instead.
 */
export const STALE_TEMP_MS = 60 * 60 * 1000;

export interface LocalDiskStoreOptions {
  signingSecret: string | Buffer;
  /**
   * Address of the web app that serves `/api/v1/blobs/<key>` as browsers reach it (ARBOR_PUBLIC_URL, e.g.
   * https://arbor.example.org). Absent: each presigned URL takes the `origin` it is asked for (the request's).
   */
  publicBaseUrl?: string;
  /**
   * fsync every object before it becomes visible (default). Exports of many small files turn it off and
   * sync once at the end: a killed process still never leaves a partial file (rename is atomic), only a
   * power cut could, and a re-run rewrites what is missing.
   */
  syncEachPut?: boolean;
}

/** Blobs as plain files at `<rootDir>/<key>`. */
export class LocalDiskStore implements BlobStore {
  readonly kind = "local";
  readonly rootDir: string;
  readonly #signingSecret: string | Buffer;
  readonly #publicBaseUrl: string | undefined;
  readonly #syncEachPut: boolean;

  constructor(rootDir: string, options: LocalDiskStoreOptions) {
    if (!options.signingSecret || options.signingSecret.length === 0)
      throw new Error("signingSecret must not be empty");
    this.rootDir = path.resolve(rootDir);
    this.#signingSecret = options.signingSecret;
    this.#publicBaseUrl = options.publicBaseUrl?.replace(/\/+$/, "");
    this.#syncEachPut = options.syncEachPut ?? true;
  }

  /**
   * Like the constructor, but without a configured secret uses (or creates) the one persisted in rootDir; and
   * sweeps the staging folder of files older than `staleTempMs` (default STALE_TEMP_MS), which killed puts
   * left behind.
   */
  static async open(
    rootDir: string,
    options: { signingSecret?: string | Buffer; publicBaseUrl?: string; staleTempMs?: number },
  ): Promise<LocalDiskStore> {
    const signingSecret = options.signingSecret ?? (await loadOrCreateSigningSecret(rootDir));
    const store = new LocalDiskStore(rootDir, { signingSecret, publicBaseUrl: options.publicBaseUrl });
    await store.sweepTemp(options.staleTempMs ?? STALE_TEMP_MS);
    return store;
  }

  /**
   * Deletes staged files not modified for olderThanMs (what killed puts left); returns how many. Best effort: a
   * file another process renames or deletes meanwhile is simply gone.
   */
  async sweepTemp(olderThanMs: number, now = Date.now()): Promise<number> {
    const tempDir = path.join(this.rootDir, TEMP_DIR);
    const names = await readdir(tempDir).catch(() => [] as string[]);
    let swept = 0;
    for (const name of names) {
      const file = path.join(tempDir, name);
      const info = await stat(file).catch(() => null);
      if (!info?.isFile() || now - info.mtimeMs < olderThanMs) continue;
      await rm(file, { force: true }).then(
        () => swept++,
        () => {},
      );
    }
    return swept;
  }

  async put(key: string, body: BlobBody, _options?: PutOptions): Promise<BlobInfo> {
    assertValidKey(key);
    const tempDir = path.join(this.rootDir, TEMP_DIR);
    await mkdir(tempDir, { recursive: true });
    const tempPath = path.join(tempDir, randomUUID());
    const finalPath = this.#pathOf(key);
    try {
      const bytes = await writeDurably(tempPath, body, this.#syncEachPut);
      await mkdir(path.dirname(finalPath), { recursive: true });
      // rename() atomically replaces any previous object, so readers see the old bytes or the new, never a mix.
      await rename(tempPath, finalPath);
      if (this.#syncEachPut) await syncDirectory(path.dirname(finalPath));
      return { key, bytes, contentType: contentTypeForKey(key) };
    } catch (error) {
      await rm(tempPath, { force: true });
      throw error;
    }
  }

  async getStream(key: string): Promise<Readable> {
    assertValidKey(key);
    // Opening first turns a missing file into a rejection here rather than an error event on the stream.
    let handle: FileHandle;
    try {
      handle = await open(this.#pathOf(key), "r");
    } catch (error) {
      if (isMissing(error)) throw new BlobNotFoundError(key, { cause: error });
      throw error;
    }
    // A directory exists at `a` when keys like `a/b` do; it is not an object.
    if (!(await handle.stat().catch(() => undefined))?.isFile()) {
      await handle.close();
      throw new BlobNotFoundError(key);
    }
    return handle.createReadStream();
  }

  async head(key: string): Promise<BlobInfo | null> {
    assertValidKey(key);
    try {
      const stats = await stat(this.#pathOf(key));
      // A directory exists at `a` when keys like `a/b` do; it is not an object.
      return stats.isFile() ? { key, bytes: stats.size, contentType: contentTypeForKey(key) } : null;
    } catch (error) {
      if (isMissing(error)) return null;
      throw error;
    }
  }

  async delete(key: string): Promise<void> {
    assertValidKey(key);
    try {
      await rm(this.#pathOf(key));
    } catch (error) {
      // rm without `recursive` refuses directories (EISDIR/ERR_FS_EISDIR), so `a` never deletes `a/b`.
      if (isMissing(error) || (error as NodeJS.ErrnoException).code === "ERR_FS_EISDIR") return;
      throw error;
    }
    // Empty parent directories are left behind: removing them would race with a concurrent put's mkdir.
  }

  async *list(prefix: string, options: ListOptions = {}): AsyncGenerator<BlobInfo> {
    assertValidPrefix(prefix);
    const limit = checkListLimit(options.limit);
    let count = 0;
    for await (const info of walkSortedKeys(this.rootDir, prefix, options.startAfter ?? "")) {
      yield info;
      if (++count >= limit) return;
    }
  }

  /**
   * A URL of the web app's blob route: on the configured public URL, else on the origin the caller was reached
   * at (never a guessed localhost, which breaks every link of a server that runs elsewhere).
   */
  async presignedUrl(key: string, options: PresignOptions): Promise<string> {
    assertValidKey(key);
    const { expiresInSeconds, method, origin } = checkPresignOptions(options);
    const base = this.#publicBaseUrl ?? origin;
    if (base === undefined) {
      throw new Error("no address for presigned URLs: set ARBOR_PUBLIC_URL, or pass the request's origin");
    }
    const expires = unixSeconds(new Date()) + expiresInSeconds;
    const signature = localSignature(this.#signingSecret, method, key, expires);
    // Key characters are URL-safe by construction (see keys.ts), so the key goes into the path unescaped.
    return `${base}/api/v1/blobs/${key}?expires=${expires}&signature=${signature}`;
  }

  /** Checks a request for a URL made by presignedUrl (the web app's blob route serves them). */
  verifySignedRequest(request: SignedRequest, now?: Date): boolean {
    return verifyLocalSignature(request, this.#signingSecret, now);
  }

  /** The file behind a key, for callers that copy whole files faster than streams can (exports). */
  localPath(key: string): string {
    assertValidKey(key);
    return this.#pathOf(key);
  }

  #pathOf(key: string): string {
    // A valid key has no "." or ".." segment and no empty one, so on POSIX joining is concatenating
    // (path.join's normalisation was a third of localPath's cost, called once per image by exports).
    if (path.sep !== "/") return path.join(this.rootDir, ...key.split("/"));
    return this.rootDir.endsWith("/") ? this.rootDir + key : `${this.rootDir}/${key}`;
  }
}

/** Writes body to a new file and fsyncs it, so a rename after this never exposes a file with missing bytes. */
async function writeDurably(filePath: string, body: BlobBody, sync: boolean): Promise<number> {
  const handle = await open(filePath, "wx", 0o644);
  try {
    let bytes = 0;
    if (body instanceof Uint8Array) {
      await handle.writeFile(body);
      bytes = body.byteLength;
    } else {
      for await (const chunk of body) {
        const buffer = typeof chunk === "string" ? Buffer.from(chunk) : (chunk as Uint8Array);
        await writeAll(handle, buffer);
        bytes += buffer.byteLength;
      }
    }
    if (sync) await handle.sync();
    return bytes;
  } finally {
    await handle.close();
  }
}

/** FileHandle.write may write less than asked (like write(2)); loop until the chunk is on its way to disk. */
async function writeAll(handle: FileHandle, buffer: Uint8Array): Promise<void> {
  for (let offset = 0; offset < buffer.byteLength; ) {
    const { bytesWritten } = await handle.write(buffer, offset, buffer.byteLength - offset);
    offset += bytesWritten;
  }
}

/** Makes the rename itself durable; best effort, since some platforms cannot open or fsync a directory. */
async function syncDirectory(directory: string): Promise<void> {
  let handle: FileHandle | undefined;
  try {
    handle = await open(directory, "r");
    await handle.sync();
  } catch {
    // Durability of the directory entry is a bonus; the object is already complete and visible.
  } finally {
    await handle?.close();
  }
}

function isMissing(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException).code;
  return code === "ENOENT" || code === "ENOTDIR";
}
