import { createDb, type Db, dbEnv, openDatabase } from "@arbor/db";
import { type JobQueue, PgBossQueue } from "@arbor/jobs";
import { type BlobStore, createBlobStore, storageEnv } from "@arbor/storage";
import { usecasesEnv } from "./env.ts";

/** The providers every use-case draws on, each picked by configuration in its own package's factory. */
export interface Services {
  db: Db;
  blobs: BlobStore;
  jobs: JobQueue;
}

/** What a process built with `createServices` holds, and how to let go of it. */
export interface OpenServices extends Services {
  /** The database the pool and the job queue talk to. */
  databaseUrl: string;
  /**
   * Stops the job queue (its workers finish their job first), closes the pool and, when this process started
   * the embedded database server for them, stops it.
   */
  close(): Promise<void>;
}

export interface ServicesOptions {
  /** Default: DATABASE_URL, else the embedded server of ARBOR_HOME (started when nobody runs it). */
  databaseUrl?: string;
  /** Connections in the pool. Default: ARBOR_DB_POOL_SIZE. */
  poolSize?: number;
  /** The local blob store's folder (what ARBOR_BLOB_DIR sets; ignored with ARBOR_STORAGE=s3). */
  blobDir?: string;
}

/**
 * The composition root: builds the providers (database pool, blob store, job queue) from configuration. The
 * one place a `Db`, a `BlobStore` or a `JobQueue` is constructed outside tests; long-running processes take
 * the cached `getServices()`, the CLI opens and closes its own with `withServices()`.
 */
export async function createServices(options: ServicesOptions = {}): Promise<OpenServices> {
  const database = options.databaseUrl ? { url: options.databaseUrl, close: async () => {} } : await openDatabase();
  try {
    const storage = storageEnv();
    const blobs = await createBlobStore(
      dbEnv().arborHome,
      options.blobDir && storage.storage === "local" ? { ...storage, blobDir: options.blobDir } : storage,
      // Staged files of puts killed with their process are swept when the store opens, on the stale-run threshold.
      { staleTempMs: usecasesEnv().staleRunSeconds * 1000 },
    );
    const db = createDb(database.url, options.poolSize);
    const jobs = new PgBossQueue({ connectionString: database.url });
    let closed: Promise<void> | undefined;
    return {
      db,
      blobs,
      jobs,
      databaseUrl: database.url,
      close: () => {
        closed ??= (async () => {
          try {
            await jobs.stop();
          } finally {
            await db.$disconnect();
            await database.close();
          }
        })();
        return closed;
      },
    };
  } catch (error) {
    await database.close();
    throw error;
  }
}

const globalForServices = globalThis as unknown as { arborServices?: Promise<OpenServices> };

/**
 * The process's one set of services, for long-running processes (the web app): created on first use and kept
 * for the life of the process, on globalThis so that Next's dev-mode module reloads do not open a new pool.
 */
export function getServices(): Promise<Services> {
  globalForServices.arborServices ??= createServices().catch((error: unknown) => {
    // A failed start (database unreachable) is retried by the next request rather than cached.
    globalForServices.arborServices = undefined;
    throw error;
  });
  return globalForServices.arborServices;
}
