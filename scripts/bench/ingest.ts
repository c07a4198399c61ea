/**
 * Ingest benchmark: images/s of a full ingest (analysis, blob writes, database, counts) of real datasets,
 * as a ratio to the raw per-image work alone — read + sharp decode + hash + thumbnail of the same files at
 * the same concurrency, in the same process. Also the peak RSS of each, to show memory stays flat.
 *   npm run bench:ingest [-- --only imagenet|cifar]
 */
import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { createDb } from "@arbor/db";
import { createDatabaseFrom, startTestServer } from "@arbor/db/testing";
import { analyzeImage } from "@arbor/imaging";
import { LocalDiskStore } from "@arbor/storage";
import { createIngestRun, executeIngestRun } from "@arbor/usecases/ingest";
import { prepareWordnetTemplate, WORDNET_TEMPLATE } from "@arbor/usecases/testing/global-setup";

const DATA = fileURLToPath(new URL("../../../shared/data/", import.meta.url));
const MAP = fileURLToPath(new URL("../data/cifar10.map", import.meta.url));
const CONCURRENCY = 4;
const only = process.argv.includes("--only") ? process.argv[process.argv.indexOf("--only") + 1] : undefined;

const datasets = [
  {
    name: "imagenet",
    title: "imagenet-sample-images (1000 large JPEGs)",
    root: path.join(DATA, "imagenet-sample-images"),
    options: {},
  },
  {
    name: "cifar",
    title: "cifar10-jpg/test (10,000 32×32 JPEGs)",
    root: path.join(DATA, "cifar10-jpg", "test"),
    options: { mapFile: MAP },
  },
].filter((d) => !only || d.name === only);

const server = await startTestServer();
await prepareWordnetTemplate(server.adminUrl);
try {
  for (const dataset of datasets) {
    const files = await listFiles(dataset.root);
    console.log(`\n# ${dataset.title}`);
    const raw = await measure(() => rawWork(files));
    const database = await createDatabaseFrom(server.adminUrl, WORDNET_TEMPLATE);
    const blobDir = await mkdtemp(path.join(tmpdir(), "arbor-bench-blobs-"));
    const db = createDb(database.url, 4);
    try {
      const blobs = await LocalDiskStore.open(blobDir, { publicBaseUrl: "http://localhost" });
      const run = await createIngestRun(db, { kind: "folder", path: dataset.root, trusted: true, ...dataset.options });
      const full = await measure(() => executeIngestRun({ db, blobs, concurrency: CONCURRENCY }, run.id));
      const report = await db.ingestRun.findUniqueOrThrow({ where: { id: run.id } });
      const again = await measure(async () => {
        const rerun = await createIngestRun(db, {
          kind: "folder",
          path: dataset.root,
          trusted: true,
          ...dataset.options,
        });
        await executeIngestRun({ db, blobs, concurrency: CONCURRENCY }, rerun.id);
      });
      const rate = (seconds: number) => files.length / seconds;
      console.log(
        `raw work (read+decode+hash+thumbnail): ${rate(raw.seconds).toFixed(0)} img/s, peak RSS ${raw.peakMb} MB`,
      );
      console.log(
        `full ingest: ${rate(full.seconds).toFixed(0)} img/s, peak RSS ${full.peakMb} MB (${report.added} added, ${report.skipped} skipped)`,
      );
      console.log(`re-run (all duplicates): ${rate(again.seconds).toFixed(0)} img/s`);
      console.log(`ingest / raw work: ${(raw.seconds / full.seconds).toFixed(2)}×   (target ≥ 0.7×)`);
    } finally {
      await db.$disconnect();
      await database.drop();
      await rm(blobDir, { recursive: true, force: true });
    }
  }
} finally {
  await server.stop();
}

async function rawWork(files: string[]): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < files.length) {
        const file = files[next++] as string;
        await analyzeImage(await readFile(file)).catch(() => {});
      }
    }),
  );
}

async function measure(work: () => Promise<unknown>): Promise<{ seconds: number; peakMb: number }> {
  global.gc?.();
  let peak = process.memoryUsage().rss;
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 50);
  const started = performance.now();
  await work();
  clearInterval(timer);
  return { seconds: (performance.now() - started) / 1000, peakMb: Math.round(peak / 1024 / 1024) };
}

async function listFiles(root: string): Promise<string[]> {
  const entries = await readdir(root, { withFileTypes: true, recursive: true });
  return entries
    .filter((e) => e.isFile() && !e.name.startsWith(".") && /\.(jpe?g|png)$/i.test(e.name))
    .map((e) => path.join(e.parentPath, e.name));
}
