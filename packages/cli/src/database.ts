import { createDb, type Db, openDatabase } from "@arbor/db";

/**
 * Runs a CLI command with the database: DATABASE_URL's server, or the embedded one of ARBOR_HOME (reused
 * when `arbor start` runs it, else started for the command and stopped after it).
 */
export async function withDatabase<T>(work: (db: Db, url: string) => Promise<T>): Promise<T> {
  const handle = await openDatabase();
  const db = createDb(handle.url, 4);
  try {
    return await work(db, handle.url);
  } finally {
    await db.$disconnect();
    await handle.close();
  }
}
