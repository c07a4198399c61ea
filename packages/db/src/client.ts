import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import { openDatabase } from "./connection.ts";
import { registerPool } from "./copy-out.ts";
import { dbEnv } from "./env.ts";
import { PrismaClient } from "./generated/prisma/client.ts";

export type Db = InstanceType<typeof PrismaClient>;

/** The client inside `db.$transaction(async (tx) => …)`: what a step of a larger transaction takes. */
export type Tx = Parameters<Parameters<Db["$transaction"]>[0]>[0];

/** A function that works inside or outside a transaction. */
export type DbOrTx = Db | Tx;

export function createDb(url: string, poolSize = dbEnv().poolSize): Db {
  const pool = new pg.Pool({ connectionString: url, max: poolSize });
  // An idle connection's failure (the server restarted, the database was dropped) is emitted on the pool, and
  // unhandled it would end the process; the pool drops that connection, and the next query opens another (or
  // fails, visibly, if the server is gone). Prisma attaches its own listener only once it has connected.
  pool.on("error", () => {});
  const db = new PrismaClient({ adapter: new PrismaPg(pool, { disposeExternalPool: true }) });
  registerPool(db, pool);
  return db;
}

const globalForDb = globalThis as unknown as { arborDatabase?: Promise<{ url: string; db: Db }> };

/**
 * The process-wide database of long-running servers (the web app): its URL and client. Kept on globalThis
 * so Next's dev-mode module reloads do not open a new pool each time.
 */
export function getDatabase(): Promise<{ url: string; db: Db }> {
  globalForDb.arborDatabase ??= openDatabase().then((handle) => ({ url: handle.url, db: createDb(handle.url) }));
  return globalForDb.arborDatabase;
}

export async function getDb(): Promise<Db> {
  return (await getDatabase()).db;
}
