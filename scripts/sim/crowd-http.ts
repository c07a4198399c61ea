/**
 * A simulated crowd labels real images through the HTTP API, end to end: the 1000 ImageNet sample photos are
 * split in two; one half is ingested as verified under its own synsets (the gold-question pool), the other
 * half as candidates of "dog" (truth: the photo's class lies under dog). 20 annotators of mixed quality
 * (including spammers) label a campaign on dog with the default policy, over HTTP, until it is done. Prints
 * precision, recall and votes per image (seed and gold questions included) next to fixed 5-vote majority
 * on the same crowd.
 *   npm run sim:crowd-http
 */
import { copyFile, mkdir, mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { buildWebAppIfStale, type RunningWebApp, serveWebApp } from "@arbor/cli/web";
import { mulberry32 } from "@arbor/core";
import { createDb } from "@arbor/db";
import { createDatabaseFrom, startTestServer } from "@arbor/db/testing";
import { LocalDiskStore } from "@arbor/storage";
import { createApiToken, createCampaigns, createUser } from "@arbor/usecases";
import { createIngestRun, executeIngestRun } from "@arbor/usecases/ingest";
import { prepareWordnetTemplate, WORDNET_TEMPLATE } from "@arbor/usecases/testing/global-setup";

const SAMPLES = fileURLToPath(new URL("../../../shared/data/imagenet-sample-images/", import.meta.url));
const DOG = "n02084071";
const rng = mulberry32(2009);
const CROWD = [
  ...Array.from({ length: 12 }, () => 0.93 + 0.05 * rng()),
  ...Array.from({ length: 5 }, () => 0.75 + 0.1 * rng()),
  ...Array.from({ length: 3 }, () => 0.5),
];

const server = await startTestServer();
await prepareWordnetTemplate(server.adminUrl);
const database = await createDatabaseFrom(server.adminUrl, WORDNET_TEMPLATE);
const db = createDb(database.url, 4);
const work = await mkdtemp(path.join(tmpdir(), "arbor-crowd-"));
const blobDir = path.join(work, "blobs");
let web: RunningWebApp | undefined;
try {
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
  })) {
    truth.set(source.imageId, dogSubtree.has(path.basename(source.locator).slice(0, 9)));
  }
  const { ids } = await createCampaigns(db, { wnid: DOG });
  const campaignId = ids[0] as number;
  const tokens: string[] = [];
  for (const [i] of CROWD.entries()) {
    await createUser(db, { email: `sim${i}@arbor.test`, password: "sim-crowd-lantern-42", roles: ["annotator"] });
    tokens.push((await createApiToken(db, { email: `sim${i}@arbor.test` }, { name: "sim" })).token);
  }
  // Gold answers' truth: verified somewhere in dog's subtree.
  const goldPositive = new Set(
    (
      await db.$queryRaw<{ image_id: number }[]>`
      SELECT DISTINCT l.image_id FROM image_link l JOIN synset_closure c ON c.descendant_id = l.synset_id
      WHERE c.ancestor_id = (SELECT id FROM synset WHERE wnid = ${DOG}) AND l.state = 'verified'`
    ).map((r) => r.image_id),
  );
  const isDog = (id: number) => truth.get(id) ?? goldPositive.has(id);
  /** The image ids behind a task's handles (the harness's own knowledge; annotators are never told). */
  const imagesOf = async (taskId: string) =>
    (await db.task.findUniqueOrThrow({ where: { id: taskId }, select: { imageIds: true } })).imageIds;

  await buildWebAppIfStale((line) => console.log(line));
  web = await serveWebApp(database.url, { ARBOR_BLOB_DIR: blobDir });
  const base = `${web.baseUrl}/api/v1`;

  const started = performance.now();
  const deadline = Date.now() + 240_000;
  const isDone = async () => (await db.campaign.findUniqueOrThrow({ where: { id: campaignId } })).status === "done";
  await Promise.all(
    tokens.map(async (token, a) => {
      const headers = { authorization: `Bearer ${token}`, "content-type": "application/json" };
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
        // A task names its images by handle only; the simulation knows the truth behind them from the database.
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

  const items = await db.campaignItem.findMany({ where: { campaignId } });
  const votes = await db.vote.count();
  const verified = items.filter((i) => i.decision === "verified");
  const truePositives = verified.filter((i) => truth.get(i.imageId)).length;
  const positives = [...truth.values()].filter(Boolean).length;
  const ambiguous = items.filter((i) => i.decision === "ambiguous").length;
  const pending = items.filter((i) => i.decision === "pending").length;

  // Fixed 5-vote majority with the same crowd (no gold, random annotators), simulated on the same truth.
  const m = mulberry32(7);
  let mTp = 0;
  let mVerified = 0;
  for (const [, isPositive] of truth) {
    let yes = 0;
    for (let v = 0; v < 5; v++) {
      const accuracy = CROWD[Math.floor(m() * CROWD.length)] as number;
      if (isPositive === m() < accuracy) yes++;
    }
    if (yes >= 3) {
      mVerified++;
      if (isPositive) mTp++;
    }
  }
  const pct = (a: number, b: number) => (b === 0 ? "—" : `${((100 * a) / b).toFixed(2)}%`);
  console.log(
    `\n${truth.size} real candidate images of dog (${positives} really dogs), ${CROWD.length} annotators (3 spammers), ${((performance.now() - started) / 1000).toFixed(0)} s over HTTP`,
  );
  console.log("method                         precision   recall  ambiguous  votes/image");
  console.log(
    `fixed 5-vote majority          ${pct(mTp, mVerified).padStart(9)} ${pct(mTp, positives).padStart(8)}      0.00%         5.00`,
  );
  console.log(
    `Arbor adaptive (HTTP)          ${pct(truePositives, verified.length).padStart(9)} ${pct(truePositives, positives).padStart(8)} ${pct(ambiguous, items.length).padStart(10)} ${(votes / items.length).toFixed(2).padStart(12)}`,
  );
  console.log(
    `(votes/image counts every vote: seed, gold questions and adaptive votes; ${pending} images still pending)`,
  );
} finally {
  web?.stop();
  await db.$disconnect();
  await database.drop();
  await server.stop();
  await rm(work, { recursive: true, force: true });
}

function sleep(ms: number) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
