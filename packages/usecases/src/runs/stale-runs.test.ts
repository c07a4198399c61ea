import { spawnSync } from "node:child_process";
import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { useTestDatabase } from "@arbor/db/testing";
import { InlineQueue } from "@arbor/jobs";
import { type BlobStore, LocalDiskStore } from "@arbor/storage";
import { beforeAll, describe, expect, it } from "vitest";
import { getExport } from "../exports/get-export.ts";
import { recountSynsetCounts } from "../image-links/recount-synset-counts.ts";
import { createIngestRun } from "../ingest/create-ingest-run.ts";
import { executeIngestRun } from "../ingest/execute-ingest-run.ts";
import { getIngestRun, listIngestRuns } from "../ingest/get-ingest-run.ts";
import { CHIHUAHUA, reencoded, SAMPLES, SPANIEL, TABBY } from "../ingest/ingest-fixtures.ts";
import { failStaleRuns, watchStaleRuns } from "./stale-runs.ts";

describe("runs whose worker is gone are marked failed, never left running (real PostgreSQL)", () => {
  const t = useTestDatabase("arbor_wordnet");
  let blobDir: string;
  let versionId: number;

  beforeAll(async () => {
    blobDir = await mkdtemp(path.join(tmpdir(), "arbor-stale-blobs-"));
    const dataset = await t.db.dataset.create({ data: { name: "stale-exports" } });
    const version = await t.db.datasetVersion.create({
      data: { datasetId: dataset.id, number: 1, definition: {}, report: {}, classCount: 0, imageCount: 0 },
    });
    versionId = version.id;
  });

  /** A run in the state a dead worker leaves it: running, its last heartbeat `secondsAgo` old. */
  const runningIngest = async (secondsAgo: number) => {
    const { id } = await createIngestRun(t.db, { kind: "folder", path: "/data/imagenet" });
    await t.db.$executeRaw`UPDATE ingest_run SET status = 'running', started_at = now() - interval '1 hour',
      processed = 192, total = 500, heartbeat_at = now() - make_interval(secs => ${secondsAgo}::float8) WHERE id = ${id}`;
    return id;
  };
  const runningExport = async (secondsAgo: number) => {
    const row = await t.db.export.create({ data: { versionId, format: "jsonl", destination: "/x", options: {} } });
    await t.db.$executeRaw`UPDATE export SET status = 'running', started_at = now() - interval '1 hour',
      heartbeat_at = now() - make_interval(secs => ${secondsAgo}::float8) WHERE id = ${row.id}`;
    return row.id;
  };

  it("fails a running ingest whose heartbeat stopped when its page is read, and leaves live and queued ones", async () => {
    const dead = await runningIngest(600);
    const alive = await runningIngest(1);
    const queued = await createIngestRun(t.db, { kind: "folder", path: "/data/later" });
    const run = await getIngestRun(t.db, dead);
    expect(run).toMatchObject({ status: "failed", processed: 192, total: 500 });
    expect(run.error).toMatch(/the worker stopped while running .*re-run to finish/);
    expect(run.finishedAt).not.toBeNull();
    expect((await getIngestRun(t.db, alive)).status).toBe("running");
    expect((await getIngestRun(t.db, queued.id)).status).toBe("queued");
    // the list (the ingest page) sweeps too
    const other = await runningIngest(3600);
    expect((await listIngestRuns(t.db)).find((r) => r.id === other)?.status).toBe("failed");
    await t.db.ingestRun.update({ where: { id: alive }, data: { status: "succeeded" } });
  });

  it("fails a running export whose heartbeat stopped when it is read; the same export started again resumes it", async () => {
    const dead = await runningExport(600);
    const alive = await runningExport(1);
    const summary = await getExport(t.db, dead);
    expect(summary.status).toBe("failed");
    expect(summary.error).toMatch(/the worker stopped while running .*start the same export again to resume/);
    expect((await getExport(t.db, alive)).status).toBe("running");
    await t.db.export.update({ where: { id: alive }, data: { status: "succeeded" } });
  });

  it("sweeps both kinds at once, on a timer as a worker does, and counts a run without heartbeat from its start", async () => {
    const ingest = await runningIngest(600);
    const exported = await runningExport(600);
    const legacy = await createIngestRun(t.db, { kind: "folder", path: "/data/old" });
    await t.db.$executeRaw`UPDATE ingest_run SET status = 'running', started_at = now() - interval '1 day',
      heartbeat_at = NULL WHERE id = ${legacy.id}`;
    const swept: number[][] = [];
    const watcher = await watchStaleRuns(
      { db: t.db, jobs: new InlineQueue() },
      { everyMs: 50, onSwept: (s) => swept.push(s.ingestRuns) },
    );
    watcher.stop();
    expect(swept).toEqual([[ingest, legacy.id]]);
    expect((await t.db.export.findUniqueOrThrow({ where: { id: exported } })).status).toBe("failed");
    expect(await failStaleRuns(t.db)).toEqual({ ingestRuns: [], exports: [], candidateRuns: [], freezeRuns: [] });
  });

  it("a run stamps its heartbeat while it runs", async () => {
    const dir = await mkdtemp(path.join(tmpdir(), "arbor-beat-"));
    await writeFile(path.join(dir, "photo.jpg"), await reencoded(path.join(SAMPLES, TABBY), 30));
    const { id } = await createIngestRun(t.db, { kind: "folder", path: dir, synset: "n02123045" });
    const during: { status: string; heartbeatAt: Date | null }[] = [];
    const store = await LocalDiskStore.open(blobDir, { signingSecret: "test" });
    // Looks at the row from inside the run: a blob write, which the run awaits.
    const blobs: BlobStore = Object.assign(Object.create(store), {
      put: async (...args: Parameters<BlobStore["put"]>) => {
        during.push(
          await t.db.ingestRun.findUniqueOrThrow({ where: { id }, select: { status: true, heartbeatAt: true } }),
        );
        return store.put(...args);
      },
    });
    await executeIngestRun({ db: t.db, blobs }, id);
    expect(during.length).toBeGreaterThan(0);
    for (const row of during) expect(row).toMatchObject({ status: "running", heartbeatAt: expect.any(Date) });
    expect((await getIngestRun(t.db, id)).status).toBe("succeeded");
  });

  it("after a real kill -9 mid-ingest: the run is failed with a reason, and a re-run finishes without duplicates", async () => {
    const dir = await mkdtemp(path.join(tmpdir(), "arbor-killed-"));
    for (const [i, file] of [CHIHUAHUA, SPANIEL, TABBY].entries()) {
      await writeFile(path.join(dir, `photo${i}.jpg`), await reencoded(path.join(SAMPLES, file), 35));
    }
    const options = { kind: "folder", path: dir, synset: "n02113978" } as const; // Mexican hairless: untouched
    const killed = await createIngestRun(t.db, options);
    const script = fileURLToPath(new URL("../ingest/testing/ingest-then-die.ts", import.meta.url));
    const child = spawnSync(process.execPath, ["--import", "tsx", script, t.url, blobDir, String(killed.id)], {
      encoding: "utf8",
    });
    expect(child.signal, child.stderr).toBe("SIGKILL");
    // What the worker left: a run that says it is running, one item in.
    expect(await t.db.ingestRun.findUniqueOrThrow({ where: { id: killed.id } })).toMatchObject({
      status: "running",
      processed: 1,
      added: 1,
      heartbeatAt: expect.any(Date),
    });
    // Once its heartbeat is older than the threshold (0 s here, rather than waiting), the sweep fails it.
    expect((await failStaleRuns(t.db, { staleAfterSeconds: 0 })).ingestRuns).toEqual([killed.id]);
    const failed = await getIngestRun(t.db, killed.id);
    expect(failed).toMatchObject({ status: "failed", added: 1 });
    expect(failed.error).toMatch(/the worker stopped while running/);

    const blobs = await LocalDiskStore.open(blobDir, { signingSecret: "test" });
    const rerun = await createIngestRun(t.db, options);
    await executeIngestRun({ db: t.db, blobs }, rerun.id);
    expect(await getIngestRun(t.db, rerun.id)).toMatchObject({ status: "succeeded", added: 2, duplicates: 1 });
    expect(await t.db.imageLink.count({ where: { synset: { wnid: "n02113978" } } })).toBe(3);
    expect(await recountSynsetCounts(t.db)).toEqual([]);
  });
});
