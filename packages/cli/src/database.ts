import { createDb, type Db, openDatabase } from "@arbor/db";
import { MIGRATIONS_DIR, runMigrations } from "@arbor/db/migrate";

/**
 * Runs a CLI command with the database: DATABASE_URL's server, or the embedded one of ARBOR_HOME (reused
 * when `arbor start` runs it, else started for the command and stopped after it). Pending migrations are
 * applied first (a no-op when up to date), so no command ever meets an old schema.
 */
export async function withDatabase<T>(work: (db: Db, url: string) => Promise<T>): Promise<T> {
  const handle = await openDatabase();
  await runMigrations(handle.url, MIGRATIONS_DIR).catch(async (error) => {
    await handle.close();
    throw error;
  });
  const db = createDb(handle.url, 4);
  try {
    return await work(db, handle.url);
  } finally {
    await db.$disconnect();
    await handle.close();
  }
}
