/**
 * Freeze benchmark: the ILSVRC-2012 preset frozen as a job (a freeze run, executed as a worker does) over the
 * scale fixture (1,281,167 verified images on the 1000 classes, scripts/scale-fixture), with the elapsed time,
 * the peak RSS sampled during the run (it must not grow with the dataset: compare --images 100000; RSS also
 * counts garbage V8 has not collected yet, so the sharper check is a capped heap, which fails with "heap out
 * of memory" if the live heap grows: `NODE_OPTIONS=--max-old-space-size=128 npm run bench:freeze`), and the
 * version's JSONL manifests written by the export's manifest writer as a ratio to `COPY (SELECT …) TO STDOUT`
 * (psql) of the same rows in the same run (target ≥ 0.7×). With --export, the version is then exported as
 * WebDataset and as ImageFolder (the fixture's images all share one blob, here a real 32×32 CIFAR-10 JPEG), with
 * each export's time and peak RSS: export memory must not grow with the dataset either (same heap-cap check).
 *   npm run bench:freeze [-- --images N] [-- --export] [-- --url postgres://… (a filled fixture database, used as it is)]
 *     [-- --keep (keep the cloned database, print its URL)] [-- --url U --version V (only the manifests of V)]
 */
import { spawnSync } from "node:child_process";
import { createWriteStream } from "node:fs";
import { mkdtemp, readFile, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { createDb } from "@arbor/db";
import { MIGRATIONS_DIR, runMigrations } from "@arbor/db/migrate";
import { createDatabaseFrom, startTestServer } from "@arbor/db/testing";
import { InlineQueue } from "@arbor/jobs";
import { LocalDiskStore } from "@arbor/storage";
import { executeFreezeRun, freezeRunJob, getFreezeRun, OPERATOR, startFreezeRun } from "@arbor/usecases";
import { createExport, executeExport, manifestCopyQuery, writeJsonlManifests } from "@arbor/usecases/exports";
import pg from "pg";
import { ensureScaleFixture, FIXTURE_BLOB, ILSVRC2012_TRAIN_IMAGES } from "../scale-fixture/fill.ts";

const DATA = fileURLToPath(new URL("../../../shared/data/", import.meta.url));

const { values } = parseArgs({
  options: {
    images: { type: "string" },
    url: { type: "string" },
    keep: { type: "boolean" },
    export: { type: "boolean" },
    version: { type: "string" },
  },
});
const images = Number(values.images ?? ILSVRC2012_TRAIN_IMAGES);
const candidates = Math.floor(images / 4);

const server = await startTestServer();
let url = values.url;
let drop = async () => {};
if (!url) {
  const template = `arbor_scale_${images}_${candidates}`;
  const admin = new pg.Client({ connectionString: server.adminUrl });
  await admin.connect();
  // A fixture built before this checkout's latest migrations is used as it is (its build takes minutes on
  // two cores, and others may be using it): the clone gets the missing migrations.
  const { rows } = await admin.query<{ comment: string | null }>(
    "SELECT shobj_description(oid, 'pg_database') AS comment FROM pg_database WHERE datname = $1",
    [template],
  );
  await admin.end();
  if (rows[0]?.comment == null) {
    console.log(`building the scale fixture ${template} (setup, not measured)…`);
    await ensureScaleFixture(server.adminUrl, { images, candidates });
  }
  const clone = await cloneWhenFree(server.adminUrl, template);
  await runMigrations(clone.url, MIGRATIONS_DIR);
  url = clone.url;
  drop = values.keep ? async () => console.log(`kept the database: ${clone.url}`) : clone.drop;
}
const db = createDb(url, 4);
const work = await mkdtemp(path.join(tmpdir(), "arbor-bench-freeze-"));
try {
  const sampler = rssSampler();
  let freezeSeconds = 0;
  let freezePeak = 0;
  let versionId = Number(values.version ?? 0);
  if (!versionId) {
    const jobs = new InlineQueue();
    let lastLine = "";
    await jobs.work(freezeRunJob, async ({ runId }) => {
      await executeFreezeRun({ db }, runId, (p) => {
        const line = `${p.phase}${!p.total ? "" : ` ${Math.floor((10 * p.processed) / p.total) * 10}%`}`;
        if (line !== lastLine) console.log(`  ${line} (${((performance.now() - t0) / 1000).toFixed(1)} s)`);
        lastLine = line;
      });
    });
    console.log(`freezing the ILSVRC-2012 preset over ${images.toLocaleString("en")} images as a job…`);
    const t0 = performance.now();
    const queued = await startFreezeRun(
      { db, jobs },
      { name: "bench-ilsvrc-freeze", classes: { kind: "ilsvrc2012" } },
      OPERATOR,
    );
    await jobs.idle();
    freezeSeconds = (performance.now() - t0) / 1000;
    freezePeak = sampler.peak();
    const run = await getFreezeRun(db, queued.id);
    if (run.status !== "succeeded" || run.versionId === null) throw new Error(`freeze failed: ${run.error}`);
    versionId = run.versionId;
  }
  const version = await db.datasetVersion.findUniqueOrThrow({ where: { id: versionId } });
  console.log(
    `frozen: ${version.imageCount.toLocaleString("en")} images, ${version.classCount} classes in ${freezeSeconds.toFixed(1)} s; ` +
      `peak RSS ${mb(freezePeak)} MB (${mb(sampler.base)} MB before)`,
  );

  // The manifests: the export's writer, then COPY of the same rows (same SELECT) to a file by psql.
  sampler.reset();
  const m0 = performance.now();
  const written = await writeJsonlManifests(db, versionId, { withholdTestLabels: false, resize: null }, (split) =>
    createWriteStream(path.join(work, `${split}.jsonl`)),
  );
  const manifestSeconds = (performance.now() - m0) / 1000;
  const manifestPeak = sampler.peak();
  const exports: Record<string, { seconds: number; peakRssMb: number }> = {};
  if (values.export) {
    const blobs = await LocalDiskStore.open(path.join(work, "blobs"), { publicBaseUrl: "http://localhost" });
    const sample = path.join(DATA, "cifar10-jpg", "test", "airplane", "0000.jpg");
    await blobs.put(FIXTURE_BLOB, await readFile(sample));
    for (const format of ["webdataset", "imagefolder"] as const) {
      const out = path.join(work, format);
      const { id } = await createExport(db, { versionId, options: { format }, destination: out, createdById: null });
      sampler.reset();
      const before = process.memoryUsage.rss();
      const e0 = performance.now();
      let lastTenth = -1;
      await executeExport({ db, blobs }, id, (p) => {
        const tenth = p.total ? Math.floor((10 * p.processed) / p.total) : 0;
        if (tenth !== lastTenth)
          console.log(`  ${format} ${tenth * 10}% (${((performance.now() - e0) / 1000).toFixed(1)} s)`);
        lastTenth = tenth;
      });
      const seconds = (performance.now() - e0) / 1000;
      exports[format] = { seconds: round(seconds), peakRssMb: mb(sampler.peak()) };
      console.log(
        `${format} export: ${version.imageCount.toLocaleString("en")} images in ${seconds.toFixed(1)} s ` +
          `(${Math.round(version.imageCount / seconds).toLocaleString("en")} images/s), peak RSS ${mb(sampler.peak())} MB (${mb(before)} MB before)`,
      );
      removeTree(out);
    }
  }
  sampler.stop();
  const copyFile = path.join(work, "copy.txt");
  const c0 = performance.now();
  const copy = spawnSync(
    "psql",
    [url, "-qAt", "-v", "ON_ERROR_STOP=1", "-c", `COPY (${manifestCopyQuery(versionId)}) TO STDOUT`, "-o", copyFile],
    { stdio: ["ignore", "ignore", "pipe"] },
  );
  const copySeconds = (performance.now() - c0) / 1000;
  if (copy.status !== 0) throw new Error(`psql COPY failed: ${copy.stderr}`);
  const copyBytes = (await stat(copyFile)).size;
  const rows = written.rows;
  const ratio = manifestSeconds > 0 ? copySeconds / manifestSeconds : 0;
  console.log(
    `manifests: ${rows.toLocaleString("en")} rows, ${mb(written.bytes)} MB in ${manifestSeconds.toFixed(2)} s ` +
      `(${Math.round(rows / manifestSeconds).toLocaleString("en")} rows/s, peak RSS ${mb(manifestPeak)} MB); ` +
      `COPY TO STDOUT of the same rows: ${mb(copyBytes)} MB in ${copySeconds.toFixed(2)} s → ${ratio.toFixed(2)}× COPY's rate`,
  );
  console.log(
    JSON.stringify({
      bench: "freeze",
      images: version.imageCount,
      classes: version.classCount,
      freezeSeconds: round(freezeSeconds),
      freezePeakRssMb: mb(freezePeak),
      rssBeforeMb: mb(sampler.base),
      manifestRows: rows,
      manifestSeconds: round(manifestSeconds),
      manifestPeakRssMb: mb(manifestPeak),
      copySeconds: round(copySeconds),
      manifestVsCopy: round(ratio),
      ...(values.export ? { exports } : {}),
    }),
  );
} finally {
  await db.$disconnect();
  await drop();
  removeTree(work);
}

/**
 * `rm -rf`: fs.rm's recursive walk ran out of a 128 MB heap on the ImageFolder export's 1.28 M files (the
 * export itself had not), and this benchmark runs under that cap to show the export's memory is flat.
 */
function removeTree(dir: string): void {
  const result = spawnSync("rm", ["-rf", dir], { stdio: ["ignore", "ignore", "pipe"] });
  if (result.status !== 0) throw new Error(`rm -rf ${dir} failed: ${result.stderr}`);
}

/** A clone of the template, waiting while another process is connected to it (others share the fixture). */
async function cloneWhenFree(adminUrl: string, template: string) {
  for (let attempt = 1; ; attempt++) {
    try {
      return await createDatabaseFrom(adminUrl, template);
    } catch (error) {
      if ((error as { code?: string }).code !== "55006" || attempt >= 120) throw error;
      if (attempt === 1) console.log(`${template} is in use by another process; waiting to clone it…`);
      await new Promise((resolve) => setTimeout(resolve, 5000));
    }
  }
}

/** RSS sampled every 20 ms on a timer (the event loop turns between queries), and its peak. */
function rssSampler() {
  const base = process.memoryUsage.rss();
  let peak = base;
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage.rss());
  }, 20);
  return {
    base,
    peak: () => Math.max(peak, process.memoryUsage.rss()),
    reset: () => {
      peak = process.memoryUsage.rss();
    },
    stop: () => clearInterval(timer),
  };
}

function mb(bytes: number): number {
  return Math.round(bytes / 1e6);
}

function round(x: number): number {
  return Math.round(x * 100) / 100;
}
