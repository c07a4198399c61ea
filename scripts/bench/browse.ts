/**
 * Browse at ImageNet size: on the scale fixture (scripts/scale-fixture/fill.ts: 1.28 M verified images on the
 * 1000 ILSVRC-2012 classes plus candidates and votes on 20,841 more synsets), 32 connections (autocannon)
 * against `next start`: the no-op GET /api/v1/health, then GET /api/v1/synsets/{wnid} (random wnids, entity
 * and animal among them), the synset page's HTML, the image grid's first page and a deep page (keyset cursor
 * far down), and search. Each kind is printed as its throughput ÷ the no-op's and its p99 ÷ the no-op's
 * (targets ≥ 0.5× and ≤ 2×), all in this run (the mean of the no-op runs just before and after the kind); then the counts are recounted (`arbor counts verify`).
 * The last line is one JSON object with `browse`.
 *   npm run bench:browse [-- --images 100000] [--seconds 10]
 * The filled database is kept on the test server between runs (ensureScaleFixture), so only the first run at
 * a size pays for the fill; the routes measured only read, so it is served in place.
 */
import { parseArgs } from "node:util";
import { buildWebAppIfStale, type RunningWebApp, serveWebApp } from "@arbor/cli/web";
import { startTestServer } from "@arbor/db/testing";
import { recountSynsetCounts } from "@arbor/usecases/ingest";
import autocannon from "autocannon";
import pg from "pg";
import { ensureScaleFixture, ILSVRC2012_TRAIN_IMAGES } from "../scale-fixture/fill.ts";

const CONNECTIONS = 32;
const ENTITY = "n00001740";
const ANIMAL = "n00015388";
const { values } = parseArgs({
  options: {
    images: { type: "string", default: String(ILSVRC2012_TRAIN_IMAGES) },
    seconds: { type: "string", default: "10" },
    "skip-verify": { type: "boolean", default: false },
  },
});
const images = Number(values.images);
const seconds = Number(values.seconds);

const server = await startTestServer();
let web: RunningWebApp | undefined;
const client = new pg.Client({ connectionString: server.adminUrl });
try {
  const t0 = performance.now();
  const fixture = await ensureScaleFixture(server.adminUrl, { images, onProgress: (line) => console.log(line) });
  console.log(`# fixture ${fixture.name} ready in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  const db = new pg.Client({ connectionString: fixture.url });
  await db.connect();
  const pools = await requestPools(db);
  await db.end();

  await buildWebAppIfStale((line) => console.log(line));
  web = await serveWebApp(fixture.url, { ARBOR_DB_POOL_SIZE: "20" });
  const base = web.baseUrl;
  // `layoutPage` is a reference, not a target: the sign-in page is the shared layout and a form, no data, so
  // it is what any server-rendered page costs here before the synset page's own work.
  const kinds: Array<{ name: string; paths: string[]; reference?: true }> = [
    { name: "synset", paths: pools.wnids.map((w) => `/api/v1/synsets/${w}`) },
    { name: "synsetPage", paths: pools.wnids.map((w) => `/synsets/${w}`) },
    { name: "layoutPage", paths: ["/login"], reference: true },
    { name: "gridFirst", paths: pools.gridFirst },
    { name: "gridDeep", paths: pools.gridDeep },
    { name: "search", paths: pools.queries.map((q) => `/api/v1/synsets?q=${encodeURIComponent(q)}&limit=20`) },
  ];
  // Warm-up: JIT, the hierarchy's first load, the pool's connections, PostgreSQL's buffers (not measured).
  await load(base, ["/api/v1/health"], 3);
  for (const kind of kinds) await load(base, kind.paths, 3);

  // What one request costs on its own (1 connection): the work each kind adds to the no-op's.
  console.log("\n# 1 connection, 3 s each: p50 latency (what one request costs alone)");
  const alone: Record<string, number> = { noop: (await load(base, ["/api/v1/health"], 3, 1)).p50 };
  for (const kind of kinds) alone[kind.name] = (await load(base, kind.paths, 3, 1)).p50;
  console.log(
    Object.entries(alone)
      .map(([name, p50]) => `${name} ${p50} ms`)
      .join(", "),
  );

  // The no-op runs before and after each kind, and the kind is compared with their mean: on a shared machine
  // the load of other work drifts within a run.
  console.log(`\n# ${CONNECTIONS} connections, ${seconds} s each; each kind against the no-op runs around it`);
  const browse: Record<string, unknown> = {};
  let met = true;
  let before = await noop(base, seconds);
  for (const kind of kinds) {
    const result = await load(base, kind.paths, seconds);
    const after = await noop(base, seconds);
    const baseline = { rps: (before.rps + after.rps) / 2, p99: (before.p99 + after.p99) / 2 };
    const throughputRatio = round(result.rps / baseline.rps);
    const p99Ratio = round(result.p99 / Math.max(baseline.p99, 1));
    const ok = throughputRatio >= 0.5 && p99Ratio <= 2 && result.non2xx === 0 && result.errors === 0;
    if (!kind.reference) met &&= ok;
    const noopFigures = { rps: round(baseline.rps), p99: baseline.p99 };
    browse[kind.name] = {
      ...result,
      throughputRatio,
      p99Ratio,
      noop: noopFigures,
      ...(kind.reference && { reference: true }),
    };
    console.log(
      `${kind.name.padEnd(11)} ${String(result.rps).padStart(6)} req/s = ${throughputRatio.toFixed(2)}× no-op ` +
        `(${baseline.rps.toFixed(0)})   p50 ${result.p50} ms  p99 ${result.p99} ms = ${p99Ratio.toFixed(2)}× no-op ` +
        `(${baseline.p99} ms)   ${result.non2xx} non-2xx, ${result.errors} errors  ` +
        (kind.reference ? "(reference, no target)" : `${ok ? "✓" : "✗"} (≥ 0.5×, ≤ 2×)`),
    );
    before = after;
  }
  web.stop();
  web = undefined;

  let countsExact: boolean | null = null;
  if (!values["skip-verify"]) {
    const { createDb } = await import("@arbor/db");
    const verifier = createDb(fixture.url, 1);
    const v0 = performance.now();
    const mismatches = await recountSynsetCounts(verifier).finally(() => verifier.$disconnect());
    countsExact = mismatches.length === 0;
    console.log(
      `\ncounts verify: ${countsExact ? "exact" : `${mismatches.length} MISMATCHES`} (${((performance.now() - v0) / 1000).toFixed(1)} s)`,
    );
  }
  if (countsExact === false) process.exitCode = 1;
  console.log(
    JSON.stringify({ images, connections: CONNECTIONS, seconds, countsExact, met, browse, aloneP50Ms: alone }),
  );
} finally {
  web?.stop();
  await client.end().catch(() => {});
  await server.stop();
}

/** Which URLs each kind draws from: fixed by the fixture (ordered by hash), so runs compare. */
async function requestPools(db: pg.Client) {
  // Synsets to open: 2000 spread over the hierarchy by hash, and the two biggest subtrees.
  const wnids = [
    ENTITY,
    ANIMAL,
    ...(await db.query<{ wnid: string }>("SELECT wnid FROM synset ORDER BY hashtext(wnid) LIMIT 2000")).rows.map(
      (r) => r.wnid,
    ),
  ];
  // The grid as the page asks for it: its own images, or the subtree's where it has none of its own (entity,
  // animal, any inner node). The deep page starts 90 % of the way down the synset's images.
  const grid = (
    await db.query<{ wnid: string; own: boolean; deep: number }>(`
      WITH chosen AS (
        (SELECT s.id, s.wnid, c.images > 0 AS own, c.images, c.subtree_images FROM synset s
          JOIN synset_count c ON c.synset_id = s.id
          WHERE c.subtree_images > 0 ORDER BY hashtext(s.wnid) LIMIT 400)
        UNION
        SELECT s.id, s.wnid, false, c.images, c.subtree_images FROM synset s JOIN synset_count c ON c.synset_id = s.id
        WHERE s.wnid IN ('${ENTITY}', '${ANIMAL}'))
      SELECT ch.wnid, ch.own, CASE WHEN ch.own
        THEN (SELECT l.image_id FROM image_link l WHERE l.synset_id = ch.id
              ORDER BY l.image_id OFFSET ch.images / 10 LIMIT 1)
        ELSE (SELECT l.image_id FROM synset_closure c JOIN image_link l ON l.synset_id = c.descendant_id
              WHERE c.ancestor_id = ch.id ORDER BY l.image_id OFFSET ch.subtree_images / 10 LIMIT 1) END AS deep
      FROM chosen ch`)
  ).rows;
  const gridPath = (g: (typeof grid)[number]) => `/api/v1/synsets/${g.wnid}/images?descendants=${!g.own}`;
  // Search: head words of synsets (exact and prefix hits) and their first three letters (prefix only).
  const words = (
    await db.query<{ w: string }>(
      "SELECT split_part(lemmas[1], '_', 1) AS w FROM synset ORDER BY hashtext(wnid || 'q') LIMIT 1000",
    )
  ).rows.map((r) => r.w.replace(/_/g, " "));
  return {
    wnids,
    gridFirst: grid.map(gridPath),
    gridDeep: grid.map((g) => `${gridPath(g)}&cursor=${g.deep}`),
    queries: [...words, ...words.filter((w) => w.length > 3).map((w) => w.slice(0, 3))],
  };
}

/** The no-op, once the server has finished what earlier runs left queued (answers within 20 ms again). */
async function noop(base: string, duration: number) {
  for (let i = 0; i < 100; i++) {
    const t0 = performance.now();
    await fetch(`${base}/api/v1/health`).then((r) => r.arrayBuffer());
    if (performance.now() - t0 < 20) break;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return load(base, ["/api/v1/health"], duration);
}

async function load(base: string, paths: string[], duration: number, connections = CONNECTIONS) {
  let next = 0;
  const result = await autocannon({
    url: base,
    connections,
    duration,
    requests: [{ setupRequest: (req) => ({ ...req, path: paths[next++ % paths.length] as string }) }],
  });
  return {
    rps: Math.round(result.requests.average),
    p50: result.latency.p50,
    p99: result.latency.p99,
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
  };
}

function round(x: number): number {
  return Math.round(x * 100) / 100;
}
