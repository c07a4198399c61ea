import { useTestDatabase } from "@arbor/db/testing";
import { InlineQueue, type JobDefinition, type JobQueue } from "@arbor/jobs";
import { beforeAll, describe, expect, it } from "vitest";
import { UseCaseError } from "../errors.ts";
import { type Actor, OPERATOR } from "../restrictions/viewer.ts";
import { failStaleFreezeRuns, staleFreezeRunMessage } from "../runs/stale-runs.ts";
import { createDatasetVersion } from "./create-dataset-version.ts";
import { CIFAR_WNIDS, ingestCifarSubset } from "./dataset-fixtures.ts";
import { executeFreezeRun } from "./execute-freeze-run.ts";
import { freezeDatasetVersion } from "./freeze-dataset-version.ts";
import { freezeRunJob } from "./freeze-run-job.ts";
import type { FreezeProgress } from "./freeze-version.ts";
import { getFreezeRun, listActiveFreezeRuns } from "./get-freeze-run.ts";
import { createFreezeRun, startFreezeRun } from "./start-freeze-run.ts";

const { airplane, automobile, bird, cat } = CIFAR_WNIDS;

/** A queue whose jobs wait for a worker that never comes: what a web app without a worker sees. */
class HeldQueue implements JobQueue {
  readonly kind = "inline";
  readonly sent: Array<{ name: string; data: unknown }> = [];
  async send<T>(job: JobDefinition<T>, data: T): Promise<string> {
    this.sent.push({ name: job.name, data });
    return String(this.sent.length);
  }
  async work(): Promise<void> {}
  async stop(): Promise<void> {}
}

describe("freeze runs (a freeze as a job, real PostgreSQL, real CIFAR-10 images)", () => {
  const t = useTestDatabase("arbor_wordnet");
  let researcher: Actor;
  beforeAll(async () => {
    await ingestCifarSubset(t.db, 30);
    researcher = await t.db.user.create({
      data: { email: "rita@example.org", passwordHash: "unused", roles: ["researcher"] },
      select: { id: true, roles: true },
    });
  }, 120_000);

  const definition = {
    name: "cifar-job",
    classes: { kind: "wnids" as const, wnids: [bird, airplane, automobile, cat] },
    seed: 11,
    splits: { mode: "fractions" as const, train: 0.6, val: 0.2, test: 0.2 },
  };
  const splitsOf = async (versionId: number) =>
    t.db.$queryRaw<{ image_id: number; class_index: number; split: string }[]>`
      SELECT image_id, class_index, split::text AS split FROM dataset_item WHERE version_id = ${versionId}
      ORDER BY image_id`;

  it("freezes in a worker with progress, to the same list as a freeze in the caller", async () => {
    const jobs = new InlineQueue();
    const phases: FreezeProgress[] = [];
    await jobs.work(freezeRunJob, async ({ runId }) => {
      await executeFreezeRun({ db: t.db }, runId, (p) => phases.push(p));
    });
    const queued = await startFreezeRun({ db: t.db, jobs }, definition, researcher);
    expect(queued).toMatchObject({ status: "queued", datasetName: "cifar-job", versionId: null });
    await jobs.idle();
    const run = await getFreezeRun(t.db, queued.id);
    expect(run).toMatchObject({ status: "succeeded", error: null, phase: "writing" });
    expect(run.versionId).not.toBeNull();
    expect(run.startedAt).not.toBeNull();
    expect(run.finishedAt).not.toBeNull();
    expect(phases.map((p) => p.phase).filter((p, i, all) => p !== all[i - 1])).toEqual([
      "resolving",
      "selecting",
      "near-duplicates",
      "assigning",
      "writing",
    ]);
    // The class walks report classes done of all: no class is over a cap (none to select in this process), and
    // 4 classes of ~30 images are assigned in one batch.
    expect(phases.filter((p) => p.phase === "selecting")).toEqual([{ phase: "selecting", processed: 0, total: 0 }]);
    expect(phases.filter((p) => p.phase === "assigning")).toEqual([{ phase: "assigning", processed: 0, total: 4 }]);
    const version = await t.db.datasetVersion.findUniqueOrThrow({ where: { id: run.versionId as number } });
    expect(version).toMatchObject({ number: 1, classCount: 4, createdById: researcher.id });

    const inCaller = await createDatasetVersion(t.db, { ...definition, name: "cifar-caller" }, OPERATOR);
    expect(inCaller.imageCount).toBe(version.imageCount);
    expect(await splitsOf(inCaller.id)).toEqual(await splitsOf(version.id));
    expect(await listActiveFreezeRuns(t.db)).toEqual([]);
  });

  it("answers at once with the run while no worker has taken it, and the run waits as queued", async () => {
    const jobs = new HeldQueue();
    const outcome = await freezeDatasetVersion({ db: t.db, jobs }, { ...definition, name: "held" }, researcher, 0);
    expect(outcome.done).toBe(false);
    if (outcome.done) return;
    expect(outcome.run.status).toBe("queued");
    expect(jobs.sent).toEqual([{ name: "freeze-run", data: { runId: outcome.run.id } }]);
    expect((await listActiveFreezeRuns(t.db)).map((r) => r.id)).toEqual([outcome.run.id]);
    const version = await executeFreezeRun({ db: t.db }, outcome.run.id);
    expect(version?.name).toBe("held");
    // Delivered again (a queue retry): nothing happens twice.
    expect(await executeFreezeRun({ db: t.db }, outcome.run.id)).toBeNull();
    expect(await t.db.datasetVersion.count({ where: { dataset: { name: "held" } } })).toBe(1);
  });

  it("waits for a worker's freeze and gives the version, or the refusal with its kind and detail", async () => {
    const jobs = new InlineQueue();
    await jobs.work(freezeRunJob, async ({ runId }) => {
      await executeFreezeRun({ db: t.db }, runId);
    });
    const done = await freezeDatasetVersion({ db: t.db, jobs }, { ...definition, name: "waited" }, researcher, 30_000);
    expect(done).toMatchObject({ done: true, version: { name: "waited", number: 1, classCount: 4 } });

    const MOTOR_VEHICLE = "n03791235"; // an ancestor of automobile: ILSVRC forbids both in one set
    const refused = freezeDatasetVersion(
      { db: t.db, jobs },
      { name: "conflicting", classes: { kind: "wnids", wnids: [automobile, MOTOR_VEHICLE] } },
      researcher,
      30_000,
    );
    await expect(refused).rejects.toBeInstanceOf(UseCaseError);
    await expect(refused).rejects.toMatchObject({ kind: "unprocessable", detail: { conflicts: [expect.anything()] } });
    const [failed] = await t.db.freezeRun.findMany({ where: { datasetName: "conflicting" } });
    expect(failed).toMatchObject({ status: "failed", errorKind: "unprocessable", versionId: null });
    expect(failed?.error).toMatch(/ancestors of other classes/);
    expect(await t.db.dataset.count({ where: { name: "conflicting" } })).toBe(0);
  });

  it("refuses a malformed definition and someone else's dataset before queueing anything", async () => {
    const before = await t.db.freezeRun.count();
    await expect(createFreezeRun(t.db, { name: "" } as never, researcher)).rejects.toMatchObject({ kind: "invalid" });
    await createDatasetVersion(t.db, { ...definition, name: "operators" }, OPERATOR);
    await expect(createFreezeRun(t.db, { ...definition, name: "operators" }, researcher)).rejects.toMatchObject({
      kind: "forbidden",
    });
    expect(await t.db.freezeRun.count()).toBe(before);
    await expect(getFreezeRun(t.db, 999_999)).rejects.toMatchObject({ kind: "not-found" });
  });

  it("marks a run whose worker died failed, with what to do, and never shows it running", async () => {
    const run = await createFreezeRun(t.db, { ...definition, name: "orphan" }, researcher);
    await t.db.$executeRaw`UPDATE freeze_run SET status = 'running', started_at = now() - interval '1 hour',
      heartbeat_at = now() - interval '10 minutes' WHERE id = ${run.id}`;
    const fresh = await createFreezeRun(t.db, { ...definition, name: "alive" }, researcher);
    await t.db.$executeRaw`UPDATE freeze_run SET status = 'running', heartbeat_at = now() WHERE id = ${fresh.id}`;
    expect(await failStaleFreezeRuns(t.db, { staleAfterSeconds: 60 })).toEqual([run.id]);
    expect(await getFreezeRun(t.db, run.id)).toMatchObject({ status: "failed", error: staleFreezeRunMessage(60) });
    expect((await getFreezeRun(t.db, fresh.id)).status).toBe("running");
  });
});
