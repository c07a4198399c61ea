import { type Transform, Writable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { StringDecoder } from "node:string_decoder";
import type pg from "pg";
import { to as copyTo } from "pg-copy-streams";
import type { Sql } from "./generated/prisma/internal/prismaNamespace.ts";

const pools = new WeakMap<object, pg.Pool>();

/** Remembers the pg pool behind a client (client.ts), so copyOut can borrow a connection from it. */
export function registerPool(db: object, pool: pg.Pool): void {
  pools.set(db, pool);
}

/**
 * Streams `COPY (select) TO STDOUT` through `stages` (transforms, then the destination, which is ended) on a
 * connection of the client's own pool: PostgreSQL writes the rows in its own format while this process only passes
 * bytes on, where a cursor turns every row into a JavaScript object first. A slow stage slows the server down
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

/**
 * `COPY (select) TO STDOUT` in COPY's text format, each row handed to `onRow` as its line (columns separated
 * by tabs, no newline): for reading many rows of a few plain columns, where decoding a result cell by cell
 * costs more than the query. Values holding a tab, a newline or a backslash come escaped (COPY's text format);
 * callers select columns that cannot. Resolves with the number of rows.
 */
export async function copyOutLines(db: object, select: string, onRow: (line: string) => void): Promise<number> {
  let rows = 0;
  let rest = "";
  const utf8 = new StringDecoder("utf8"); // a chunk may end inside a character
  const lines = new Writable({
    write(chunk: Buffer, _encoding, done) {
      const text = rest + utf8.write(chunk);
      let start = 0;
      try {
        for (let end = text.indexOf("\n"); end !== -1; end = text.indexOf("\n", start)) {
          onRow(text.slice(start, end));
          rows++;
          start = end + 1;
        }
      } catch (error) {
        done(error as Error); // onRow refused a row: the COPY is abandoned and copyOutLines rejects with it
        return;
      }
      rest = text.slice(start);
      done();
    },
  });
  await copyOut(db, select, "FORMAT text", lines);
  return rows;
}

/**
 * A Prisma.sql query's text with its values written in, for copyOut (COPY takes no parameters). Only integers
 * (alone or as an array, for `= ANY(${ids}::int[])`) and lower-case words (enum labels such as split names) are
 * written in; any other value is refused rather than quoted, so no caller's text ever reaches the SQL.
 */
export function inlineSql(query: Sql): string {
  return query.text.replace(/\$(\d+)/g, (_, n: string) => {
    const value = query.values[Number(n) - 1];
    if (typeof value === "number" && Number.isInteger(value)) return String(value);
    if (Array.isArray(value) && value.every((v) => typeof v === "number" && Number.isInteger(v)))
      return `'{${value.join(",")}}'`;
    if (typeof value === "string" && /^[a-z]+$/.test(value)) return `'${value}'`;
    throw new Error(`cannot inline ${JSON.stringify(value)} into a COPY statement`);
  });
}
