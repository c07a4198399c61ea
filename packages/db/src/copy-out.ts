import type { Transform, Writable } from "node:stream";
import { pipeline } from "node:stream/promises";
import type pg from "pg";
import { to as copyTo } from "pg-copy-streams";

const pools = new WeakMap<object, pg.Pool>();

/** Remembers the pg pool behind a client (client.ts), so copyOut can borrow a connection from it. */
export function registerPool(db: object, pool: pg.Pool): void {
  pools.set(db, pool);
}

/**
 * Streams `COPY (select) TO STDOUT` through `stages` (transforms, then the destination, which is ended) on a
 * connection of the client's own pool: PostgreSQL writes the rows in its own format while this process only passes
 * bytes on, where a cursor turns every row into a JavaScript object first. A slow `out` slows the server down
 * (backpressure); nothing piles up. `options` is COPY's option list, e.g. `FORMAT csv, …`.
 */
export async function copyOut(
  db: object,
  select: string,
  options: string,
  ...stages: [...Transform[], Writable]
): Promise<void> {
  const pool = pools.get(db);
  if (!pool) throw new Error("copyOut needs a client made by createDb");
  const client = await pool.connect();
  let failed: Error | undefined;
  try {
    const rows = client.query(copyTo(`COPY (${select}) TO STDOUT (${options})`));
    await pipeline([rows, ...stages]);
  } catch (error) {
    failed = error as Error;
    throw error;
  } finally {
    // A connection whose COPY failed midway may still be inside the protocol's copy mode: it is not reused.
    client.release(failed);
  }
}
