import { type Db, dbEnv, getDatabase } from "@arbor/db";
import { type JobQueue, PgBossQueue } from "@arbor/jobs";
import { type BlobStore, createBlobStore } from "@arbor/storage";

/** The providers every use-case draws on, each picked by configuration in its own package's factory. */
export interface Services {
  db: Db;
  blobs: BlobStore;
  jobs: JobQueue;
}

const globalForServices = globalThis as unknown as { arborServices?: Promise<Services> };

/** The web app's process-wide services (one pool, one blob store, one job queue). */
export function getServices(): Promise<Services> {
  globalForServices.arborServices ??= (async () => {
    const { url, db } = await getDatabase();
    return { db, blobs: await createBlobStore(dbEnv().arborHome), jobs: new PgBossQueue({ connectionString: url }) };
  })();
  return globalForServices.arborServices;
}
