/**
 * Hierarchy benchmark: WordNet import time, and latency of GET /api/v1/synsets/{wnid} under load.
 *   npm run bench:hierarchy
 * Baselines, measured in the same run: for the import, writing the same rows with plain INSERTs into
 * tables without keys or indexes (the floor for any loader); for the API, GET /api/v1/health on the same
 * server (framework and HTTP overhead alone). Ratios are baseline / measured: 1.0× would be free.
 */
import { readFile } from "node:fs/promises";
import { buildWebAppIfStale, type RunningWebApp, serveWebApp } from "@arbor/cli/web";
import { createDb } from "@arbor/db";
import { MIGRATIONS_DIR, runMigrations } from "@arbor/db/migrate";
import { createDatabaseFrom, startTestServer } from "@arbor/db/testing";
import { buildHierarchy, importWordnet } from "@arbor/usecases/wordnet";
import { defaultDataNounPath } from "@arbor/usecases/wordnet/source";
import autocannon from "autocannon";
import pg from "pg";
import { report, timed } from "./report.ts";

const server = await startTestServer();
const database = await createDatabaseFrom(server.adminUrl, "template0");
await runMigrations(database.url, MIGRATIONS_DIR);
const db = createDb(database.url, 4);
let web: RunningWebApp | undefined;

try {
  console.log("# WordNet import");
  const text = await readFile(defaultDataNounPath(), "utf8");
  const parse = await timed(async () => buildHierarchy(text));
  const baseline = await timed(() => rawInsert(database.url, parse.result));
  const first = await timed(() => importWordnet(db));
  const again = await timed(() => importWordnet(db));
  console.log(`parse + closure in memory: ${parse.seconds.toFixed(2)} s (${first.result.closureRows} closure rows)`);
  report("import into an empty database", first.seconds, "s", baseline.seconds + parse.seconds, "parse + raw insert");
  report(
    "re-import (no change, idempotent)",
    again.seconds,
    "s",
    baseline.seconds + parse.seconds,
    "parse + raw insert",
  );

  console.log("\n# GET /api/v1/synsets/{wnid} (autocannon, 10 connections, 10 s each)");
  await buildWebAppIfStale((line) => console.log(line));
  web = await serveWebApp(database.url);
  const base = web.baseUrl;
  const wnids = (await db.synset.findMany({ select: { wnid: true }, where: { depth: { gte: 4 } }, take: 2000 })).map(
    (s) => s.wnid,
  );
  await load(`${base}/api/v1/health`, [], 3); // warm-up
  await load(`${base}/api/v1/synsets/n02084071`, [], 3);
  const health = await load(`${base}/api/v1/health`, [], 10);
  const synsets = await load(base, wnids, 10);
  console.log(`health:  p50 ${health.p50} ms  p99 ${health.p99} ms  ${health.rps} req/s`);
  console.log(
    `synsets: p50 ${synsets.p50} ms  p99 ${synsets.p99} ms  ${synsets.rps} req/s  (${synsets.non2xx} non-2xx)`,
  );
  report("synset detail p50 latency", synsets.p50, "ms", health.p50, "health p50");
  report("synset detail p99 latency", synsets.p99, "ms", health.p99, "health p99");
} finally {
  web?.stop();
  await db.$disconnect();
  await database.drop();
  await server.stop();
}

/** The floor: the same rows through INSERT ... SELECT unnest into tables with no keys, indexes or merge. */
async function rawInsert(url: string, h: ReturnType<typeof buildHierarchy>): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(`CREATE TABLE raw_synset (id int, lemmas text, gloss text, lex_file text, depth int, size int);
      CREATE TABLE raw_edge (parent int, child int, kind text); CREATE TABLE raw_closure (a int, d int, dist int);`);
    const chunk = 50_000;
    for (let i = 0; i < h.synsets.length; i += chunk) {
      const c = h.synsets.slice(i, i + chunk);
      await client.query(
        "INSERT INTO raw_synset SELECT * FROM unnest($1::int[], $2::text[], $3::text[], $4::text[], $5::int[], $6::int[])",
        [
          c.map((s) => s.offset),
          c.map((s) => s.lemmas.join("\t")),
          c.map((s) => s.gloss),
          c.map((s) => s.lexFile),
          c.map((s) => h.closure.depth.get(s.offset)),
          c.map((s) => h.closure.subtreeSize.get(s.offset)),
        ],
      );
    }
    await client.query("INSERT INTO raw_edge SELECT * FROM unnest($1::int[], $2::int[], $3::text[])", [
      h.edges.map((e) => e.parent),
      h.edges.map((e) => e.child),
      h.edges.map((e) => e.kind),
    ]);
    for (let i = 0; i < h.closure.rows.length; i += chunk) {
      const c = h.closure.rows.slice(i, i + chunk);
      await client.query("INSERT INTO raw_closure SELECT * FROM unnest($1::int[], $2::int[], $3::int[])", [
        c.map((r) => r.ancestor),
        c.map((r) => r.descendant),
        c.map((r) => r.distance),
      ]);
    }
    await client.query("DROP TABLE raw_synset, raw_edge, raw_closure");
  } finally {
    await client.end();
  }
}

async function load(url: string, wnids: string[], seconds: number) {
  let next = 0;
  const result = await autocannon({
    url,
    connections: 10,
    duration: seconds,
    requests: wnids.length
      ? [{ setupRequest: (req) => ({ ...req, path: `/api/v1/synsets/${wnids[next++ % wnids.length]}` }) }]
      : undefined,
  });
  return {
    p50: result.latency.p50,
    p99: result.latency.p99,
    rps: Math.round(result.requests.average),
    non2xx: result.non2xx,
  };
}
