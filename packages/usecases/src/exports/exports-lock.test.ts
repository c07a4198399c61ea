import { mkdtemp } from "node:fs/promises";
import { hostname, tmpdir } from "node:os";
import path from "node:path";
import { useTestDatabase } from "@arbor/db/testing";
import type { BlobStore } from "@arbor/storage";
import { beforeAll, describe, expect, it } from "vitest";
import { createDatasetVersion } from "../datasets/create-dataset-version.ts";
import { ingestCifarSubset } from "../datasets/dataset-fixtures.ts";
import { OPERATOR } from "../restrictions/viewer.ts";
import { createExport } from "./create-export.ts";
import { executeExport } from "./execute-export.ts";
import { openDestination } from "./export-target.ts";
import { verifyExport } from "./verify-export.ts";

/**
 * The blob store with every read held at a gate, and no local paths (so each image is read through it): a run
 * that reaches the gate holds the export's lock and stays in its image phase until the gate opens.
 */
function gated(store: BlobStore) {
  let open = () => {};
  let fail = (_error: Error) => {};
  const gate = new Promise<void>((resolve, reject) => {
    open = resolve;
    fail = reject;
  });
  gate.catch(() => {});
  let arrive = () => {};
  const arrived = new Promise<void>((resolve) => {
    arrive = resolve;
  });
  const blobs: BlobStore = {
    kind: store.kind,
    put: (...args) => store.put(...args),
    getStream: async (key) => {
      arrive();
      await gate;
      return store.getStream(key);
    },
    head: (key) => store.head(key),
    delete: (key) => store.delete(key),
    list: (prefix, options) => store.list(prefix, options),
    presignedUrl: (key, options) => store.presignedUrl(key, options),
  };
  return { blobs, arrived, open: () => open(), fail: (error: Error) => fail(error) };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("one run at a time per export (real PostgreSQL advisory lock)", () => {
  const t = useTestDatabase("arbor_wordnet");
  let blobs: BlobStore;
  let versionId: number;

  beforeAll(async () => {
    ({ blobs } = await ingestCifarSubset(t.db, 5));
    const version = await createDatasetVersion(
      t.db,
      {
        name: "cifar-export-lock",
        classes: { kind: "wnids", wnids: ["n02691156", "n02958343", "n01503061", "n02121808"] },
        seed: 5,
        splits: { mode: "fractions", train: 0.6, val: 0.2, test: 0.2 },
      },
      OPERATOR,
    );
    versionId = version.id;
  }, 120_000);

  const newExport = async () => {
    const destination = await mkdtemp(path.join(tmpdir(), "arbor-export-lock-"));
    const { id } = await createExport(t.db, {
      versionId,
      options: { format: "imagefolder" },
      destination,
      createdById: null,
    });
    return { id, destination };
  };
  /**
   * The backend holding export id's advisory lock in this test's database, read straight from pg_locks (not
   * through the code tested; other test files share the server).
   */
  const lockHolders = (id: number) => t.db.$queryRaw<{ pid: number; application_name: string }[]>`
    SELECT a.pid, a.application_name FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
    WHERE l.locktype = 'advisory' AND l.granted AND l.objid = ${id}::int8::oid AND l.objsubid = 2
      AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())`;
  const holderName = `arbor-export pid=${process.pid} host=${hostname()}`.slice(0, 63);

  it("runs exactly one of two concurrent runs of one export; the other is refused with a conflict", async () => {
    const { id, destination } = await newExport();
    const gate = gated(blobs);
    const outcomes = [0, 1].map(() =>
      executeExport({ db: t.db, blobs: gate.blobs }, id).then(
        () => "ran" as const,
        (error: unknown) => error,
      ),
    );
    // The loser is refused while the winner waits at the gate. Without the lock both would wait there, and
    // this race would end on the timeout instead.
    const first = await Promise.race([...outcomes, sleep(15_000).then(() => "neither was refused")]);
    gate.open(); // before asserting: a failed assertion must not leave runs waiting at the gate
    expect(first).toMatchObject({
      kind: "conflict",
      message: expect.stringContaining(`export ${id} is already running`),
    });
    const results = await Promise.all(outcomes);
    expect(results.filter((r) => r === "ran")).toHaveLength(1);
    expect(await t.db.export.findUniqueOrThrow({ where: { id } })).toMatchObject({ status: "succeeded", error: null });
    expect((await verifyExport(await openDestination(destination))).ok).toBe(true);
  });

  it("names the holder, leaves its row alone, and lets a re-run in once the holder is done", async () => {
    const { id, destination } = await newExport();
    const gate = gated(blobs);
    const holder = executeExport({ db: t.db, blobs: gate.blobs }, id);
    holder.catch(() => {}); // awaited below
    try {
      await gate.arrived;
      const row = await t.db.export.findUniqueOrThrow({ where: { id } });
      expect(row.status).toBe("running");
      const [held] = await lockHolders(id);
      expect(held?.application_name).toBe(holderName);

      const refused = executeExport({ db: t.db, blobs }, id);
      await expect(refused).rejects.toMatchObject({
        kind: "conflict",
        detail: { holder: { applicationName: holderName, backendPid: held?.pid } },
      });
      // The message a person reads says who: the holder's pid and host, and its database backend.
      await expect(refused).rejects.toThrow(`${holderName} (database backend ${held?.pid}`);
      // Refused before anything was touched: the row is still the holder's run.
      expect(await t.db.export.findUniqueOrThrow({ where: { id } })).toMatchObject({
        status: "running",
        startedAt: row.startedAt,
        error: null,
      });
    } finally {
      gate.open(); // also when an assertion fails: no run left waiting at the gate
    }
    await holder;
    expect(await lockHolders(id)).toEqual([]);
    // The name was transaction-local: no pooled connection keeps it.
    const [named] = await t.db.$queryRaw<{ n: number }[]>`
      SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name LIKE 'arbor-export%'
      AND datname = current_database()`;
    expect(named?.n).toBe(0);
    // Run again (the resume path: every file is there already) and still complete and valid.
    await executeExport({ db: t.db, blobs }, id);
    expect(await t.db.export.findUniqueOrThrow({ where: { id } })).toMatchObject({ status: "succeeded" });
    expect((await verifyExport(await openDestination(destination))).ok).toBe(true);
  });

  it("stops a run whose lock's connection died, and leaves the row to whoever holds the lock next", async () => {
    const { id, destination } = await newExport();
    const gate = gated(blobs);
    const holder = executeExport({ db: t.db, blobs: gate.blobs }, id);
    holder.catch(() => {}); // awaited below
    try {
      await gate.arrived;
      const [held] = await lockHolders(id);
      expect(held).toBeDefined();
      // The lock's connection ends (what a network cut or the idle timeout does): the lock is free at once.
      await t.db.$queryRaw`SELECT pg_terminate_backend(${held?.pid}::int)`;
      for (let i = 0; (await lockHolders(id)).length > 0; i++) {
        if (i > 200) throw new Error("the terminated backend kept the lock");
        await sleep(25);
      }
      // Each heartbeat pings the lock's connection first, then stamps the row. A beat in flight at the
      // termination may have pinged before it, so wait for two new stamps: the second follows a failed ping.
      const stamp = async () => (await t.db.export.findUniqueOrThrow({ where: { id } })).heartbeatAt?.getTime();
      let last = await stamp();
      for (let beats = 0, i = 0; beats < 2; i++) {
        if (i > 2400) throw new Error("no heartbeat after the lock's connection died");
        await sleep(25);
        const now = await stamp();
        if (now !== last) [beats, last] = [beats + 1, now];
      }
    } finally {
      gate.open();
    }
    // Without the check it would write every file and export.json, unlocked.
    await expect(holder).rejects.toThrow(`export ${id} lost its lock`);
    expect(await t.db.export.findUniqueOrThrow({ where: { id } })).toMatchObject({ status: "running", error: null });
    await executeExport({ db: t.db, blobs }, id);
    expect(await t.db.export.findUniqueOrThrow({ where: { id } })).toMatchObject({ status: "succeeded" });
    expect((await verifyExport(await openDestination(destination))).ok).toBe(true);
  });

  it("lets go of the lock when a run fails, so the export can be run again", async () => {
    const { id, destination } = await newExport();
    const gate = gated(blobs);
    const failing = executeExport({ db: t.db, blobs: gate.blobs }, id);
    failing.catch(() => {});
    await gate.arrived;
    gate.fail(new Error("disk unplugged"));
    await expect(failing).rejects.toThrow("disk unplugged");
    expect(await t.db.export.findUniqueOrThrow({ where: { id } })).toMatchObject({
      status: "failed",
      error: "disk unplugged",
    });
    expect(await lockHolders(id)).toEqual([]);
    await executeExport({ db: t.db, blobs }, id);
    expect(await t.db.export.findUniqueOrThrow({ where: { id } })).toMatchObject({ status: "succeeded" });
    expect((await verifyExport(await openDestination(destination))).ok).toBe(true);
  });
});
