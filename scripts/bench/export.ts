/**
 * Export benchmark: MB/s of exporting a frozen version (ImageFolder and WebDataset, original bytes), as a
 * ratio to `tar -cf` of the same image files in the same run (target ≥ 0.7×), with the peak RSS of each
 * export to show memory stays flat. Versions: CIFAR-10 (cifar10-jpg, 10 classes) and the ILSVRC-2012 preset
 * over the 1000 ImageNet sample photos.
 *   npm run bench:export [-- --quick]   (--quick: CIFAR-10's test half only)
 */
import { spawnSync } from "node:child_process";
import { copyFileSync, mkdirSync } from "node:fs";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { DatasetDefinitionInput } from "@arbor/core";
import { createDb, type Db } from "@arbor/db";
import { createDatabaseFrom, startTestServer } from "@arbor/db/testing";
import { LocalDiskStore } from "@arbor/storage";
import { createDatasetVersion, OPERATOR } from "@arbor/usecases";
import { createExport, executeExport } from "@arbor/usecases/exports";
import { createIngestRun, executeIngestRun } from "@arbor/usecases/ingest";
import { prepareWordnetTemplate, WORDNET_TEMPLATE } from "@arbor/usecases/testing/global-setup";

const DATA = fileURLToPath(new URL("../../../shared/data/", import.meta.url));
const MAP = fileURLToPath(new URL("../data/cifar10.map", import.meta.url));
const quick = process.argv.includes("--quick");

const server = await startTestServer();
await prepareWordnetTemplate(server.adminUrl);
const database = await createDatabaseFrom(server.adminUrl, WORDNET_TEMPLATE);
const db = createDb(database.url, 4);
const work = await mkdtemp(path.join(tmpdir(), "arbor-bench-export-"));
try {
  const blobDir = path.join(work, "blobs");
  const blobs = await LocalDiskStore.open(blobDir, { publicBaseUrl: "http://localhost" });
  const ingest = async (root: string, mapFile?: string) => {
    const run = await createIngestRun(db, {
      kind: "folder",
      path: root,
      trusted: true,
      ...(mapFile ? { mapFile } : {}),
    });
    await executeIngestRun({ db, blobs }, run.id);
  };
  console.log("ingesting (setup, not measured)…");
  // The label map names class folders, so each split folder is ingested on its own.
  for (const half of quick ? ["test"] : ["train", "test"]) await ingest(path.join(DATA, "cifar10-jpg", half), MAP);
  await ingest(path.join(DATA, "imagenet-sample-images"));
  const cifarWnids = (await readFile(MAP, "utf8"))
    .split("\n")
    .filter((line) => line && !line.startsWith("#"))
    .map((line) => line.split("\t")[1] as string);
  const versions: Array<{ title: string; definition: DatasetDefinitionInput }> = [
    {
      title: `CIFAR-10 (${quick ? "test half" : "all 60,000"})`,
      definition: {
        name: "bench-cifar",
        classes: { kind: "wnids", wnids: cifarWnids },
      },
    },
    {
      title: "ILSVRC-2012 preset over the 1000 sample photos",
      definition: { name: "bench-ilsvrc", classes: { kind: "ilsvrc2012" } },
    },
  ];
  for (const { title, definition } of versions) {
    const version = await measure(() => createDatasetVersion(db, definition, OPERATOR));
    console.log(
      `\n# ${title}: ${version.result.imageCount} images, ${version.result.classCount} classes (frozen in ${version.seconds.toFixed(1)} s)`,
    );
    const files = await imageFiles(db, version.result.id, blobDir);
    const bytes = files.reduce((sum, f) => sum + f.bytes, 0);
    const list = path.join(work, "files.txt");
    await writeFile(list, files.map((f) => f.path).join("\n"));
    const mb = bytes / 1e6;
    const tar = await measure(async () => {
      const out = path.join(work, "baseline.tar");
      const result = spawnSync("tar", ["-cf", out, "-T", list]);
      if (result.status !== 0) throw new Error(`tar failed: ${result.stderr}`);
      await rm(out);
    });
    console.log(
      `tar -cf of the same files: ${(mb / tar.seconds).toFixed(1)} MB/s (${mb.toFixed(1)} MB in ${tar.seconds.toFixed(2)} s)`,
    );
    // The floor for ImageFolder: creating one file per image, nothing else (no staging, no manifest).
    const copy = await measure(async () => {
      const out = path.join(work, "raw-copy");
      const made = new Set<string>();
      for (const f of files) {
        const dir = path.join(out, f.dir);
        if (!made.has(dir)) {
          mkdirSync(dir, { recursive: true });
          made.add(dir);
        }
        copyFileSync(f.path, path.join(dir, path.basename(f.path)));
      }
      await rm(out, { recursive: true, force: true });
    });
    console.log(`raw copy into class folders (copyFileSync per file): ${(mb / copy.seconds).toFixed(1)} MB/s`);
    for (const format of ["imagefolder", "webdataset"] as const) {
      const out = path.join(work, `${format}-${version.result.id}`);
      const { id } = await createExport(db, {
        versionId: version.result.id,
        options: { format },
        destination: out,
        createdById: null,
      });
      const run = await measure(() => executeExport({ db, blobs }, id));
      console.log(
        `${format}: ${(mb / run.seconds).toFixed(1)} MB/s in ${run.seconds.toFixed(2)} s, peak RSS ${run.peakMb} MB → ` +
          `${(tar.seconds / run.seconds).toFixed(2)}× tar   (target ≥ 0.7×)` +
          (format === "imagefolder" ? `, ${(copy.seconds / run.seconds).toFixed(2)}× raw copy` : ""),
      );
      await rm(out, { recursive: true, force: true });
    }
  }
} finally {
  await db.$disconnect();
  await database.drop();
  await server.stop();
  await rm(work, { recursive: true, force: true });
}

async function imageFiles(db: Db, versionId: number, blobDir: string) {
  const rows = await db.$queryRaw<{ key: string; bytes: number; dir: string }[]>`
    SELECT i.original_key AS key, i.bytes, d.split || '/' || d.class_index AS dir
    FROM dataset_item d JOIN image i ON i.id = d.image_id
    WHERE d.version_id = ${versionId} ORDER BY d.class_index, i.sha256`;
  return rows.map((r) => ({ path: path.join(blobDir, ...r.key.split("/")), bytes: r.bytes, dir: r.dir }));
}

async function measure<T>(work: () => Promise<T>): Promise<{ seconds: number; peakMb: number; result: T }> {
  let peak = process.memoryUsage().rss;
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 50);
  const started = performance.now();
  const result = await work();
  clearInterval(timer);
  return { seconds: (performance.now() - started) / 1000, peakMb: Math.round(peak / 1024 / 1024), result };
}
