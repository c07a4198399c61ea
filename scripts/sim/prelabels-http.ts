/**
 * Pre-labels end to end over HTTP (issue 13): does a campaign that names a model verify the same real
 * candidates with fewer votes than one without, at the same precision? The set-up is scripts/sim/crowd-http.ts's:
 * the 1000 ImageNet sample photos split in two, one half ingested as verified under its own synsets (the
 * gold-question pool), the other half as candidates of "dog" (truth: the photo's class lies under dog); 20
 * annotators of mixed quality (3 spammers) answer tasks over HTTP. The prepared database (ingest, users,
 * tokens) is cloned twice from one template (createDatabaseFrom), and the same crowd, with the same answer
 * seeds, labels dog with the same default policy on each clone, served by the production web build:
 *   without: POST /api/v1/campaigns {wnid: dog}
 *   with:    the model registered as `arbor-train predict --push` registers one (the trainer's push client:
 *            POST /api/v1/models, then NDJSON {sha256, wnid, score} to /api/v1/models/{id}/predictions, the
 *            images named by the sha256 an admin reads from GET /api/v1/images/{id}), then
 *            POST /api/v1/campaigns {wnid: dog, model: {modelId, ordering: "random"}}.
 * The model's scores are drawn to a stated AUC from the truth, not predicted by a trained model:
 * logit(score) = d·label + N(0, 1) with d = √2·Φ⁻¹(AUC), so AUC = Φ(d / √2).
 * Votes per decided image count every vote on the campaign's images (seed included) over verified + rejected
 * images; gold answers are printed apart. Ends with one JSON line. Like crowd-http it runs on the shared embedded
 * test server (<checkout>/.arbor/test), which whichever process started it stops; set DATABASE_URL (a role
 * with CREATEDB) to run it on a server of its own.
 *   npm run sim:prelabels-http                 (AUC 0.95, as sim:prelabels)
 *   npm run sim:prelabels-http -- --auc 0.9
 */
import { copyFile, mkdir, mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { buildWebAppIfStale, type RunningWebApp, serveWebApp } from "@arbor/cli/web";
import { DEFAULT_POLICY, mulberry32, type Rng, wilsonLowerBound } from "@arbor/core";
import { createDb, type Db } from "@arbor/db";
import { createDatabaseFrom, startTestServer } from "@arbor/db/testing";
import { LocalDiskStore } from "@arbor/storage";
import { createModel, type PredictionLine, pushPredictions } from "@arbor/train/push-client";
import { createApiToken, createUser } from "@arbor/usecases";
import { createIngestRun, executeIngestRun } from "@arbor/usecases/ingest";
import { prepareWordnetTemplate, WORDNET_TEMPLATE } from "@arbor/usecases/testing/global-setup";

const SAMPLES = fileURLToPath(new URL("../../../shared/data/imagenet-sample-images/", import.meta.url));
const DOG = "n02084071";
const aucFlag = process.argv.indexOf("--auc");
// 0.95: the AUC sim:prelabels states, so the two simulations can be read side by side.
const MODEL_AUC = aucFlag >= 0 ? Number(process.argv[aucFlag + 1]) : 0.95;
if (!(MODEL_AUC > 0.5 && MODEL_AUC < 1)) throw new Error("--auc must be in (0.5, 1)");
// crowd-http's crowd, drawn from the same seed: 12 good, 5 middling, 3 spammers.
const rng = mulberry32(2009);
const CROWD = [
  ...Array.from({ length: 12 }, () => 0.93 + 0.05 * rng()),
  ...Array.from({ length: 5 }, () => 0.75 + 0.1 * rng()),
  ...Array.from({ length: 3 }, () => 0.5),
];
// crowd-http gives one campaign 240 s on an idle machine (a run takes ~30 s); a busy 2-core one may need more.
const RUN_DEADLINE_MS = 600_000;
const PASSWORD = "sim-crowd-lantern-42";

interface RunResult {
  name: string;
  items: number;
  verified: number;
  rejected: number;
  ambiguous: number;
  pending: number;
  truePositives: number;
  votes: number;
  goldVotes: number;
  /** Votes on images outside the seed, and how many of those were decided (verified or rejected). */
  restVotes: number;
  restDecided: number;
  seconds: number;
  model: unknown;
  policy: unknown;
}

const server = await startTestServer();
await prepareWordnetTemplate(server.adminUrl);
const prepared = await createDatabaseFrom(server.adminUrl, WORDNET_TEMPLATE);
const work = await mkdtemp(path.join(tmpdir(), "arbor-prelabels-"));
const blobDir = path.join(work, "blobs");
let web: RunningWebApp | undefined;
try {
  // 1. The prepared database: ingest both halves, the crowd and an admin, their tokens. Then it is the
  //    template both runs are cloned from, so they start from the same rows (image ids, sha256, tokens).
  const db = createDb(prepared.url, 4);
  const files = (await readdir(SAMPLES)).filter((f) => f.endsWith(".JPEG")).sort();
  for (const [half, name] of [
    [0, "gold"],
    [1, "candidates"],
  ] as const) {
    await mkdir(path.join(work, name));
    for (const [i, file] of files.entries())
      if (i % 2 === half) await copyFile(path.join(SAMPLES, file), path.join(work, name, file));
  }
  const blobs = await LocalDiskStore.open(blobDir, { publicBaseUrl: "http://localhost" });
  for (const options of [
    { kind: "folder", path: path.join(work, "gold"), trusted: true },
    { kind: "folder", path: path.join(work, "candidates"), synset: DOG },
  ] as const) {
    const run = await createIngestRun(db, options);
    await executeIngestRun({ db, blobs }, run.id);
  }
  const dogSubtree = new Set(
    (
      await db.$queryRaw<{ wnid: string }[]>`
      SELECT s.wnid FROM synset_closure c JOIN synset s ON s.id = c.descendant_id
      WHERE c.ancestor_id = (SELECT id FROM synset WHERE wnid = ${DOG})`
    ).map((r) => r.wnid),
  );
  const truth = new Map<number, boolean>();
  for (const source of await db.imageSource.findMany({
    where: { locator: { startsWith: path.join(work, "candidates") } },
    orderBy: { imageId: "asc" },
  })) {
    truth.set(source.imageId, dogSubtree.has(path.basename(source.locator).slice(0, 9)));
  }
  // Gold answers' truth: verified somewhere in dog's subtree.
  const goldPositive = new Set(
    (
      await db.$queryRaw<{ image_id: number }[]>`
      SELECT DISTINCT l.image_id FROM image_link l JOIN synset_closure c ON c.descendant_id = l.synset_id
      WHERE c.ancestor_id = (SELECT id FROM synset WHERE wnid = ${DOG}) AND l.state = 'verified'`
    ).map((r) => r.image_id),
  );
  const tokens: string[] = [];
  for (const [i] of CROWD.entries()) {
    await createUser(db, { email: `sim${i}@arbor.test`, password: PASSWORD, roles: ["annotator"] });
    tokens.push((await createApiToken(db, { email: `sim${i}@arbor.test` }, { name: "sim" })).token);
  }
  await createUser(db, { email: "sim-admin@arbor.test", password: PASSWORD, roles: ["admin"] });
  const adminToken = (await createApiToken(db, { email: "sim-admin@arbor.test" }, { name: "sim" })).token;
  await db.$disconnect();
  const templateName = new URL(prepared.url).pathname.slice(1);

  // 2. The model's scores, one per candidate, drawn once so both runs (and every rerun) see the same.
  const d = Math.SQRT2 * normalQuantile(MODEL_AUC);
  const scoreRng = mulberry32(13);
  const scores = new Map<number, number>();
  for (const [imageId, positive] of truth) {
    scores.set(imageId, 1 / (1 + Math.exp(-((positive ? d : 0) + gaussian(scoreRng)))));
  }
  const positives = [...truth.values()].filter(Boolean).length;
  console.log(
    `${truth.size} real candidate images of dog (${positives} really dogs), ${CROWD.length} annotators (3 spammers), ` +
      `policy: core's defaults (target ${DEFAULT_POLICY.target}, ${DEFAULT_POLICY.minVotes}–${DEFAULT_POLICY.maxVotes} votes, ` +
      `seed ${DEFAULT_POLICY.seedSize} × ${DEFAULT_POLICY.seedVotes})`,
  );
  console.log(
    `model scores drawn at AUC ${MODEL_AUC} (d = ${d.toFixed(3)}; empirical AUC on these candidates ` +
      `${empiricalAuc(truth, scores).toFixed(3)}), not predicted by a trained model`,
  );

  await buildWebAppIfStale((line) => console.log(line));

  const isDog = (id: number) => truth.get(id) ?? goldPositive.has(id);
  /** One campaign on dog over HTTP, with or without the model, until done (or the deadline). */
  async function labelOnce(name: string, withModel: boolean, db: Db, baseUrl: string): Promise<RunResult> {
    const base = `${baseUrl}/api/v1`;
    const admin = { authorization: `Bearer ${adminToken}`, "content-type": "application/json" };
    let model: { modelId: number; ordering: "random" } | undefined;
    if (withModel) {
      // The images by sha256, as the trainer knows them (from the export); read here as an admin.
      const lines: PredictionLine[] = [];
      const ids = [...truth.keys()];
      for (let i = 0; i < ids.length; i += 8) {
        await Promise.all(
          ids.slice(i, i + 8).map(async (imageId) => {
            const image = (await expectJson(await fetch(`${base}/images/${imageId}`, { headers: admin }), 200)) as {
              sha256: string | null;
            };
            if (!image.sha256) throw new Error(`image ${imageId}: no sha256 for an admin`);
            lines.push({ sha256: image.sha256, wnid: DOG, score: scores.get(imageId) as number });
          }),
        );
      }
      const push = { baseUrl, token: adminToken };
      const id = await createModel(push, {
        name: `drawn scores, AUC ${MODEL_AUC}`,
        architecture: "none (scores drawn from the truth)",
        metrics: { drawnAuc: MODEL_AUC },
        curve: [],
        classes: [DOG],
      });
      const pushed = await pushPredictions(push, id, lines);
      console.log(`model ${id}: ${pushed.accepted} predictions accepted, ${pushed.unknownImages} unknown images`);
      if (pushed.accepted !== truth.size) throw new Error(`expected ${truth.size} predictions accepted`);
      model = { modelId: Number(id), ordering: "random" };
    }
    const created = (await expectJson(
      await fetch(`${base}/campaigns`, {
        method: "POST",
        headers: admin,
        body: JSON.stringify({ wnid: DOG, ...(model ? { model } : {}) }),
      }),
      201,
    )) as { ids: number[] };
    const campaignId = created.ids[0] as number;
    /** The image ids behind a task's handles (the harness's own knowledge; annotators are never told). */
    const imagesOf = async (taskId: string) =>
      (await db.task.findUniqueOrThrow({ where: { id: taskId }, select: { imageIds: true } })).imageIds;
    const isDone = async () => (await db.campaign.findUniqueOrThrow({ where: { id: campaignId } })).status === "done";

    const started = performance.now();
    const deadline = Date.now() + RUN_DEADLINE_MS;
    await Promise.all(
      tokens.map(async (token, a) => {
        const headers = { authorization: `Bearer ${token}`, "content-type": "application/json" };
        // Seeded per annotator, the same in both runs (which images each one gets may differ).
        const answer = mulberry32(a + 1);
        while (Date.now() < deadline) {
          const response = await fetch(`${base}/tasks/next`, { headers });
          if (response.status !== 200) {
            await response.body?.cancel();
            if (await isDone()) return;
            await sleep(300);
            continue;
          }
          const task = (await response.json()) as { taskId: string; images: { handle: number }[] };
          const accuracy = CROWD[a] as number;
          const shown = await imagesOf(task.taskId);
          const positive = task.images
            .filter((i) => isDog(shown[i.handle] as number) === answer() < accuracy)
            .map((i) => i.handle);
          await (
            await fetch(`${base}/tasks/${task.taskId}/answers`, {
              method: "POST",
              headers,
              body: JSON.stringify({ positive }),
            })
          ).body?.cancel();
        }
      }),
    );
    const seconds = (performance.now() - started) / 1000;
    const items = await db.campaignItem.findMany({ where: { campaignId } });
    const verified = items.filter((i) => i.decision === "verified");
    const stats = (await expectJson(await fetch(`${base}/campaigns/${campaignId}`, { headers: admin }), 200)) as {
      model: unknown;
      policy: unknown;
    };
    const seed = new Set(items.filter((i) => i.isSeed).map((i) => i.imageId));
    const votes = await db.vote.findMany({ where: { goldCorrect: null }, select: { imageId: true } });
    return {
      name,
      items: items.length,
      verified: verified.length,
      rejected: items.filter((i) => i.decision === "rejected").length,
      ambiguous: items.filter((i) => i.decision === "ambiguous").length,
      pending: items.filter((i) => i.decision === "pending").length,
      truePositives: verified.filter((i) => truth.get(i.imageId)).length,
      votes: votes.length,
      restVotes: votes.filter((v) => !seed.has(v.imageId)).length,
      restDecided: items.filter((i) => !i.isSeed && (i.decision === "verified" || i.decision === "rejected")).length,
      goldVotes: await db.vote.count({ where: { goldCorrect: { not: null } } }),
      seconds,
      model: stats.model,
      policy: stats.policy,
    };
  }

  const results: RunResult[] = [];
  for (const withModel of [false, true]) {
    const name = withModel ? "with model prior" : "without a model";
    const database = await createDatabaseFrom(server.adminUrl, templateName);
    const runDb = createDb(database.url, 4);
    try {
      web = await serveWebApp(database.url, { ARBOR_BLOB_DIR: blobDir });
      results.push(await labelOnce(name, withModel, runDb, web.baseUrl));
    } finally {
      web?.stop();
      web = undefined;
      await runDb.$disconnect();
      await database.drop();
    }
  }

  const [without, withPrior] = results as [RunResult, RunResult];
  const perDecided = (r: RunResult) => r.votes / (r.verified + r.rejected);
  const restPerDecided = (r: RunResult) => r.restVotes / r.restDecided;
  const precision = (r: RunResult) => (r.verified === 0 ? 0 : r.truePositives / r.verified);
  const pct = (x: number) => `${(100 * x).toFixed(2)}%`;
  console.log(
    "\nrun                 precision   recall  ambiguous  pending  votes  gold  votes/decided  (outside seed)  votes/image   time",
  );
  for (const r of results) {
    console.log(
      [
        r.name.padEnd(18),
        pct(precision(r)).padStart(10),
        pct(r.truePositives / positives).padStart(8),
        pct(r.ambiguous / r.items).padStart(10),
        String(r.pending).padStart(8),
        String(r.votes).padStart(6),
        String(r.goldVotes).padStart(5),
        perDecided(r).toFixed(3).padStart(14),
        restPerDecided(r).toFixed(3).padStart(15),
        (r.votes / r.items).toFixed(3).padStart(12),
        `${r.seconds.toFixed(0)} s`.padStart(6),
      ].join(" "),
    );
  }
  const saved = 1 - perDecided(withPrior) / perDecided(without);
  for (const r of results) {
    if (r.pending === 0) continue;
    // An unfinished campaign's votes sit on undecided images: its votes per decided image mean nothing.
    console.log(`NOT DONE: ${r.name}: ${r.pending} images still pending after ${r.seconds.toFixed(0)} s`);
    process.exitCode = 1;
  }
  console.log(
    `votes per decided image: ${perDecided(without).toFixed(3)} without, ${perDecided(withPrior).toFixed(3)} with ` +
      `the model prior: ${pct(saved)} fewer (one run each: the seed draw is the server's own random(), so the ` +
      "two campaigns' seeds differ; the crowd and its answer seeds are the same)",
  );
  console.log(
    `outside the seed (the ${DEFAULT_POLICY.seedSize} × ${DEFAULT_POLICY.seedVotes} seed votes both campaigns spend ` +
      `left out): ${restPerDecided(without).toFixed(3)} without, ${restPerDecided(withPrior).toFixed(3)} with: ` +
      `${pct(1 - restPerDecided(withPrior) / restPerDecided(without))} fewer`,
  );
  console.log(`policy as the server stored it (with the model): ${JSON.stringify(withPrior.policy)}`);
  console.log(
    `the campaign page's own account (GET /api/v1/campaigns/{id}, model): ${JSON.stringify(withPrior.model)}`,
  );
  // Auto-accept needs a threshold whose 95 % Wilson lower bound of precision meets the target: even with
  // every point above it verified that takes n / (n + 1.96²) ≥ target verified human-decided items.
  let needed = 1;
  while (wilsonLowerBound(needed, needed) < DEFAULT_POLICY.target) needed++;
  console.log(
    `no auto-accept run: its threshold needs ≥ ${needed} verified human-decided items (seed / calibration set) ` +
      `above it for a ${DEFAULT_POLICY.target} lower bound (and ≥ 200 decided), but only ${positives} of the ` +
      `${truth.size} candidates are dogs, so no threshold can exist here; auto-accept would switch itself off`,
  );
  console.log(
    JSON.stringify({
      votesWithout: round(perDecided(without)),
      votesWith: round(perDecided(withPrior)),
      votesSaved: round(saved),
      precisionWithout: round(precision(without)),
      precisionWith: round(precision(withPrior)),
    }),
  );
} finally {
  web?.stop();
  await prepared.drop();
  await server.stop();
  await rm(work, { recursive: true, force: true });
}

async function expectJson(response: Response, status: number): Promise<unknown> {
  const text = await response.text();
  if (response.status !== status) throw new Error(`${response.url}: HTTP ${response.status}: ${text.slice(0, 300)}`);
  return JSON.parse(text);
}

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}

function sleep(ms: number) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Standard normal CDF (Abramowitz & Stegun 7.1.26, |error| < 1.5e-7). */
function normalCdf(x: number): number {
  const t = 1 / (1 + (0.3275911 * Math.abs(x)) / Math.SQRT2);
  const poly = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))));
  const erf = 1 - poly * Math.exp(-(x * x) / 2);
  return x >= 0 ? (1 + erf) / 2 : (1 - erf) / 2;
}

/** Φ⁻¹ by bisection: plenty for one constant. */
function normalQuantile(p: number): number {
  let lo = -10;
  let hi = 10;
  for (let i = 0; i < 100; i++) {
    const mid = (lo + hi) / 2;
    if (normalCdf(mid) < p) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

function gaussian(r: Rng): number {
  return Math.sqrt(-2 * Math.log(1 - r())) * Math.cos(2 * Math.PI * r());
}

/** Mann–Whitney AUC of the scores against the truth: the share of (dog, not dog) pairs ranked right. */
function empiricalAuc(labels: ReadonlyMap<number, boolean>, byImage: ReadonlyMap<number, number>): number {
  const pos: number[] = [];
  const neg: number[] = [];
  for (const [id, positive] of labels) (positive ? pos : neg).push(byImage.get(id) as number);
  let right = 0;
  for (const p of pos) for (const n of neg) right += p > n ? 1 : p === n ? 0.5 : 0;
  return right / (pos.length * neg.length);
}
