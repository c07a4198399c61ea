/**
 * Labelling load benchmark: simulated annotators drive the HTTP API (GET /tasks/next, POST answers) against
 * `next start`; prints votes/s as a ratio to the raw single-row INSERT rate of the same database with the
 * same concurrency (measured in this run), p50/p99 of tasks/next, the number of 5xx answers (must be 0) and a
 * final check that every vote the clients sent is in the database exactly once.
 *   npm run bench:labelling
 */
import { buildWebAppIfStale, type RunningWebApp, serveWebApp } from "@arbor/cli/web";
import { createDb } from "@arbor/db";
import { createDatabaseFrom, startTestServer } from "@arbor/db/testing";
import { createApiToken, createCampaigns, createUser } from "@arbor/usecases";
import { applyNewLinkCounts } from "@arbor/usecases/ingest";
import { prepareWordnetTemplate, WORDNET_TEMPLATE } from "@arbor/usecases/testing/global-setup";
import pg from "pg";

const ANNOTATORS = 16;
const IMAGES = 3000;
const SECONDS = 20;
const SYNSET = "n02084071";

const server = await startTestServer();
await prepareWordnetTemplate(server.adminUrl);
const database = await createDatabaseFrom(server.adminUrl, WORDNET_TEMPLATE);
// One connection per simulated annotator: each looks its task's images up (the truth), off the server's pool.
const db = createDb(database.url, ANNOTATORS);
let web: RunningWebApp | undefined;
try {
  // Candidates: image rows only (the benchmark measures labelling, not ingest); half are "really" dogs.
  const synset = await db.synset.findUniqueOrThrow({ where: { wnid: SYNSET } });
  await db.$executeRaw`
    INSERT INTO image (sha256, phash, phash_band0, phash_band1, phash_band2, phash_band3, width, height, format, bytes,
                       original_key, thumbnail_key, thumbnail_width, thumbnail_height)
    SELECT lpad(to_hex(g), 64, '0'), g, g % 65536, 0, 0, 0, 32, 32, 'jpeg', 1, 'o', 't', 32, 32
    FROM generate_series(1, ${IMAGES}) g`;
  const ids = (await db.image.findMany({ select: { id: true } })).map((i) => i.id);
  await db.$transaction(async (tx) => {
    const links = ids.map((imageId) => ({ imageId, synsetId: synset.id, state: "candidate" as const }));
    await tx.imageLink.createMany({ data: links });
    await applyNewLinkCounts(tx, links);
  });
  await createCampaigns(db, { wnid: SYNSET, policy: { seedSize: 50, seedVotes: 5, goldRate: 0, taskSize: 12 } });
  const tokens: string[] = [];
  for (let i = 0; i < ANNOTATORS; i++) {
    const email = `bench${i}@arbor.test`;
    await createUser(db, { email, password: "bench-password", roles: ["annotator"] });
    tokens.push((await createApiToken(db, { email }, { name: "bench" })).token);
  }

  console.log("# raw single-row INSERT rate (same database, same concurrency)");
  const inserts = await rawInsertRate(database.url, ANNOTATORS, 5);
  console.log(`${inserts.toFixed(0)} rows/s`);

  await buildWebAppIfStale((line) => console.log(line));
  web = await serveWebApp(database.url, { ARBOR_DB_POOL_SIZE: "20" });
  const base = `${web.baseUrl}/api/v1`;

  console.log(`\n# ${ANNOTATORS} simulated annotators for ${SECONDS} s`);
  const truth = (id: number) => id % 2 === 0;
  const latencies: number[] = [];
  let sent = 0;
  let errors5xx = 0;
  const deadline = Date.now() + SECONDS * 1000;
  const started = performance.now();
  await Promise.all(
    tokens.map(async (token) => {
      const headers = { authorization: `Bearer ${token}`, "content-type": "application/json" };
      while (Date.now() < deadline) {
        const t0 = performance.now();
        const response = await fetch(`${base}/tasks/next`, { headers });
        latencies.push(performance.now() - t0);
        if (response.status >= 500) errors5xx++;
        if (response.status !== 200) {
          await response.body?.cancel();
          // 204: nothing free right now (e.g. every seed slot is leased until the table exists): come back.
          if (response.status === 204) await sleep(250);
          continue;
        }
        const task = (await response.json()) as { taskId: string; images: { handle: number }[] };
        // A careful annotator: right 95% of the time. Tasks name images by handle: the harness looks up the
        // images behind them (a primary-key read of the task) to know the truth.
        const { imageIds } = await db.task.findUniqueOrThrow({
          where: { id: task.taskId },
          select: { imageIds: true },
        });
        const positive = task.images
          .filter((i) => truth(imageIds[i.handle] as number) !== Math.random() < 0.05)
          .map((i) => i.handle);
        const answered = await fetch(`${base}/tasks/${task.taskId}/answers`, {
          method: "POST",
          headers,
          body: JSON.stringify({ positive }),
        });
        if (answered.status >= 500) errors5xx++;
        if (answered.ok) sent += task.images.length;
        await answered.body?.cancel();
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  const stored = await db.vote.count();
  latencies.sort((a, b) => a - b);
  const pct = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * p))]?.toFixed(1);
  const rate = sent / seconds;
  console.log(`votes: ${rate.toFixed(0)} votes/s (${sent} in ${seconds.toFixed(1)} s)`);
  console.log(`tasks/next latency: p50 ${pct(0.5)} ms, p99 ${pct(0.99)} ms over ${latencies.length} requests`);
  console.log(`5xx responses: ${errors5xx}`);
  console.log(
    `votes in the database: ${stored} (clients sent ${sent}) ${stored === sent ? "✓ none lost, none doubled" : "✗ MISMATCH"}`,
  );
  console.log(`votes/s ÷ raw INSERT rows/s: ${(rate / inserts).toFixed(2)}×   (target ≥ 0.5×)`);
  if (errors5xx > 0 || stored !== sent) process.exitCode = 1;
} finally {
  web?.stop();
  await db.$disconnect();
  await database.drop();
  await server.stop();
}

async function rawInsertRate(url: string, connections: number, seconds: number): Promise<number> {
  const pool = new pg.Pool({ connectionString: url, max: connections });
  await pool.query(
    "CREATE TABLE bench_insert (id serial PRIMARY KEY, annotator int, image int, positive boolean, at timestamptz DEFAULT now())",
  );
  let rows = 0;
  const deadline = Date.now() + seconds * 1000;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: connections }, async (_, c) => {
      while (Date.now() < deadline) {
        await pool.query("INSERT INTO bench_insert (annotator, image, positive) VALUES ($1, $2, $3)", [
          c,
          rows,
          rows % 2 === 0,
        ]);
        rows++;
      }
    }),
  );
  const rate = rows / ((performance.now() - started) / 1000);
  await pool.query("DROP TABLE bench_insert");
  await pool.end();
  return rate;
}

function sleep(ms: number) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
