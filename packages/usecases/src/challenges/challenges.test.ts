import { readFileSync } from "node:fs";
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { useTestDatabase } from "@arbor/db/testing";
import { InlineQueue } from "@arbor/jobs";
import { type BlobStore, LocalDiskStore } from "@arbor/storage";
import { beforeAll, describe, expect, it } from "vitest";
import { SUBMISSION_ATTEMPT_POLICY } from "../auth/rate-limit.ts";
import { createDatasetVersion } from "../datasets/create-dataset-version.ts";
import { CIFAR_WNIDS, ingestCifarSubset } from "../datasets/dataset-fixtures.ts";
import { UseCaseError } from "../errors.ts";
import { registerJobHandlers } from "../jobs/register-job-handlers.ts";
import type { Actor } from "../restrictions/viewer.ts";
import { watchStaleRuns } from "../runs/stale-runs.ts";
import { addPhase } from "./add-phase.ts";
import { createChallenge } from "./create-challenge.ts";
import { getLeaderboard } from "./get-leaderboard.ts";
import { joinChallenge } from "./join-challenge.ts";
import { scoreSubmission } from "./score-submission.ts";
import { scoreSubmissionJob } from "./score-submission-job.ts";
import { selectFinalSubmissions } from "./select-final-submissions.ts";
import { submitToPhase } from "./submit-to-phase.ts";
import { sweepStuckSubmissions } from "./sweep-stuck-submissions.ts";
import { kindOf, submission, TRUTH_CSV } from "./toy-challenge-fixtures.ts";

/** The real ILSVRC-2012 devkit files, beside the checkout (../shared/data, see its SOURCE.md). */
const META = fileURLToPath(new URL("../../../../../shared/data/imagenet-meta/", import.meta.url));
const readMeta = (name: string) => readFileSync(META + name, "utf8");

describe("challenges (real PostgreSQL)", () => {
  const t = useTestDatabase("arbor_wordnet");
  let blobs: BlobStore;
  let owner: Actor;
  let annie: Actor;
  const participants: Actor[] = [];
  let challengeId: number;
  const hour = 3_600_000;
  /** The scoring jobs the use-cases send: recorded, not run, so these tests score by hand (but the last). */
  const jobs = new InlineQueue();
  const sent: number[] = [];

  const user = async (email: string, roles: Actor["roles"]): Promise<Actor> =>
    t.db.user.create({ data: { email, passwordHash: "unused", roles: [...roles] }, select: { id: true, roles: true } });
  const csvPhase = async (name: string, extra: Record<string, unknown> = {}) =>
    addPhase(
      t.db,
      {
        challengeId,
        name,
        startsAt: new Date(Date.now() - hour),
        endsAt: new Date(Date.now() + 48 * hour),
        publicSeed: "seed",
        publicFraction: 0.5,
        truth: { kind: "upload", format: "csv", text: TRUTH_CSV },
        ...extra,
      },
      owner,
    );

  beforeAll(async () => {
    await jobs.work(scoreSubmissionJob, async ({ submissionId }) => {
      sent.push(submissionId);
    });
    blobs = new LocalDiskStore(path.join(await mkdtemp(path.join(tmpdir(), "arbor-challenges-")), "blobs"), {
      signingSecret: "test",
      publicBaseUrl: "http://x",
    });
    owner = await user("owner@challenges.test", ["researcher"]);
    annie = await user("annie@challenges.test", ["annotator"]);
    for (let i = 0; i < 3; i++) participants.push(await user(`p${i}@challenges.test`, ["annotator"]));
    ({ id: challengeId } = await createChallenge(t.db, { title: "Toy ILSVRC", description: "# Rules" }, owner));
    for (const p of participants) await joinChallenge(t.db, { challengeId, acceptRules: true }, p);
  }, 120_000);

  it("creates challenges for researchers and admins only, and signs participants up as teams of one", async () => {
    expect(await kindOf(createChallenge(t.db, { title: "x" }, annie))).toBe("forbidden");
    expect(await kindOf(joinChallenge(t.db, { challengeId, acceptRules: false as true }, annie))).toBe("invalid");
    const first = await joinChallenge(t.db, { challengeId, acceptRules: true }, annie);
    expect(first.teamName).toBe(`participant #${annie.id}`); // never the email: team names are public
    expect(await joinChallenge(t.db, { challengeId, acceptRules: true }, annie)).toEqual(first);
    expect(await t.db.challengeMember.count({ where: { teamId: first.teamId } })).toBe(1);
  });

  it("imports the real ILSVRC-2012 validation ground truth (50,000 images, 1000 classes) with its hierarchy", async () => {
    const added = await addPhase(
      t.db,
      {
        challengeId,
        name: "ilsvrc2012-val",
        startsAt: new Date(),
        endsAt: new Date(Date.now() + hour),
        truth: {
          kind: "upload",
          format: "devkit",
          text: readMeta("ILSVRC2012_validation_ground_truth.txt"),
          classList: readMeta("map_clsloc.txt"),
        },
        isA: readMeta("wordnet.is_a.txt"),
      },
      owner,
    );
    expect(added).toMatchObject({ images: 50_000, classes: 1000, restrictedImages: 0 });
    expect(added.hierarchyFingerprint).toMatch(/^sha256:[0-9a-f]{64}$/);
    const phase = await t.db.challengePhase.findUniqueOrThrow({ where: { id: added.id } });
    expect(phase.classWnids[0]).toBe("n02119789"); // ILSVRC2012_ID 1: kit fox, not the sorted-wnid order
    expect(phase.truthPositional).toBe(true);
    expect(await t.db.challengeTruth.count({ where: { phaseId: added.id } })).toBe(50_000);
    const first = await t.db.challengeTruth.findUniqueOrThrow({
      where: { phaseId_revision_imageKey: { phaseId: added.id, revision: 1, imageKey: "1" } },
    });
    expect(first).toMatchObject({ position: 1, classIndex: 490 }); // line 1 of the devkit file
    // A devkit truth without its class list, or a malformed one, is refused with the parser's problems.
    const bad = { ...phase, challengeId, name: "bad", startsAt: new Date(), endsAt: new Date(Date.now() + hour) };
    expect(
      await kindOf(addPhase(t.db, { ...bad, truth: { kind: "upload", format: "devkit", text: "1\n" } }, owner)),
    ).toBe("invalid");
    await expect(
      addPhase(
        t.db,
        { ...bad, truth: { kind: "upload", format: "devkit", text: "1\nx\n", classList: readMeta("map_clsloc.txt") } },
        owner,
      ),
    ).rejects.toThrow(/line 2: expected one class index 1\.\.1000/);
  }, 120_000);

  it("makes a phase from a version's test split, copying its truth and restricting the split", async () => {
    await ingestCifarSubset(t.db, 5);
    const version = await createDatasetVersion(
      t.db,
      {
        name: "challenge-src",
        classes: { kind: "wnids", wnids: [CIFAR_WNIDS.cat, CIFAR_WNIDS.bird] },
        splits: { mode: "counts", val: 1, test: 2 },
        seed: 1,
      },
      owner,
    );
    const test = await t.db.datasetItem.findMany({ where: { versionId: version.id, split: "test" } });
    expect(test.length).toBeGreaterThan(0);
    const phase = { challengeId, startsAt: new Date(), endsAt: new Date(Date.now() + hour) };
    const truth = { kind: "version" as const, versionId: version.id, split: "test" as const };
    expect(await kindOf(addPhase(t.db, { ...phase, name: "v", truth }, participants[0] as Actor))).toBe("forbidden");
    const added = await addPhase(t.db, { ...phase, name: "from-version", truth }, owner);
    expect(added).toMatchObject({ images: test.length, classes: 2, restrictedImages: test.length });
    const restricted = await t.db.imageRestriction.findMany({ where: { datasetVersionId: version.id } });
    expect(new Set(restricted.map((r) => `${r.split}/${r.reason}`))).toEqual(new Set(["test/challenge"]));
    const rows = await t.db.challengeTruth.findMany({ where: { phaseId: added.id } });
    expect(rows.map((r) => r.imageKey).sort()).toEqual(test.map((i) => String(i.imageId)).sort());
    for (const r of rows)
      expect(r.classIndex).toBe((test.find((i) => String(i.imageId) === r.imageKey)?.classIndex ?? -9) + 1);
  }, 180_000);

  it("refuses a malformed file precisely without using quota, and answers a repeated file with the earlier one", async () => {
    const { id: phaseId } = await csvPhase("quota-basics", { dailyQuota: 2, failureDailyCap: 2 });
    const p0 = participants[0] as Actor;
    const svc = { db: t.db, blobs, jobs };
    sent.length = 0;
    await expect(
      submitToPhase(svc, { phaseId, format: "csv", content: "img0,n00000011\nimg0,n00000012\n" }, p0),
    ).rejects.toThrow(/line 2: expected one line per image, found "img0" again/);
    const a = await submitToPhase(svc, { phaseId, format: "csv", content: submission(20) }, p0);
    expect(a).toMatchObject({ status: "queued", duplicate: false, remainingToday: 1 });
    const again = await submitToPhase(
      svc,
      { phaseId, format: "csv", content: `${submission(20).replace(/\n/g, "\r\n")}\r\n` },
      p0,
    );
    expect(again).toMatchObject({ id: a.id, duplicate: true, remainingToday: 1 });
    const b = await submitToPhase(svc, { phaseId, format: "csv", content: submission(10) }, p0);
    expect(b).toMatchObject({ remainingToday: 0 });
    expect(b.nextSlotAt).toMatch(/T00:00:00\.000Z$/);
    const refused = await submitToPhase(svc, { phaseId, format: "csv", content: submission(5) }, p0).catch((e) => e);
    expect(refused).toBeInstanceOf(UseCaseError);
    expect(refused.kind).toBe("rate-limited");
    expect(refused.message).toMatch(/next slot opens at .*T00:00:00\.000Z/);
    // The failure cap (2): one more malformed file reaches it; after that even a good file waits for tomorrow.
    expect(await kindOf(submitToPhase(svc, { phaseId, format: "csv", content: "nope\n" }, p0))).toBe("invalid");
    expect(await kindOf(submitToPhase(svc, { phaseId, format: "csv", content: submission(3) }, p0))).toBe(
      "rate-limited",
    );
    expect(await t.db.challengeSubmission.count({ where: { phaseId, counted: true } })).toBe(2);
    // Someone not signed up may not submit; after the end nobody may (the phase has no post-challenge board).
    expect(await kindOf(submitToPhase(svc, { phaseId, format: "csv", content: submission(1) }, owner))).toBe(
      "forbidden",
    );
    await t.db.challengePhase.update({ where: { id: phaseId }, data: { postChallenge: false } });
    const late = await submitToPhase(
      svc,
      { phaseId, format: "csv", content: submission(2) },
      participants[1] as Actor,
      {
        now: new Date(Date.now() + 49 * hour),
      },
    ).catch((e) => e);
    expect(late.kind).toBe("conflict");
    expect(late.message).toMatch(/ended at .*; it takes no more submissions/);
    // One scoring job per stored submission: none for the repeated file or the refused ones.
    expect(sent).toEqual([a.id, b.id]);
  });

  it("accepts exactly the quota of 50 concurrent submissions", async () => {
    const { id: phaseId } = await csvPhase("concurrent", { dailyQuota: 5, totalQuota: 10 });
    const p1 = participants[1] as Actor;
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        kindOf(
          submitToPhase(
            { db: t.db, blobs, jobs },
            { phaseId, format: "csv", content: submission(i % 20, Math.floor(i / 20) + 1) },
            p1,
          ),
        ),
      ),
    );
    expect(results.filter((r) => r === "ok")).toHaveLength(5);
    expect(results.filter((r) => r === "rate-limited")).toHaveLength(45);
    expect(await t.db.challengeSubmission.count({ where: { phaseId } })).toBe(5);
  }, 120_000);

  it("limits submission attempts per user and phase, duplicates included, before parsing anything", async () => {
    const { id: phaseId } = await csvPhase("attempts", { dailyQuota: 10 });
    const p0 = participants[0] as Actor;
    const svc = { db: t.db, blobs, jobs };
    const first = await submitToPhase(svc, { phaseId, format: "csv", content: submission(3) }, p0);
    for (let i = 1; i < SUBMISSION_ATTEMPT_POLICY.limit; i++) {
      const again = await submitToPhase(svc, { phaseId, format: "csv", content: submission(3) }, p0);
      expect(again).toMatchObject({ id: first.id, duplicate: true });
    }
    const refused = await submitToPhase(svc, { phaseId, format: "csv", content: submission(4) }, p0).catch((e) => e);
    expect(refused).toMatchObject({ kind: "rate-limited", retryAfterSeconds: expect.any(Number) });
    expect(refused.message).toMatch(/too many submission attempts: at most 60 every 10 minutes/);
    // Another participant, or the same one in another phase, is not held up.
    expect(
      await kindOf(submitToPhase(svc, { phaseId, format: "csv", content: submission(4) }, participants[1] as Actor)),
    ).toBe("ok");
  });

  it("scores with core, shows public scores only while running and ranks the finals by private score after", async () => {
    const { id: phaseId } = await csvPhase("scoring", { dailyQuota: 10 });
    const svc = { db: t.db, blobs, jobs };
    const [p0, p1, p2] = participants as [Actor, Actor, Actor];
    const s0 = await submitToPhase(svc, { phaseId, format: "csv", content: submission(20) }, p0);
    const s0b = await submitToPhase(svc, { phaseId, format: "csv", content: submission(0) }, p0);
    const s1 = await submitToPhase(svc, { phaseId, format: "csv", content: submission(10) }, p1);
    const s2 = await submitToPhase(svc, { phaseId, format: "csv", content: submission(10, 1) }, p2);
    for (const s of [s0, s0b, s1, s2]) expect((await scoreSubmission(svc, s.id)).status).toBe("scored");
    const row = await t.db.challengeSubmission.findUniqueOrThrow({ where: { id: s0.id } });
    expect(row).toMatchObject({ publicTop1: 0, privateTop1: 0, truthRevision: 1 });
    const wrong = await t.db.challengeSubmission.findUniqueOrThrow({ where: { id: s0b.id } });
    expect(wrong).toMatchObject({ publicTop1: 1, privateTop5: 1 });
    // Scored again: nothing changes (only a queued submission is claimed).
    expect((await scoreSubmission(svc, s0.id)).status).toBe("scored");

    const running = await getLeaderboard(t.db, phaseId);
    expect(running).toMatchObject({ scope: "public", ended: false });
    expect(running.entries.map((e) => [e.rank, e.submissionId])).toEqual([
      [1, s0.id],
      [2, s1.id],
      [2, s2.id], // equal scores share a rank; the earlier submission first
    ]);
    const s1Row = await t.db.challengeSubmission.findUniqueOrThrow({ where: { id: s1.id } });
    expect(s1Row.publicTop5).not.toBe(s1Row.privateTop5); // so the check below can fail
    // No value of the board is the private score. (A substring test of the JSON failed whenever a timestamp's
    // milliseconds held "0.4", as in "…:50.408Z".)
    expect(leafValues(running)).not.toContain(s1Row.privateTop5);
    expect(leafValues(running)).not.toContain(String(s1Row.privateTop5));
    expect(JSON.stringify(running)).not.toMatch(/private/i);

    // p0 chooses its worst file as final: after the end, that decides its private rank.
    expect(await kindOf(selectFinalSubmissions(t.db, { phaseId, submissionIds: [s1.id] }, p0))).toBe("invalid");
    await selectFinalSubmissions(t.db, { phaseId, submissionIds: [s0b.id] }, p0);
    const after = await getLeaderboard(t.db, phaseId, { now: new Date(Date.now() + 49 * hour) });
    expect(after).toMatchObject({ scope: "private", ended: true });
    expect(after.entries.map((e) => e.submissionId)).toEqual([s1.id, s2.id, s0b.id]);
    expect(after.entries.map((e) => e.rank)).toEqual([1, 1, 3]);
    expect(after.entries[0]?.scores.top1).toBe(s1Row.privateTop1);
  });

  it("hides a hidden-until-end leaderboard while the phase runs", async () => {
    const { id: phaseId } = await csvPhase("hidden", { leaderboard: "hidden_until_end" });
    const s = await submitToPhase(
      { db: t.db, blobs, jobs },
      { phaseId, format: "csv", content: submission(7) },
      participants[2] as Actor,
    );
    await scoreSubmission({ db: t.db, blobs }, s.id);
    expect(await getLeaderboard(t.db, phaseId)).toMatchObject({ hidden: true, entries: [] });
    const after = await getLeaderboard(t.db, phaseId, { now: new Date(Date.now() + 49 * hour) });
    expect(after.entries.map((e) => e.submissionId)).toEqual([s.id]);
  });

  it("fails a submission whose scoring throws, and sweeps stuck ones", async () => {
    const { id: phaseId } = await csvPhase("watchdog", { dailyQuota: 10 });
    const svc = { db: t.db, blobs, jobs };
    const p2 = participants[2] as Actor;
    const lost = await submitToPhase(svc, { phaseId, format: "csv", content: submission(4) }, p2);
    await blobs.delete(
      `challenges/phase-${phaseId}/team-${(await t.db.challengeSubmission.findUniqueOrThrow({ where: { id: lost.id } })).teamId}/${lost.sha256}.txt`,
    );
    const failed = await scoreSubmission(svc, lost.id);
    expect(failed.status).toBe("failed");
    expect(failed.failureReason).toMatch(/^scoring failed: /);

    const stuck = await submitToPhase(svc, { phaseId, format: "csv", content: submission(5) }, p2);
    const old = await submitToPhase(svc, { phaseId, format: "csv", content: submission(6) }, p2);
    // Queued half an hour ago and never picked up: its job was lost (a send that failed after the commit).
    const orphan = await submitToPhase(svc, { phaseId, format: "csv", content: submission(7) }, p2);
    const now = new Date();
    await t.db.challengeSubmission.update({
      where: { id: orphan.id },
      data: { updatedAt: new Date(now.getTime() - 30 * 60_000) },
    });
    await t.db.challengeSubmission.update({
      where: { id: stuck.id },
      data: { status: "scoring", updatedAt: new Date(now.getTime() - 30 * 60_000) },
    });
    await t.db.challengeSubmission.update({
      where: { id: old.id },
      data: { createdAt: new Date(now.getTime() - 2 * 24 * hour), queuedAt: new Date(now.getTime() - 2 * 24 * hour) },
    });
    // Made two days ago, but queued again just now (a truth revision re-scores it): new work, not given up on.
    const rescored = await submitToPhase(svc, { phaseId, format: "csv", content: submission(8) }, p2);
    await t.db.challengeSubmission.update({
      where: { id: rescored.id },
      data: { createdAt: new Date(now.getTime() - 2 * 24 * hour) },
    });
    sent.length = 0;
    const sweep = await sweepStuckSubmissions({ db: t.db, jobs }, { stuckMinutes: 15, now });
    expect(sweep).toEqual({ requeued: [stuck.id, orphan.id], failed: [old.id] });
    expect(sent).toEqual([stuck.id, orphan.id]); // their scoring jobs are sent again
    expect((await t.db.challengeSubmission.findUniqueOrThrow({ where: { id: old.id } })).failureReason).toMatch(
      /not scored within/,
    );
    expect((await scoreSubmission(svc, stuck.id)).status).toBe("scored");
  });

  it("scores a submission by itself through the job queue, and scores again one whose scorer died", async () => {
    const { id: phaseId } = await csvPhase("automatic", { dailyQuota: 10 });
    const p1 = participants[1] as Actor;
    // A worker's queue: every job kind has its handler, as in `arbor worker`.
    const worker = new InlineQueue();
    const services = { db: t.db, blobs, jobs: worker };
    await registerJobHandlers(services);
    const s = await submitToPhase(services, { phaseId, format: "csv", content: submission(20) }, p1);
    expect(s.status).toBe("queued");
    await worker.idle();
    expect(await t.db.challengeSubmission.findUniqueOrThrow({ where: { id: s.id } })).toMatchObject({
      status: "scored",
      publicTop1: 0,
      privateTop1: 0,
      publicTop5: 0,
      truthRevision: 1,
    });

    // Its scorer died: the row stays `scoring` (submitted where nothing scores it, then claimed and abandoned).
    const dead = await submitToPhase({ db: t.db, blobs, jobs }, { phaseId, format: "csv", content: submission(0) }, p1);
    await t.db.challengeSubmission.update({
      where: { id: dead.id },
      data: { status: "scoring", updatedAt: new Date(Date.now() - 30 * 60_000) },
    });
    // The worker's sweep (its first run is awaited) queues it again and re-sends its job, which scores it.
    const requeued: number[] = [];
    const watcher = await watchStaleRuns(services, {
      everyMs: hour,
      onSwept: (sweep) => requeued.push(...sweep.submissions.requeued),
    });
    watcher.stop();
    expect(requeued).toContain(dead.id);
    await worker.idle();
    expect(await t.db.challengeSubmission.findUniqueOrThrow({ where: { id: dead.id } })).toMatchObject({
      status: "scored",
      publicTop1: 1,
      privateTop1: 1,
    });
  });
});

/** Every leaf value of a JSON-like value (an object's or array's values, recursively). */
function leafValues(value: unknown): unknown[] {
  return value !== null && typeof value === "object" ? Object.values(value).flatMap(leafValues) : [value];
}
