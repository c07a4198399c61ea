/**
 * Labelling load benchmark (issue 14), against `next start` on a fresh test database.
 *
 * 1. Throughput: for 16 and then 64 concurrent simulated annotators, the no-op request rate (GET /health, same
 *    concurrency, same server, measured right before) and the labelling rate: each annotator takes a task
 *    (12 images), answers it and gets the next task in the same answer (POST answers with next: true).
 *    R = tasks answered per second ÷ no-op requests per second (a task costs at least one request, so R ≤ 1).
 *    Prints votes/s, p50/p99 of each route, the 5xx count, and the exact-once check: every vote the clients
 *    sent is in the database once (one answer in 20 is sent twice and must record nothing), the items' vote
 *    counters add up to the votes, and no item is left due for consensus once the sweep has run (5 s later).
 * 2. Capacity: the same annotators with a person's think time (3–5 s per task), their number ramped ×√2 from
 *    16 until the p99 of a labelling request exceeds 200 ms or a request fails; prints how many concurrent
 *    annotators this machine holds (the last step that passed). Bounded: ~20 s a step, 5 minutes at most.
 * The last line is JSON: {"R16","R64","votesPerSecond","p99ms","errors5xx","votesLost","capacity"}.
 *   npm run bench:labelling            (both)      npm run bench:labelling -- --no-capacity   (1 only)
 *   npm run bench:labelling -- --only 64   (one throughput phase of 1, nothing else)
 */
import os from "node:os";
import { buildWebAppIfStale, type RunningWebApp, serveWebApp } from "@arbor/cli/web";
import { createDb } from "@arbor/db";
import { createDatabaseFrom, startTestServer } from "@arbor/db/testing";
import { createApiToken, createCampaigns, getCampaign } from "@arbor/usecases";
import { applyNewLinkCounts } from "@arbor/usecases/ingest";
import { prepareWordnetTemplate, WORDNET_TEMPLATE } from "@arbor/usecases/testing/global-setup";

const IMAGES = 120_000; // enough open votes for every phase: ~2.3 votes decide an image of this crowd
const SECONDS = 15;
const NOOP_SECONDS = 5;
/** Low enough to find a figure on a slow day: 64 annotators had a p99 of 198 ms on 2026-12-01, 417 ms the next day. */
const CAPACITY_START = 16;
const CAPACITY_P99_MS = 200;
const CAPACITY_STEP_SECONDS = 20;
const CAPACITY_BUDGET_MS = 300_000;
const THINK_MS = [3000, 5000] as const;
const SYNSET = "n02084071";
const capacityMode = !process.argv.includes("--no-capacity") && !process.argv.includes("--only");
/** `--only 64`: that throughput phase alone, no capacity ramp (quick runs while profiling). */
const onlyArg = process.argv.indexOf("--only");
const PHASES = onlyArg >= 0 ? [Number(process.argv[onlyArg + 1])] : [16, 64];

const server = await startTestServer();
await prepareWordnetTemplate(server.adminUrl);
const database = await createDatabaseFrom(server.adminUrl, WORDNET_TEMPLATE);
// The harness's own connections: the truth behind a task's handles (a primary-key read), users, checks.
const db = createDb(database.url, 16);
let web: RunningWebApp | undefined;
const tokens: string[] = [];
/** Annotators ready to label: users with the annotator role and a token each, created as phases need them. */
async function annotators(n: number): Promise<string[]> {
  const first = tokens.length;
  if (n <= first) return tokens.slice(0, n);
  // Straight rows, not createUser: scrypt for 2000 passwords would take minutes and measures nothing here.
  await db.$executeRaw`
    INSERT INTO app_user (email, password_hash, roles)
    SELECT 'bench' || g || '@arbor.test', 'scrypt$unused', ARRAY['annotator']::"Role"[]
    FROM generate_series(${first}::int, ${n - 1}::int) g`;
  for (let i = first; i < n; i++) {
    tokens.push((await createApiToken(db, { email: `bench${i}@arbor.test` }, { name: "bench" })).token);
  }
  return tokens.slice(0, n);
}

interface Task {
  taskId: string;
  images: { handle: number }[];
}
interface Phase {
  tasks: number;
  votes: number;
  next: number[];
  answers: number[];
  errors5xx: number;
  failures: string[];
}
const totals = { sent: 0, doubled: 0, errors5xx: 0 };

try {
  // Candidates: image rows only (the benchmark measures labelling, not ingest); half are "really" dogs.
  const setupStarted = performance.now();
  const synset = await db.synset.findUniqueOrThrow({ where: { wnid: SYNSET } });
  await db.$executeRaw`
    INSERT INTO image (sha256, phash, phash_band0, phash_band1, phash_band2, phash_band3, width, height, format, bytes,
                       original_key, thumbnail_key, thumbnail_width, thumbnail_height)
    SELECT lpad(to_hex(g), 64, '0'), g, g % 65536, 0, 0, 0, 32, 32, 'jpeg', 1, 'o', 't', 32, 32
    FROM generate_series(1, ${IMAGES}) g`;
  // Links by SQL and their counts in batches: one 120,000-link transaction outlived Prisma's timeout on a
  // loaded 2-core machine.
  await db.$executeRaw`INSERT INTO image_link (image_id, synset_id, state) SELECT id, ${synset.id}, 'candidate' FROM image`;
  const ids = (await db.image.findMany({ select: { id: true }, orderBy: { id: "asc" } })).map((i) => i.id);
  for (let i = 0; i < ids.length; i += 10_000) {
    const links = ids
      .slice(i, i + 10_000)
      .map((imageId) => ({ imageId, synsetId: synset.id, state: "candidate" as const }));
    await db.$transaction((tx) => applyNewLinkCounts(tx, links), { timeout: 120_000 });
  }
  console.log(`# ${IMAGES} candidate images ready in ${((performance.now() - setupStarted) / 1000).toFixed(0)} s`);
  await createCampaigns(db, { wnid: SYNSET, policy: { seedSize: 50, seedVotes: 5, goldRate: 0, taskSize: 12 } });
  await annotators(64);

  await buildWebAppIfStale((line) => console.log(line));
  web = await serveWebApp(database.url, { ARBOR_DB_POOL_SIZE: "20" });
  const base = `${web.baseUrl}/api/v1`;
  // Warm-up until the seed's table exists, so no phase measures the seed (which only 250 votes can finish).
  for (let i = 0; i < 30; i++) {
    await labelFor(base, await annotators(16), 2_000, null, () => {});
    if ((await db.campaign.findFirstOrThrow()).confidenceTable !== null) break;
  }
  console.log(`# machine: ${os.cpus().length} cores, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB`);

  const measured: Record<number, { r: number; votesPerSecond: number; p99: number }> = {};
  for (const n of PHASES) {
    const noop = await noopRate(base, n, NOOP_SECONDS);
    const phase = newPhase();
    const started = performance.now();
    await labelFor(base, await annotators(n), SECONDS * 1000, null, (p) => merge(phase, p));
    const seconds = (performance.now() - started) / 1000;
    const r = phase.tasks / seconds / noop.rate;
    const p99 = Math.max(pct(phase.next, 0.99), pct(phase.answers, 0.99));
    measured[n] = { r, votesPerSecond: phase.votes / seconds, p99 };
    console.log(`\n# ${n} annotators, ${seconds.toFixed(1)} s`);
    console.log(`no-op GET /health: ${noop.rate.toFixed(0)} req/s (p50 ${noop.p50.toFixed(1)} ms)`);
    console.log(
      `tasks: ${(phase.tasks / seconds).toFixed(1)}/s, votes: ${(phase.votes / seconds).toFixed(0)}/s  →  R${n} = ${r.toFixed(3)}   (target ≥ 0.15)`,
    );
    console.log(
      `GET tasks/next        p50 ${pct(phase.next, 0.5).toFixed(1)} ms, p99 ${pct(phase.next, 0.99).toFixed(1)} ms (${phase.next.length})`,
    );
    console.log(
      `POST answers (+next)  p50 ${pct(phase.answers, 0.5).toFixed(1)} ms, p99 ${pct(phase.answers, 0.99).toFixed(1)} ms (${phase.answers.length})   (target p99 ≤ 100 ms)`,
    );
    console.log(
      `5xx: ${phase.errors5xx}${phase.failures.length > 0 ? `; failures: ${phase.failures.slice(0, 3).join("; ")}` : ""}`,
    );
  }

  let capacity: number | null = null;
  if (capacityMode) {
    console.log(
      `\n# capacity: think time ${THINK_MS[0] / 1000}–${THINK_MS[1] / 1000} s per task, until p99 > ${CAPACITY_P99_MS} ms or a failure`,
    );
    const rampStarted = Date.now();
    for (let n = CAPACITY_START; Date.now() - rampStarted < CAPACITY_BUDGET_MS; n = Math.round(n * Math.SQRT2)) {
      const users = await annotators(n);
      const phase = newPhase();
      const started = performance.now();
      await labelFor(base, users, CAPACITY_STEP_SECONDS * 1000, THINK_MS, (p) => merge(phase, p));
      const seconds = (performance.now() - started) / 1000;
      const all = [...phase.next, ...phase.answers];
      const p99 = pct(all, 0.99);
      const failed = phase.failures.length + phase.errors5xx;
      console.log(
        `${String(n).padStart(5)} annotators: ${(phase.tasks / seconds).toFixed(1)} tasks/s, p50 ${pct(all, 0.5).toFixed(1)} ms, p99 ${p99.toFixed(1)} ms, ${failed} failed${failed > 0 ? ` (${phase.failures[0] ?? "5xx"})` : ""}`,
      );
      if (p99 > CAPACITY_P99_MS || failed > 0) break;
      capacity = n;
    }
    console.log(
      `one machine like this holds ${capacity ?? `fewer than ${CAPACITY_START}`} concurrent annotators (3–5 s per task, p99 ≤ ${CAPACITY_P99_MS} ms)`,
    );
  }

  // Exactly once: every vote sent is stored once; answers sent twice recorded nothing; counters add up; and
  // no item waits for consensus once the sweep has had its turn: a step that found the campaign's lock held
  // leaves its marks to the holder, whose rounds are bounded, and what they leave at the end of a burst is the
  // sweep's (marks older than 5 s), run here as the next read of the campaign runs it.
  const [{ due: dueAtEnd } = { due: 0 }] = await db.$queryRaw<{ due: number }[]>`
    SELECT count(*)::int AS due FROM consensus_due`;
  await sleep(5_500);
  await getCampaign(db, (await db.campaign.findFirstOrThrow()).id);
  console.log(`\nitems due for consensus when the load stopped: ${dueAtEnd} (then read the campaign, which sweeps)`);
  const stored = await db.vote.count();
  const [counters] = await db.$queryRaw<{ votes: number; due: number }[]>`
    SELECT (SELECT coalesce(sum(yes + no), 0)::int FROM campaign_item) AS votes,
           (SELECT count(*)::int FROM consensus_due) AS due`;
  const votesLost = totals.sent - stored;
  console.log(
    `votes in the database: ${stored} (clients sent ${totals.sent}); answers sent twice that recorded again: ${totals.doubled}`,
  );
  console.log(`item vote counters: ${counters?.votes}; items still due for consensus: ${counters?.due}`);
  const exact = votesLost === 0 && totals.doubled === 0 && counters?.votes === stored && counters?.due === 0;
  console.log(exact ? "✓ none lost, none doubled, counters exact" : "✗ MISMATCH");
  const p99ms = Math.max(...Object.values(measured).map((m) => m.p99));
  if (totals.errors5xx > 0 || !exact) process.exitCode = 1;
  console.log(
    JSON.stringify({
      R16: round(measured[16]?.r ?? 0, 3),
      R64: round(measured[64]?.r ?? 0, 3),
      votesPerSecond: Math.round(measured[64]?.votesPerSecond ?? 0),
      p99ms: round(p99ms, 1),
      errors5xx: totals.errors5xx,
      votesLost,
      capacity,
    }),
  );
} finally {
  web?.stop();
  await db.$disconnect();
  await database.drop();
  await server.stop();
}

/**
 * `users.length` annotators label for `ms`: one GET tasks/next to start, then each answer asks for the next
 * task. With `think`, each waits that long (uniform) before answering, as a person does, and they start
 * spread over the first think time. Returns when every annotator has answered its last task.
 */
async function labelFor(
  base: string,
  users: readonly string[],
  ms: number,
  think: readonly [number, number] | null,
  report: (phase: Phase) => void,
): Promise<void> {
  const deadline = Date.now() + ms;
  await Promise.all(
    users.map(async (token, a) => {
      const phase = newPhase();
      const headers = { authorization: `Bearer ${token}`, "content-type": "application/json" };
      const wait = () => (think ? sleep(think[0] + Math.random() * (think[1] - think[0])) : Promise.resolve());
      if (think) await sleep(Math.random() * think[1]);
      let task: Task | null = null;
      let answered = 0;
      while (Date.now() < deadline) {
        if (!task) {
          const t0 = performance.now();
          const response = await request(phase, `${base}/tasks/next`, { headers });
          phase.next.push(performance.now() - t0);
          if (response?.status === 200) task = (await response.json()) as Task;
          else {
            await response?.body?.cancel();
            await sleep(250); // 204: nothing free this instant; come back
          }
          continue;
        }
        await wait();
        const last = Date.now() >= deadline;
        const positive = await answersFor(task);
        const t0 = performance.now();
        const response = await answer(phase, base, headers, task, positive, !last);
        phase.answers.push(performance.now() - t0);
        if (response?.status !== 200) {
          await response?.body?.cancel();
          task = null;
          continue;
        }
        const body = (await response.json()) as { recorded: number; next?: Task | null };
        phase.tasks++;
        phase.votes += body.recorded;
        totals.sent += task.images.length;
        // One answer in 20 is sent again, as a client retrying after a lost reply would: it must record nothing.
        if (++answered % 20 === a % 20) {
          const again = await request(phase, `${base}/tasks/${task.taskId}/answers`, {
            method: "POST",
            headers,
            body: JSON.stringify({ positive }),
          });
          const repeated = again?.ok ? ((await again.json()) as { recorded: number }) : null;
          if (repeated && repeated.recorded !== 0) totals.doubled += repeated.recorded;
        }
        task = body.next ?? null;
      }
      // A task taken just before time ran out is answered too: left leased, its slots would wait out the lease
      // (10 minutes), and a seed short of them would stall every later phase.
      if (task) {
        const response = await answer(phase, base, headers, task, await answersFor(task), false);
        if (response?.status === 200) {
          phase.votes += ((await response.json()) as { recorded: number }).recorded;
          totals.sent += task.images.length;
        } else await response?.body?.cancel();
      }
      report(phase);
    }),
  );
}

/**
 * POSTs a task's answers as a client should: a 5xx or no reply at all may come after the votes were stored,
 * so the same submission is sent again (answers are idempotent: a repeat records nothing and says so), up to
 * three times. The votes count as sent once an attempt is answered 200, whichever.
 */
async function answer(
  phase: Phase,
  base: string,
  headers: Record<string, string>,
  task: Task,
  positive: number[],
  next: boolean,
): Promise<Response | null> {
  let response: Response | null = null;
  for (let attempt = 0; attempt < 3; attempt++) {
    response = await request(phase, `${base}/tasks/${task.taskId}/answers`, {
      method: "POST",
      headers,
      body: JSON.stringify({ positive, next }),
    });
    if (response && response.status < 500) return response;
    await response?.body?.cancel();
  }
  return response;
}

/** A careful annotator: right 95 % of the time. The harness looks up the images behind the handles. */
async function answersFor(task: Task): Promise<number[]> {
  const { imageIds } = await db.task.findUniqueOrThrow({ where: { id: task.taskId }, select: { imageIds: true } });
  return task.images.filter((i) => truth(imageIds[i.handle] as number) !== Math.random() < 0.05).map((i) => i.handle);
}

function truth(id: number): boolean {
  return id % 2 === 0;
}

/** fetch that counts 5xx and failures (network errors, unexpected statuses) instead of throwing. */
async function request(phase: Phase, url: string, init: RequestInit): Promise<Response | null> {
  try {
    const response = await fetch(url, init);
    if (response.status >= 500) {
      phase.errors5xx++;
      totals.errors5xx++;
    } else if (response.status !== 200 && response.status !== 204) {
      phase.failures.push(`${init.method ?? "GET"} ${new URL(url).pathname}: ${response.status}`);
    }
    return response;
  } catch (error) {
    phase.failures.push(`${init.method ?? "GET"} ${new URL(url).pathname}: ${(error as Error).message}`);
    return null;
  }
}

/** GET /health with `connections` concurrent clients for `seconds`: requests per second, p50. */
async function noopRate(base: string, connections: number, seconds: number): Promise<{ rate: number; p50: number }> {
  const latencies: number[] = [];
  const deadline = Date.now() + seconds * 1000;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: connections }, async () => {
      while (Date.now() < deadline) {
        const t0 = performance.now();
        const response = await fetch(`${base}/health`);
        await response.arrayBuffer();
        latencies.push(performance.now() - t0);
        if (response.status >= 500) totals.errors5xx++;
      }
    }),
  );
  return { rate: latencies.length / ((performance.now() - started) / 1000), p50: pct(latencies, 0.5) };
}

function newPhase(): Phase {
  return { tasks: 0, votes: 0, next: [], answers: [], errors5xx: 0, failures: [] };
}

function merge(into: Phase, from: Phase): void {
  into.tasks += from.tasks;
  into.votes += from.votes;
  into.next.push(...from.next);
  into.answers.push(...from.answers);
  into.errors5xx += from.errors5xx;
  into.failures.push(...from.failures);
}

function pct(values: readonly number[], p: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((x, y) => x - y);
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] as number;
}

function round(x: number, digits: number): number {
  return Number(x.toFixed(digits));
}

function sleep(ms: number) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
