import { PrismaPg } from "@prisma/adapter-pg";
import { openDatabase } from "./connection.ts";
import { dbEnv } from "./env.ts";
import { PrismaClient } from "./generated/prisma/client.ts";

export type Db = InstanceType<typeof PrismaClient>;

export function createDb(url: string, poolSize = dbEnv().poolSize): Db {
  return new PrismaClient({ adapter: new PrismaPg({ connectionString: url, max: poolSize }) });
}

const globalForDb = globalThis as unknown as { arborDb?: Promise<Db> };

/**
 * The process-wide client for long-running servers (the web app). Kept on globalThis so Next's dev-mode
 * module reloads do not open a new pool each time.
 */
export function getDb(): Promise<Db> {
  globalForDb.arborDb ??= openDatabase().then((handle) => createDb(handle.url));
  return globalForDb.arborDb;
}
