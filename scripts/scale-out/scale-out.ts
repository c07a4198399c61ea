/**
 * Arbor scales out: its state is PostgreSQL and the blob store only, so N stateless web processes and M
 * workers share one database and one bucket. This harness proves it on one machine, with the production
 * processes as an operator runs them:
 *
 * - a PostgreSQL server (DATABASE_URL's, else the embedded binaries in .arbor/scale-out) with a
 *   fresh database that every process reaches only by DATABASE_URL, and an S3 server (s3rver) holding the
 *   blobs (ARBOR_STORAGE=s3), the ingest sources and the exports; each process gets its own empty ARBOR_HOME,
 *   which must still be empty at the end;
 * - two web processes (`next start` on the production build) and two workers (`arbor worker`), same
 *   environment;
 * - two ingests started over HTTP (ImageNet sample photos as verified images, CIFAR-10 dogs and cats as
 *   candidates of dog, both from s3://), run by the workers; a dataset version frozen over HTTP;
 * - a crowd labelling a campaign on dog through both web processes alternately (task from one, answer to the
 *   other, some answers sent twice), while an export runs on worker 1, which is killed with SIGKILL half-way;
 *   the stale-run sweep marks it failed, the operator's remedy (start the same export again) resumes it on
 *   worker 2, and the result is compared file by file with an uninterrupted export of the same version.
 *
 * It fails (exit 1) unless every vote the crowd got a 2xx for is in the database once, the campaign's
 * per-image counters equal its votes, the synset counts are exact (what `arbor counts verify` checks), no
 * request got a 5xx, and the resumed export is byte-identical to the clean one. The last line is JSON.
 *   npm run scale-out
 */
import { createHash } from "node:crypto";
import { mkdir, mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { buildWebAppIfStale, nextBin, WEB_DIR } from "@arbor/cli/web";
import { createDb, type Db, dbEnv, freePort, startEmbeddedServer } from "@arbor/db";
import { createDatabaseFrom, startTestServer } from "@arbor/db/testing";
import { type BlobStore, createBlobStoreForBucket, parseStorageEnv } from "@arbor/storage";
import { S3RVER_CREDENTIALS } from "@arbor/storage/testing";
import { createApiToken, createUser } from "@arbor/usecases";
import { openDestination, verifyExport } from "@arbor/usecases/exports";
import { recountSynsetCounts } from "@arbor/usecases/ingest";
import { prepareWordnetTemplate, WORDNET_TEMPLATE } from "@arbor/usecases/testing/global-setup";
import { runCrowd } from "./crowd.ts";
import { Api, Latencies, poll, sleep } from "./http.ts";
import { type ServiceProcess, startProcess } from "./processes.ts";

const SHARED = fileURLToPath(new URL("../../../shared/data/", import.meta.url));
const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const CLI = path.join(ROOT, "packages", "cli", "bin", "arbor.mjs");
const S3_SERVER = fileURLToPath(new URL("./s3-server.ts", import.meta.url));
const DOG = "n02084071";
/**
 * Every PHOTO_STEP-th of the 1000 ImageNet sample photos (one per ILSVRC-2012 class) is ingested as verified. The
 * export then has about 500 files: s3rver lists a prefix of more than 1000 keys in folder order, not key order
 * (`val/…` before `val.jsonl`), so a StartAfter page boundary skips keys there (real S3 does not).
 */
const PHOTO_STEP = 2;
/** CIFAR-10 training images per class (dog, cat) in the campaign: 2 × this many candidates. */
const CIFAR_PER_CLASS = 60;
const ANNOTATORS = 12;
/** The smallest threshold allowed: a killed worker's export is marked failed this long after its last beat. */
const STALE_RUN_SECONDS = 30;
const CROWD_SECONDS = 150;
/** Worker 1 is killed once this share of the export is written. */
const KILL_AT = 0.2;
const HARNESS = "scale-out-harness";
/** The export killed and resumed, and its clean twin: re-encoded, so that it takes a while. */
const EXPORT_REQUEST = { format: "imagefolder", resize: 96, quality: 90 } as const;

const startedAt = performance.now();
const elapsed = () => ((performance.now() - startedAt) / 1000).toFixed(1);
const log = (line: string) => console.log(`[${elapsed().padStart(6)} s] ${line}`);
const failures: string[] = [];
const expectThat = (ok: boolean, what: string) => {
  if (!ok) failures.push(what);
  return ok;
};

// Everything started is stopped and every folder removed, in reverse order, whatever happens.
const cleanups: Array<{ what: string; run: () => Promise<unknown> }> = [];
let cleaning: Promise<void> | undefined;
const cleanUp = () => {
  cleaning ??= (async () => {
    for (const { what, run } of cleanups.reverse()) {
      await run().catch((error: unknown) => console.error(`cleanup (${what}) failed: ${(error as Error).message}`));
    }
  })();
  return cleaning;
};
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => {
    console.error(`${signal}: stopping everything`);
    void cleanUp().finally(() => process.exit(130));
  });
}

let exitCode = 1;
try {
  exitCode = await main();
} catch (error) {
  console.error(`\nscale-out FAILED: ${(error as Error).stack ?? String(error)}`);
} finally {
  await cleanUp();
}
process.exit(exitCode);

async function main(): Promise<number> {
  const work = await mkdtemp(path.join(tmpdir(), "arbor-scale-out-"));
  cleanups.push({ what: "temporary folder", run: () => rm(work, { recursive: true, force: true }) });

  // 1. PostgreSQL: a fresh database cloned from a WordNet template (built once, kept between runs), on
  // DATABASE_URL's server or on an embedded one of the harness's own; every process reaches it by URL alone.
  const server = await startPostgres();
  cleanups.push({ what: "PostgreSQL", run: () => server.stop() });
  await prepareWordnetTemplate(server.adminUrl);
  const database = await createDatabaseFrom(server.adminUrl, WORDNET_TEMPLATE);
  cleanups.push({ what: "database", run: () => database.drop() });
  const databaseUrl = database.url;
  const db = createDb(withApplicationName(databaseUrl, HARNESS), 4);
  cleanups.push({ what: "harness pool", run: () => db.$disconnect() });
  log(
    `PostgreSQL on ${new URL(databaseUrl).host}, database ${new URL(databaseUrl).pathname.slice(1)} (WordNet imported)`,
  );

  // 2. S3: the blobs, the ingest sources and the exports, each in its bucket.
  const s3Process = startProcess(
    "s3",
    process.execPath,
    ["--openssl-legacy-provider", "--import", "tsx", S3_SERVER, "3"],
    { cwd: ROOT, env: {}, stdin: "pipe", quiet: /^\{"endpoint"/ },
  );
  cleanups.push({ what: "S3 server", run: () => s3Process.stop() });
  const s3 = JSON.parse(await s3Process.waitForLine(/^\{"endpoint"/, 60_000)) as {
    endpoint: string;
    buckets: string[];
  };
  const [blobsBucket, sourcesBucket, exportsBucket] = s3.buckets as [string, string, string];
  const deployment = {
    DATABASE_URL: databaseUrl,
    ARBOR_STORAGE: "s3",
    S3_ENDPOINT: s3.endpoint,
    S3_REGION: "us-east-1",
    S3_BUCKET: blobsBucket,
    S3_FORCE_PATH_STYLE: "true",
    S3_ACCESS_KEY_ID: S3RVER_CREDENTIALS.accessKeyId,
    S3_SECRET_ACCESS_KEY: S3RVER_CREDENTIALS.secretAccessKey,
    ARBOR_STALE_RUN_SECONDS: String(STALE_RUN_SECONDS),
    ARBOR_DB_POOL_SIZE: "10",
  };
  // The storage package's own parser: the harness reads the buckets exactly as the processes do.
  const storage = parseStorageEnv(deployment);
  const openBucket = (bucket: string) => createBlobStoreForBucket(bucket, storage);
  log(`S3 on ${s3.endpoint}: buckets ${blobsBucket} (blobs), ${sourcesBucket} (sources), ${exportsBucket} (exports)`);

  const sources = openBucket(sourcesBucket);
  const photos = (await readdir(path.join(SHARED, "imagenet-sample-images")))
    .filter((f) => f.endsWith(".JPEG"))
    .sort()
    .filter((_, i) => i % PHOTO_STEP === 0);
  const cifar = await Promise.all(
    ["dog", "cat"].map(async (label) => {
      const dir = path.join(SHARED, "cifar10-jpg", "train", label);
      return (await readdir(dir))
        .sort()
        .slice(0, CIFAR_PER_CLASS)
        .map((file) => ({ file: path.join(dir, file), key: `cifar/${label}/${file}` }));
    }),
  );
  const uploads = [
    // A key is letters, digits and . _ = - (the label is the file name's wnid prefix, which stays).
    ...photos.map((file) => ({
      file: path.join(SHARED, "imagenet-sample-images", file),
      key: `imagenet/${file.replace(/[^A-Za-z0-9._=-]/g, "-")}`,
    })),
    ...cifar.flat(),
  ];
  await inPool(uploads, 16, async ({ file, key }) => {
    await sources.put(key, await readFile(file));
  });
  log(`uploaded ${photos.length} ImageNet sample photos and ${cifar.flat().length} CIFAR-10 dogs and cats to S3`);

  // Accounts: an admin (ingest, datasets, exports, campaigns) and the crowd, each with an API token.
  await createUser(db, { email: "admin@scale.test", password: "scale-out-admin-harbour-42", roles: ["admin"] });
  const adminToken = (await createApiToken(db, { email: "admin@scale.test" }, { name: "scale-out" })).token;
  const crowdTokens: string[] = [];
  for (let i = 0; i < ANNOTATORS; i++) {
    const email = `annotator${i}@scale.test`;
    await createUser(db, { email, password: "scale-out-crowd-lantern-42", roles: ["annotator"] });
    crowdTokens.push((await createApiToken(db, { email }, { name: "scale-out" })).token);
  }

  // 3. The processes: two web, two workers, each with its own (empty) ARBOR_HOME.
  await buildWeb();
  const homes: string[] = [];
  const homeFor = async (name: string) => {
    const home = path.join(work, `home-${name}`);
    await mkdir(home);
    homes.push(home);
    return home;
  };
  const service = async (name: string, command: string, args: string[], cwd: string) => {
    const env = {
      ...deployment,
      DATABASE_URL: withApplicationName(databaseUrl, name),
      ARBOR_HOME: await homeFor(name),
      NODE_ENV: "production",
    };
    const child = startProcess(name, command, args, { cwd, env });
    cleanups.push({ what: name, run: () => child.stop() });
    return child;
  };
  const webPorts = [await freePort(), await freePort()];
  const webs = await Promise.all(
    webPorts.map((port, i) =>
      service(`web${i + 1}`, process.execPath, [nextBin(), "start", "-p", String(port), "-H", "127.0.0.1"], WEB_DIR),
    ),
  );
  const workers = await Promise.all([1, 2].map((n) => service(`worker${n}`, process.execPath, [CLI, "worker"], ROOT)));
  const [worker1, worker2] = workers as [ServiceProcess, ServiceProcess];
  const bases = webPorts.map((port) => `http://127.0.0.1:${port}`);
  await Promise.all([
    ...workers.map((worker) => worker.waitForLine(/worker running/, 90_000)),
    ...bases.map((base, i) => waitForHealth(base, webs[i] as ServiceProcess)),
  ]);
  log(`running: web1 ${bases[0]}, web2 ${bases[1]}, worker1 (pid ${worker1.pid}), worker2 (pid ${worker2.pid})`);

  const latencies = new Latencies();
  const admins = bases.map((base) => new Api(base, adminToken));
  let turn = 0;
  /** The admin's client on the web processes in turn. */
  const admin = () => admins[turn++ % admins.length] as Api;
  const connections = sampleConnections(db);
  cleanups.push({ what: "connection sampler", run: async () => connections.stop() });

  // 4. Ingest over HTTP, run by the workers.
  const ingestStarted = performance.now();
  const runs = await Promise.all([
    admin().expect<{ runId: number }>(202, "POST", "/ingest-runs", {
      kind: "s3",
      url: `s3://${sourcesBucket}/imagenet/`,
      trusted: true,
    }),
    admin().expect<{ runId: number }>(202, "POST", "/ingest-runs", {
      kind: "s3",
      url: `s3://${sourcesBucket}/cifar/`,
      synset: DOG,
    }),
  ]);
  const ingested = await Promise.all(
    runs.map(({ runId }) =>
      poll(`ingest run #${runId}`, 300_000, 500, async () => {
        const run = await admin().expect<IngestRun>(200, "GET", `/ingest-runs/${runId}`);
        if (run.status === "failed") throw new Error(`ingest run #${runId} failed: ${run.error}`);
        return run.status === "succeeded" ? run : undefined;
      }),
    ),
  );
  const ingestSeconds = (performance.now() - ingestStarted) / 1000;
  for (const run of ingested) {
    log(`ingest run #${run.id} (${run.source}): ${run.added} added, ${run.linked} linked, ${run.skipped} skipped`);
  }
  expectThat(
    ingested[0]?.added === photos.length,
    `ingest of the photos added ${ingested[0]?.added}, not ${photos.length}`,
  );

  // 5. A dataset version (the ILSVRC-2012 classes over the verified photos), frozen by a worker as a job (the
  // request waits for it), and a campaign on dog.
  const version = await admin().expect<{ versionId: number; imageCount: number; classCount: number }>(
    201,
    "POST",
    "/datasets?wait=120",
    { name: "scale-out", classes: { kind: "ilsvrc2012" } },
  );
  log(`dataset version #${version.versionId}: ${version.classCount} classes, ${version.imageCount} images`);
  const { ids } = await admin().expect<{ ids: number[] }>(201, "POST", "/campaigns", { wnid: DOG });
  const campaignId = ids[0] as number;
  const truth = await truthOf(db, sourcesBucket);
  log(`campaign #${campaignId} on dog: ${truth.candidates} candidates, ${ANNOTATORS} annotators`);

  // 6. The crowd labels while the export runs, is killed with its worker, and is resumed by the other.
  const crowdRun = runCrowd({
    annotators: crowdTokens.map((token) => bases.map((base) => new Api(base, token, latencies))),
    accuracy: crowdTokens.map((_, i) => 0.9 + (0.08 * i) / ANNOTATORS),
    db,
    campaignId,
    truth: truth.isDog,
    deadline: Date.now() + CROWD_SECONDS * 1000,
    latencies,
    retryEvery: 5,
  }).then((result) => {
    log(
      `crowd stopped: ${result.accepted.size} tasks answered in ${result.seconds.toFixed(1)} s, campaign ${result.campaignDone ? "done" : "not done"}`,
    );
    return result;
  });
  const exportRun = exportScenario({
    admin,
    db,
    version: version.versionId,
    exportsBucket,
    worker1,
    worker2,
    openBucket,
  });
  const [crowdSettled, exportSettled] = await Promise.allSettled([crowdRun, exportRun]);
  if (crowdSettled.status === "rejected") throw crowdSettled.reason;
  if (exportSettled.status === "rejected") throw exportSettled.reason;
  const crowd = crowdSettled.value;
  const exported = exportSettled.value;
  connections.stop();

  // 7. Exactness.
  const votes = await db.vote.count();
  const perTask = new Map(
    (
      await db.$queryRaw<{ task_id: string; n: number }[]>`
        SELECT task_id::text, count(*)::int AS n FROM vote GROUP BY task_id`
    ).map((row) => [row.task_id, row.n]),
  );
  let votesLost = 0;
  let votesDoubled = crowd.retriesRecorded;
  let votesExpected = 0;
  for (const [taskId, images] of crowd.accepted) {
    votesExpected += images;
    const inDb = perTask.get(taskId) ?? 0;
    if (inDb < images) votesLost += images - inDb;
    if (inDb > images) votesDoubled += inDb - images;
  }
  // Votes of a task whose answer was refused, or never answered: doubled (nobody was told they were recorded).
  for (const [taskId, n] of perTask) if (!crowd.accepted.has(taskId)) votesDoubled += n;
  expectThat(votesLost === 0, `${votesLost} votes lost`);
  expectThat(votesDoubled === 0, `${votesDoubled} votes doubled`);
  expectThat(crowd.recorded === votesExpected, `answers said ${crowd.recorded} recorded, ${votesExpected} sent`);
  expectThat(votes === votesExpected, `${votes} votes in the database, ${votesExpected} accepted over HTTP`);
  const [counters] = await db.$queryRaw<{ items: number; wrong: number }[]>`
    SELECT count(*)::int AS items,
      count(*) FILTER (WHERE ci.yes <> coalesce(v.yes, 0) OR ci.no <> coalesce(v.no, 0))::int AS wrong
    FROM campaign_item ci
    LEFT JOIN (
      SELECT v.image_id, count(*) FILTER (WHERE v.positive) AS yes, count(*) FILTER (WHERE NOT v.positive) AS no
      FROM vote v JOIN task t ON t.id = v.task_id
      -- An image verified during the campaign may come back as a gold question, which its tally does not count.
      WHERE t.campaign_id = ${campaignId} AND v.gold_correct IS NULL GROUP BY v.image_id
    ) v ON v.image_id = ci.image_id
    WHERE ci.campaign_id = ${campaignId}`;
  expectThat(counters?.wrong === 0, `${counters?.wrong} campaign items whose yes/no differ from their votes`);
  const mismatches = await recountSynsetCounts(db);
  const countsExact = expectThat(mismatches.length === 0, `${mismatches.length} synset counts differ from a recount`);
  expectThat(latencies.errors5xx === 0, `${latencies.errors5xx} requests answered 5xx`);
  expectThat(latencies.networkErrors === 0, `${latencies.networkErrors} requests failed on the network`);
  expectThat(crowd.unexpected.length === 0, `unexpected answers: ${crowd.unexpected.slice(0, 5).join("; ")}`);
  expectThat(crowd.campaignDone, `the campaign was not done within ${CROWD_SECONDS} s`);
  for (const child of [...webs, worker2]) expectThat(child.alive(), `${child.name} stopped during the run`);
  for (const home of homes) {
    const left = await readdir(home);
    expectThat(left.length === 0, `${path.basename(home)} is not empty (local state: ${left.join(", ")})`);
  }

  const rss = new Map<string, number | null>([["worker1", exported.worker1Rss]]);
  for (const child of [...webs, worker2]) rss.set(child.name, await peakRssMb(child.pid));

  // 8. Summary.
  const decisions = await db.campaignItem.groupBy({ by: ["decision"], where: { campaignId }, _count: true });
  const served = [...latencies.perProcess].map(([base, n]) => `web${bases.indexOf(base) + 1} ${n}`).join(", ");
  console.log("\n── scale-out summary ──");
  console.log(`processes: 2 web (next start), 2 workers (arbor worker); PostgreSQL by DATABASE_URL; blobs in S3`);
  console.log(
    `ingest: ${ingested.map((r) => `#${r.id} ${r.added} added`).join(", ")} in ${ingestSeconds.toFixed(1)} s`,
  );
  console.log(
    `crowd: ${crowd.accepted.size} tasks answered (${crowd.retries} answers sent twice, ${crowd.retriesRecorded} votes recorded by a repeat), ` +
      `${crowd.leaseExpired} leases expired, ${votes} votes in ${crowd.seconds.toFixed(1)} s (${(votes / crowd.seconds).toFixed(1)} votes/s), ` +
      `campaign ${crowd.campaignDone ? "done" : "NOT done"}: ${decisions.map((d) => `${d._count} ${d.decision}`).join(", ")}`,
  );
  console.log(`requests per web process: ${served}`);
  for (const [route, s] of Object.entries(latencies.summary())) {
    console.log(`  ${route.padEnd(34)} ${String(s.count).padStart(5)} requests  p50 ${s.p50} ms  p99 ${s.p99} ms`);
  }
  console.log(
    `votes: ${votes} in the database = ${votesExpected} accepted over HTTP; lost ${votesLost}, doubled ${votesDoubled}; ` +
      `campaign counters ${counters?.wrong === 0 ? "exact" : "WRONG"} (${counters?.items} items)`,
  );
  console.log(`synset counts: ${countsExact ? "exact" : `${mismatches.length} differ`} (recounted from the links)`);
  console.log(
    `export #${exported.resumedId} (imagefolder, resize ${EXPORT_REQUEST.resize}): worker1 killed at ${exported.killedAt.processed}/${exported.killedAt.total} ` +
      `(${exported.filesAtKill} files written, ${exported.journaledAtKill} journaled), marked failed ${exported.failedAfterSeconds.toFixed(0)} s after the kill, ` +
      `resumed by worker2 in ${exported.resumeSeconds.toFixed(1)} s; clean export #${exported.cleanId} in ${exported.cleanSeconds.toFixed(1)} s ` +
      `(${(exported.files / exported.cleanSeconds).toFixed(0)} files/s)`,
  );
  console.log(
    `export identical: ${exported.identical ? "yes" : "NO"} (${exported.files} files, SHA256SUMS ${exported.sumsEqual ? "equal" : "DIFFER"}, ` +
      `verify: resumed ${exported.verifiedResumed ? "ok" : "FAILED"}, clean ${exported.verifiedClean ? "ok" : "FAILED"})`,
  );
  console.log(
    `database connections: peak ${connections.peak.total} (${[...connections.peak.byProcess].map(([name, n]) => `${name} ${n}`).join(", ")})`,
  );
  console.log(
    `peak RSS: ${[...rss].map(([name, mb]) => `${name} ${mb === null ? "?" : `${mb} MB`}`).join(", ")} (worker1: when it was killed)`,
  );
  console.log(`local state: ${homes.length} ARBOR_HOME folders, all empty at the end`);
  const seconds = Math.round((performance.now() - startedAt) / 1000);
  if (failures.length > 0) {
    console.log(`\nFAILED:\n${failures.map((f) => `  - ${f}`).join("\n")}`);
  } else {
    console.log("\nscale-out: all checks passed");
  }
  console.log(
    JSON.stringify({
      webProcesses: webs.length,
      workers: workers.length,
      votes,
      votesLost,
      votesDoubled,
      countsExact,
      exportIdentical: exported.identical,
      seconds,
    }),
  );
  return failures.length === 0 ? 0 : 1;
}

interface IngestRun {
  id: number;
  source: string;
  status: string;
  added: number;
  linked: number;
  skipped: number;
  error: string | null;
}

interface ExportSummary {
  id: number;
  status: "queued" | "running" | "succeeded" | "failed";
  total: number | null;
  processed: number;
  error: string | null;
  startedAt: string | null;
  finishedAt: string | null;
}

/**
 * Export the version to s3://exports/resumed with worker 2 paused (SIGSTOP), so worker 1 takes it; kill worker 1
 * (SIGKILL) once a fifth is written and let worker 2 go on. Meanwhile an uninterrupted export of the same
 * version goes to s3://exports/clean (worker 2). The killed export is marked failed by the stale-run sweep; the
 * operator's remedy, the same export started again, resumes it on worker 2. Then both are compared.
 */
async function exportScenario(deps: {
  admin: () => Api;
  db: Db;
  version: number;
  exportsBucket: string;
  worker1: ServiceProcess;
  worker2: ServiceProcess;
  openBucket: (bucket: string) => BlobStore;
}) {
  const { admin, db, version, exportsBucket, worker1, worker2 } = deps;
  const resumedUrl = `s3://${exportsBucket}/resumed`;
  const cleanUrl = `s3://${exportsBucket}/clean`;
  const route = `/datasets/${version}/exports`;
  const get = (id: number) => admin().expect<ExportSummary>(200, "GET", `/exports/${id}`);

  worker2.signal("SIGSTOP");
  let worker1Rss: number | null = null;
  let killedAt: ExportSummary;
  let first: { id: number; resumed: boolean };
  try {
    first = await admin().expect(202, "POST", route, { ...EXPORT_REQUEST, destination: resumedUrl });
    log(`export #${first.id} started over HTTP, worker2 paused so that worker1 takes it`);
    killedAt = await poll(`export #${first.id} under way`, 120_000, 50, async () => {
      const state = await get(first.id);
      if (state.status === "succeeded" || state.status === "failed") {
        throw new Error(
          `export #${first.id} ${state.status} before worker1 could be killed (${state.processed} images)`,
        );
      }
      const total = state.total ?? 0;
      return state.status === "running" && total > 0 && state.processed >= total * KILL_AT ? state : undefined;
    });
    worker1Rss = await peakRssMb(worker1.pid);
    worker1.signal("SIGKILL");
    await worker1.exited;
  } finally {
    worker2.signal("SIGCONT");
  }
  const killedTime = performance.now();
  const afterKill = await get(first.id);
  const target = await openDestination(resumedUrl, deps.openBucket);
  const filesAtKill = (await target.existing()).size;
  const journaledAtKill = await db.exportFile.count({ where: { exportId: first.id } });
  log(
    `worker1 killed (SIGKILL) at ${killedAt.processed}/${killedAt.total} images: ${filesAtKill} files in S3, ` +
      `${journaledAtKill} journaled, status ${afterKill.status}; worker2 resumed (SIGCONT)`,
  );
  expectThat(afterKill.status === "running", `the killed export is ${afterKill.status}, not running`);
  expectThat(afterKill.processed < (afterKill.total ?? 0), "the export had finished before the kill");
  expectThat(!(await target.existing()).has("export.json"), "export.json was written before the kill");

  // The same version, uninterrupted, by worker 2 while the killed one waits for the sweep.
  const cleanRequested = Date.now() - 1000;
  const clean = await admin().expect<{ id: number; resumed: boolean }>(202, "POST", route, {
    ...EXPORT_REQUEST,
    destination: cleanUrl,
  });
  const cleanDone = await untilFinished(get, clean.id, cleanRequested);
  const cleanSeconds = secondsBetween(cleanDone);
  log(`clean export #${clean.id} ${cleanDone.status} in ${cleanSeconds.toFixed(1)} s`);
  expectThat(cleanDone.status === "succeeded", `clean export #${clean.id} ${cleanDone.status}: ${cleanDone.error}`);

  const failed = await poll(`export #${first.id} marked failed`, (STALE_RUN_SECONDS + 90) * 1000, 1000, async () => {
    const state = await get(first.id);
    return state.status === "running" ? undefined : state;
  });
  const failedAfterSeconds = (performance.now() - killedTime) / 1000;
  log(`export #${first.id} ${failed.status} ${failedAfterSeconds.toFixed(0)} s after the kill: ${failed.error}`);
  expectThat(failed.status === "failed", `the killed export ended ${failed.status}, not failed`);

  // What the operator does: start the same export again. It resumes the failed row.
  const resumeRequested = Date.now() - 1000;
  const again = await admin().expect<{ id: number; resumed: boolean }>(202, "POST", route, {
    ...EXPORT_REQUEST,
    destination: resumedUrl,
  });
  expectThat(again.id === first.id && again.resumed, `starting it again gave #${again.id} (resumed: ${again.resumed})`);
  const resumedDone = await untilFinished(get, again.id, resumeRequested);
  const resumeSeconds = secondsBetween(resumedDone);
  log(`export #${again.id} ${resumedDone.status} after the resume, in ${resumeSeconds.toFixed(1)} s`);
  expectThat(resumedDone.status === "succeeded", `resumed export ${resumedDone.status}: ${resumedDone.error}`);

  // Byte for byte: every file of both, by sha256; and each checks out on its own.
  const resumedFiles = await hashes(deps.openBucket(exportsBucket), "resumed/");
  const cleanFiles = await hashes(deps.openBucket(exportsBucket), "clean/");
  const differing = [...new Set([...resumedFiles.keys(), ...cleanFiles.keys()])].filter(
    (file) => resumedFiles.get(file) !== cleanFiles.get(file),
  );
  const identical = expectThat(
    differing.length === 0 && cleanFiles.size > 0,
    `resumed and clean exports differ in ${differing.length} files (${differing.slice(0, 5).join(", ")})`,
  );
  const sumsEqual = expectThat(
    resumedFiles.get("SHA256SUMS") !== undefined && resumedFiles.get("SHA256SUMS") === cleanFiles.get("SHA256SUMS"),
    "SHA256SUMS differ",
  );
  const verify = async (url: string) => {
    const check = await verifyExport(await openDestination(url, deps.openBucket));
    expectThat(check.ok, `${url} does not verify: ${check.problems.slice(0, 5).join("; ")}`);
    return check.ok;
  };
  const verifiedResumed = await verify(resumedUrl);
  const verifiedClean = await verify(cleanUrl);
  return {
    worker1Rss,
    resumedId: first.id,
    cleanId: clean.id,
    killedAt,
    filesAtKill,
    journaledAtKill,
    failedAfterSeconds,
    resumeSeconds,
    cleanSeconds,
    files: cleanFiles.size,
    identical,
    sumsEqual,
    verifiedResumed,
    verifiedClean,
  };
}

/**
 * The export once it has finished a run that started at `since` or later: a resumed export keeps its old
 * status ("failed") until a worker takes the job again.
 */
function untilFinished(get: (id: number) => Promise<ExportSummary>, id: number, since: number): Promise<ExportSummary> {
  return poll(`export #${id}`, 300_000, 500, async () => {
    const state = await get(id);
    const finished = state.status === "succeeded" || state.status === "failed";
    return finished && state.startedAt && Date.parse(state.startedAt) >= since ? state : undefined;
  });
}

function secondsBetween(state: ExportSummary): number {
  if (!state.startedAt || !state.finishedAt) return Number.NaN;
  return (Date.parse(state.finishedAt) - Date.parse(state.startedAt)) / 1000;
}

/** Relative path → sha256 of every object under a prefix. */
async function hashes(store: BlobStore, prefix: string): Promise<Map<string, string>> {
  const keys: string[] = [];
  for await (const info of store.list(prefix)) keys.push(info.key);
  const out = new Map<string, string>();
  await inPool(keys, 16, async (key) => {
    const hash = createHash("sha256");
    for await (const chunk of await store.getStream(key)) hash.update(chunk as Buffer);
    out.set(key.slice(prefix.length), hash.digest("hex"));
  });
  return out;
}

/** Which images are really dogs: CIFAR dogs among the candidates, and verified images under dog (the gold). */
async function truthOf(db: Db, sourcesBucket: string) {
  const candidates = await db.imageSource.findMany({
    where: { locator: { startsWith: `s3://${sourcesBucket}/cifar/` } },
    select: { imageId: true, locator: true },
  });
  const dogs = new Set(candidates.filter((c) => c.locator.includes("/cifar/dog/")).map((c) => c.imageId));
  const gold = new Set(
    (
      await db.$queryRaw<{ image_id: number }[]>`
        SELECT DISTINCT l.image_id FROM image_link l JOIN synset_closure c ON c.descendant_id = l.synset_id
        WHERE c.ancestor_id = (SELECT id FROM synset WHERE wnid = ${DOG}) AND l.state = 'verified'`
    ).map((row) => row.image_id),
  );
  return { candidates: candidates.length, isDog: (id: number) => dogs.has(id) || gold.has(id) };
}

/** Samples the database's connections per process (by application_name) every 500 ms; keeps the peak. */
function sampleConnections(db: Db) {
  const peak = { total: 0, byProcess: new Map<string, number>() };
  let stopped = false;
  const loop = (async () => {
    while (!stopped) {
      const rows = await db.$queryRaw<{ name: string; n: number }[]>`
        SELECT application_name AS name, count(*)::int AS n FROM pg_stat_activity
        WHERE datname = current_database() AND application_name <> ${HARNESS} GROUP BY 1`.catch(() => []);
      const total = rows.reduce((sum, row) => sum + row.n, 0);
      if (total > peak.total) peak.total = total;
      for (const row of rows) peak.byProcess.set(row.name, Math.max(peak.byProcess.get(row.name) ?? 0, row.n));
      await sleep(500);
    }
  })();
  return {
    peak,
    stop: () => {
      stopped = true;
      return loop;
    },
  };
}

/**
 * DATABASE_URL's server (the role needs CREATEDB), else an embedded server in `.arbor/scale-out` that only this
 * harness uses (the tests' one in `.arbor/test` is stopped by whichever test run started it), run with fsync off.
 */
async function startPostgres(): Promise<{ adminUrl: string; stop(): Promise<void> }> {
  if (dbEnv().databaseUrl) return startTestServer();
  const server = await startEmbeddedServer({
    home: path.join(ROOT, ".arbor", "scale-out"),
    database: "postgres",
    fast: true,
  });
  return { adminUrl: server.url, stop: () => server.stop() };
}

/** Builds the web app when its sources changed (another process may be building it: then waits, up to 6 minutes). */
async function buildWeb(): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      const built = await buildWebAppIfStale((line) => log(line));
      log(built ? "web app built" : "web build is up to date");
      return;
    } catch (error) {
      if (attempt >= 12) throw error;
      log(`web build failed (${(error as Error).message}); trying again in 30 s`);
      await sleep(30_000);
    }
  }
}

async function waitForHealth(base: string, web: ServiceProcess): Promise<void> {
  await poll(`${web.name} to answer /api/v1/health`, 90_000, 200, async () => {
    if (!web.alive()) throw new Error(`${web.name} stopped (${await web.exited})`);
    const ok = await fetch(`${base}/api/v1/health`).then(
      (r) => r.ok,
      () => false,
    );
    return ok ? true : undefined;
  });
}

/** A process's peak resident memory in MB (Linux's VmHWM), or null where /proc does not tell. */
async function peakRssMb(pid: number): Promise<number | null> {
  const status = await readFile(`/proc/${pid}/status`, "utf8").catch(() => "");
  const kb = /^VmHWM:\s+(\d+) kB/m.exec(status)?.[1];
  return kb ? Math.round(Number(kb) / 1024) : null;
}

function withApplicationName(url: string, name: string): string {
  const parsed = new URL(url);
  parsed.searchParams.set("application_name", name);
  return parsed.toString();
}

async function inPool<T>(items: readonly T[], concurrency: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, items.length) }, async () => {
      while (next < items.length) await work(items[next++] as T);
    }),
  );
}
