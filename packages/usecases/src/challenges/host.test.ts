import { mkdtemp, readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { useTestDatabase } from "@arbor/db/testing";
import { InlineQueue } from "@arbor/jobs";
import type { BlobStore } from "@arbor/storage";
import { beforeAll, describe, expect, it } from "vitest";
import { createDatasetVersion } from "../datasets/create-dataset-version.ts";
import { CIFAR_WNIDS, ingestCifarSubset } from "../datasets/dataset-fixtures.ts";
import { createExport } from "../exports/create-export.ts";
import { executeExport } from "../exports/execute-export.ts";
import { type Actor, OPERATOR } from "../restrictions/viewer.ts";
import { addPhase } from "./add-phase.ts";
import { banFromChallenge, unbanFromChallenge } from "./ban-from-challenge.ts";
import { createChallenge } from "./create-challenge.ts";
import { flagSubmission } from "./flag-submission.ts";
import { getLeaderboard, leaderboardCsv } from "./get-leaderboard.ts";
import { getScoreHistory } from "./get-score-history.ts";
import { getSubmissionBreakdown } from "./get-submission-breakdown.ts";
import { joinChallenge } from "./join-challenge.ts";
import { listPhaseSubmissions } from "./list-phase-submissions.ts";
import { registerBaseline } from "./register-baseline.ts";
import { releasePhase } from "./release-phase.ts";
import { reviseTruth } from "./revise-truth.ts";
import { scoreSubmission } from "./score-submission.ts";
import { scoreSubmissionJob } from "./score-submission-job.ts";
import { submitToPhase } from "./submit-to-phase.ts";
import { kindOf, submission, truthCsv, WNIDS } from "./toy-challenge-fixtures.ts";
import { updateChallenge } from "./update-challenge.ts";

const hour = 3_600_000;
const later = () => new Date(Date.now() + 49 * hour);

describe("challenge hosting (real PostgreSQL)", () => {
  const t = useTestDatabase("arbor_wordnet");
  let blobs: BlobStore;
  let owner: Actor;
  let mallory: Actor;
  const people: Actor[] = [];
  let challengeId: number;
  const jobs = new InlineQueue();
  /** Scoring jobs sent: recorded, not run; the tests score by hand. */
  const sent: number[] = [];
  const svc = () => ({ db: t.db, blobs, jobs });

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
        dailyQuota: 20,
        publicSeed: "seed",
        publicFraction: 0.5,
        truth: { kind: "upload", format: "csv", text: truthCsv() },
        ...extra,
      },
      owner,
    );
  const submit = async (phaseId: number, who: Actor, content: string, now?: Date) => {
    const s = await submitToPhase(svc(), { phaseId, format: "csv", content }, who, now ? { now } : {});
    expect((await scoreSubmission(svc(), s.id)).status).toBe("scored");
    return s.id;
  };
  const p = (i: number) => people[i] as Actor;

  beforeAll(async () => {
    await jobs.work(scoreSubmissionJob, async ({ submissionId }) => {
      sent.push(submissionId);
    });
    ({ blobs } = await ingestCifarSubset(t.db, 5));
    owner = await user("host@host.test", ["researcher"]);
    mallory = await user("mallory@host.test", ["researcher"]);
    for (let i = 0; i < 5; i++) people.push(await user(`p${i}@host.test`, ["participant"]));
    ({ id: challengeId } = await createChallenge(t.db, { title: "Hosted", teamSizeLimit: 2 }, owner));
    for (const who of people.slice(0, 4)) await joinChallenge(t.db, { challengeId, acceptRules: true }, who);
  }, 120_000);

  it("updates a challenge for its host only, never below its largest team", async () => {
    expect(await kindOf(updateChallenge(t.db, challengeId, { title: "mine" }, mallory))).toBe("forbidden");
    expect(await kindOf(updateChallenge(t.db, challengeId, { title: "mine" }, p(0)))).toBe("forbidden");
    expect(await kindOf(updateChallenge(t.db, 999_999, { title: "x" }, owner))).toBe("not-found");
    expect(await kindOf(updateChallenge(t.db, challengeId, { title: "" }, owner))).toBe("invalid");
    expect(await kindOf(updateChallenge(t.db, challengeId, { status: "paused" as "open" }, owner))).toBe("invalid");
    const mine = await joinChallenge(t.db, { challengeId, acceptRules: true }, p(4));
    const pair = await t.db.challengeMember.findUniqueOrThrow({
      where: { challengeId_userId: { challengeId, userId: p(0).id as number } },
    });
    // p4 moves into p0's team (a team of two), so the limit may not go back to one.
    await t.db.challengeMember.update({
      where: { teamId_userId: { teamId: mine.teamId, userId: p(4).id as number } },
      data: { teamId: pair.teamId },
    });
    const refused = await updateChallenge(t.db, challengeId, { teamSizeLimit: 1 }, owner).catch((e) => e);
    expect(refused.kind).toBe("conflict");
    expect(refused.message).toMatch(/has 2 members/);
    const updated = await updateChallenge(
      t.db,
      challengeId,
      { title: "Hosted 2", openSignUp: false, status: "closed", teamSizeLimit: 3 },
      owner,
    );
    expect(updated).toMatchObject({ title: "Hosted 2", openSignUp: false, status: "closed", teamSizeLimit: 3 });
    await updateChallenge(t.db, challengeId, { openSignUp: true, status: "open" }, owner);
    expect(await t.db.challenge.findUniqueOrThrow({ where: { id: challengeId } })).toMatchObject({
      title: "Hosted 2",
      status: "open",
      openSignUp: true,
    });
  });

  it("reserves a version phase's split from other versions and exports until released, and publishes only safe exports", async () => {
    const definition = {
      name: "reserve-src",
      classes: { kind: "wnids" as const, wnids: [CIFAR_WNIDS.cat, CIFAR_WNIDS.bird] },
      splits: { mode: "counts" as const, val: 1, test: 2 },
      seed: 1,
    };
    const a = await createDatasetVersion(t.db, definition, owner);
    // Made before the phase: it holds the images that become test images.
    const other = await createDatasetVersion(t.db, { ...definition, name: "reserve-other" }, owner);
    const items = (versionId: number) => t.db.datasetItem.findMany({ where: { versionId } });
    const test = (await items(a.id)).filter((i) => i.split === "test").map((i) => i.imageId);
    expect(test.length).toBe(4);
    const published = await createExport(t.db, {
      versionId: other.id,
      options: { format: "jsonl" },
      destination: await mkdtemp(path.join(tmpdir(), "arbor-host-export-")),
      createdById: owner.id,
    });
    await t.db.export.update({ where: { id: published.id }, data: { status: "succeeded" } });
    expect((await updateChallenge(t.db, challengeId, { exportIds: [published.id] }, owner)).exportIds).toEqual([
      published.id,
    ]);

    const { id: phaseId } = await addPhase(
      t.db,
      {
        challengeId,
        name: "from-version",
        startsAt: new Date(Date.now() - hour),
        endsAt: new Date(Date.now() + 48 * hour),
        truth: { kind: "version", versionId: a.id, split: "test" },
      },
      owner,
    );
    // A version made afterwards, even by an admin, leaves the reserved images out; the rest is as before.
    const b = await createDatasetVersion(t.db, definition, OPERATOR);
    const bIds = new Set((await items(b.id)).map((i) => i.imageId));
    expect(test.filter((id) => bIds.has(id))).toEqual([]);
    expect(bIds.size).toBe(a.imageCount - test.length);

    // An export of another version written now leaves them out, and its counts say so.
    const exportOf = async (versionId: number, options: { withholdTestLabels?: boolean } = {}) => {
      const dir = await mkdtemp(path.join(tmpdir(), "arbor-host-export-"));
      const { id } = await createExport(t.db, {
        versionId,
        options: { format: "jsonl", ...options },
        destination: dir,
        createdById: owner.id,
      });
      await executeExport({ db: t.db, blobs }, id);
      const info = JSON.parse(await readFile(path.join(dir, "export.json"), "utf8"));
      const shas: string[] = [];
      for (const split of ["train", "val", "test"]) {
        const lines = (await readFile(path.join(dir, `${split}.jsonl`), "utf8")).split("\n").filter(Boolean);
        shas.push(...lines.map((l) => JSON.parse(l).sha256));
      }
      const images = await t.db.image.findMany({ where: { sha256: { in: shas } }, select: { id: true } });
      const counts = info.counts as { train: number; val: number; test: number };
      return { id, ids: new Set(images.map((i) => i.id)), total: counts.train + counts.val + counts.test };
    };
    const during = await exportOf(other.id);
    expect(test.filter((id) => during.ids.has(id))).toEqual([]);
    expect(during.total).toBe(other.imageCount - test.length);
    expect(during.ids.size).toBe(during.total);
    // The phase's own version is exported whole (its test split withheld by the option).
    const own = await exportOf(a.id, { withholdTestLabels: true });
    expect(own.total).toBe(a.imageCount);

    // Publishing: only a finished export that gives no label of a phase's test images.
    expect(await kindOf(updateChallenge(t.db, challengeId, { exportIds: [999_999] }, owner))).toBe("invalid");
    const queued = await createExport(t.db, {
      versionId: a.id,
      options: { format: "imagefolder", withholdTestLabels: true },
      destination: null,
      createdById: owner.id,
    });
    expect(await kindOf(updateChallenge(t.db, challengeId, { exportIds: [queued.id] }, owner))).toBe("conflict");
    const labelled = await createExport(t.db, {
      versionId: a.id,
      options: { format: "imagefolder" },
      destination: null,
      createdById: owner.id,
    });
    await t.db.export.update({ where: { id: labelled.id }, data: { status: "succeeded" } });
    const leak = await updateChallenge(t.db, challengeId, { exportIds: [labelled.id] }, owner).catch((e) => e);
    expect(leak.kind).toBe("conflict");
    expect(leak.message).toMatch(/labels of test images of phase from-version/);
    // The older version holds the test images in its train/val splits: refused too, even without them written.
    expect(await kindOf(updateChallenge(t.db, challengeId, { exportIds: [during.id] }, owner))).toBe("conflict");
    // A host may not publish labels withheld from them: mallory's own challenge, the host's version.
    const { id: hers } = await createChallenge(t.db, { title: "Mallory's" }, mallory);
    expect(await kindOf(updateChallenge(t.db, hers, { exportIds: [labelled.id] }, mallory))).toBe("forbidden");
    const ok = await updateChallenge(t.db, challengeId, { exportIds: [own.id, own.id] }, owner);
    expect(ok.exportIds).toEqual([own.id]);
    expect(await t.db.challengeExport.findMany({ where: { challengeId } })).toEqual([
      { challengeId, exportId: own.id },
    ]);

    // Release: the host only, after the end; the labels stay restricted, the reservation lifts.
    expect(await kindOf(releasePhase(t.db, phaseId, mallory, { now: later() }))).toBe("forbidden");
    const early = await releasePhase(t.db, phaseId, owner).catch((e) => e);
    expect(early.kind).toBe("conflict");
    expect(early.message).toMatch(/can be released only after it ends/);
    const released = await releasePhase(t.db, phaseId, owner, { now: later() });
    expect(released).toMatchObject({ phaseId, images: 4 });
    expect(await releasePhase(t.db, phaseId, owner, { now: new Date(later().getTime() + hour) })).toEqual(released);
    expect(
      await t.db.imageRestriction.count({ where: { datasetVersionId: a.id, reason: "challenge", split: "test" } }),
    ).toBe(4);
    const c = await createDatasetVersion(t.db, definition, owner);
    const cIds = new Set((await items(c.id)).map((i) => i.imageId));
    expect(test.filter((id) => cIds.has(id))).toEqual(test);
    const after = await exportOf(other.id);
    expect(after.total).toBe(other.imageCount);
    // Released or not, the phase's test labels are never published.
    expect(await kindOf(updateChallenge(t.db, challengeId, { exportIds: [after.id] }, owner))).toBe("conflict");
  }, 180_000);

  it("revises the ground truth: the same images and classes, every scored submission scored again", async () => {
    const { id: phaseId } = await csvPhase("revised");
    const s1 = await submit(phaseId, p(1), submission(20));
    const s2 = await submit(phaseId, p(2), submission(10));
    const before = await getLeaderboard(t.db, phaseId);
    expect(before).toMatchObject({ revision: 1, rescoring: 0 });
    expect(before.entries.map((e) => [e.submissionId, e.scores.top1])).toEqual([
      [s1, 0],
      [s2, expect.any(Number)],
    ]);
    // Images 10..19 were labelled wrong: the correction gives them the next class, which s2 guessed.
    const corrected = truthCsv((i) => WNIDS[i < 10 ? i % 4 : (i + 1) % 4] as string);
    const revise = (input: Parameters<typeof reviseTruth>[2], who: Actor = owner) =>
      reviseTruth(svc(), phaseId, input, who);
    expect(await kindOf(revise({ text: corrected, format: "csv" }, mallory))).toBe("forbidden");
    expect(await kindOf(revise({ text: corrected, format: "csv" }, p(1)))).toBe("forbidden");
    expect(await kindOf(revise({ text: corrected, format: "devkit" }))).toBe("invalid");
    const withoutLast = corrected
      .split("\n")
      .filter((line) => !line.startsWith("img19,"))
      .join("\n");
    const missing = await revise({ text: withoutLast, format: "csv" }).catch((e) => e);
    expect(missing.kind).toBe("invalid");
    expect(missing.message).toMatch(/image img19 of the current ground truth is missing/);
    const extra = await revise({ text: `${corrected}img99,n00000011\n`, format: "csv" }).catch((e) => e);
    expect(extra.message).toMatch(/image img99 is not in the phase's ground truth/);
    const unknown = await revise({ text: corrected.replace("img3,n00000014", "img3,n00000099"), format: "csv" }).catch(
      (e) => e,
    );
    expect(unknown.kind).toBe("invalid");
    expect(unknown.message).toMatch(/^text: [\s\S]*line 5: expected a wnid of the class list, found "n00000099"/);
    const classList = (order: string[]) => `${order.map((w, i) => `${w} ${i + 1} c${i}`).join("\n")}\n`;
    const reordered = await revise({
      text: corrected,
      format: "csv",
      classList: classList([...WNIDS].reverse()),
    }).catch((e) => e);
    expect(reordered.kind).toBe("invalid");
    expect(reordered.message).toMatch(/^classList: a revision keeps the phase's class list/);
    expect(await t.db.challengePhase.findUniqueOrThrow({ where: { id: phaseId } })).toMatchObject({ truthRevision: 1 });

    sent.length = 0;
    // The phase's own class list may come along.
    expect(await revise({ text: corrected, format: "csv", classList: classList(WNIDS) })).toEqual({
      revision: 2,
      requeued: 2,
    });
    expect(sent.sort((x, y) => x - y)).toEqual([s1, s2]);
    expect(await t.db.challengeTruth.count({ where: { phaseId, revision: 2 } })).toBe(20);
    expect(await t.db.challengeTruth.count({ where: { phaseId, revision: 1 } })).toBe(20);
    // Until they are scored again, the board is empty and says so.
    expect(await getLeaderboard(t.db, phaseId)).toMatchObject({ revision: 2, rescoring: 2, entries: [] });
    for (const id of [s1, s2]) expect((await scoreSubmission(svc(), id)).status).toBe("scored");
    const row = await t.db.challengeSubmission.findUniqueOrThrow({ where: { id: s1 } });
    expect(row.truthRevision).toBe(2);
    const board = await getLeaderboard(t.db, phaseId);
    expect(board).toMatchObject({ revision: 2, rescoring: 0 });
    // s2 is now right everywhere, s1 wrong on the corrected images: the order turns.
    expect(board.entries.map((e) => [e.submissionId, e.rank])).toEqual([
      [s2, 1],
      [s1, 2],
    ]);
    expect(board.entries[0]?.scores).toMatchObject({ top1: 0, top5: 0 });
    expect(board.entries[1]?.scores.top1).toBeGreaterThan(0);
  });

  it("revises a version phase's truth keyed by the split's dataset image ids", async () => {
    const phase = await t.db.challengePhase.findFirstOrThrow({ where: { challengeId, name: "from-version" } });
    const rows = await t.db.challengeTruth.findMany({ where: { phaseId: phase.id, revision: 1 } });
    const wnid = (r: { classIndex: number }) => phase.classWnids[r.classIndex - 1] as string;
    const swapped = rows.map((r, i) => `${r.imageKey},${i === 0 ? phase.classWnids[r.classIndex % 2] : wnid(r)}`);
    const done = await reviseTruth(svc(), phase.id, { text: `${swapped.join("\n")}\n`, format: "csv" }, owner);
    expect(done).toEqual({ revision: 2, requeued: 0 });
    const revised = await t.db.challengeTruth.findUniqueOrThrow({
      where: { phaseId_revision_imageKey: { phaseId: phase.id, revision: 2, imageKey: rows[0]?.imageKey as string } },
    });
    expect(revised.classIndex).not.toBe(rows[0]?.classIndex);
  });

  it("shows baselines unranked, and keeps participants out of their teams and names", async () => {
    const { id: phaseId } = await csvPhase("baselines", { dailyQuota: 1, totalQuota: 1 });
    const model = await t.db.model.create({ data: { name: "resnet-toy", architecture: "resnet18", classes: [] } });
    const register = (content: string, who: Actor = owner, modelId = model.id) =>
      registerBaseline(svc(), phaseId, { modelId, format: "csv", content }, who);
    expect(await kindOf(register(submission(20), mallory))).toBe("forbidden");
    expect(await kindOf(register(submission(20), p(0)))).toBe("forbidden");
    const noModel = await register(submission(20), owner, 999_999).catch((e) => e);
    expect(noModel.kind).toBe("invalid");
    expect(noModel.message).toMatch(/no model 999999/);
    const bad = await register("img0,n00000011\nimg0,n00000012\n").catch((e) => e);
    expect(bad.kind).toBe("invalid");
    expect(bad.message).toMatch(/line 2: expected one line per image, found "img0" again/);

    sent.length = 0;
    const base = await register(submission(20));
    expect(base).toMatchObject({ status: "queued", duplicate: false, team: "baseline: resnet-toy" });
    expect(sent).toEqual([base.id]);
    expect(await register(submission(20))).toMatchObject({ id: base.id, duplicate: true });
    expect(await t.db.challengeTeam.findUniqueOrThrow({ where: { id: base.teamId } })).toMatchObject({
      baseline: true,
    });
    expect(await t.db.challengeMember.count({ where: { teamId: base.teamId } })).toBe(0);
    expect(await t.db.challengeSubmission.findUniqueOrThrow({ where: { id: base.id } })).toMatchObject({
      baselineModelId: model.id,
      late: false,
    });
    await scoreSubmission(svc(), base.id);
    const a = await submit(phaseId, p(1), submission(15));
    const b = await submit(phaseId, p(2), submission(10));
    const board = await getLeaderboard(t.db, phaseId);
    expect(board.entries.map((e) => [e.submissionId, e.rank, e.baseline])).toEqual([
      [base.id, null, true],
      [a, 1, false],
      [b, 2, false],
    ]);
    // No quota: a second baseline file is taken where a participant's second file would not be.
    expect(await kindOf(submitToPhase(svc(), { phaseId, format: "csv", content: submission(3) }, p(1)))).toBe(
      "conflict",
    );
    expect((await register(submission(19))).duplicate).toBe(false);

    const baselineTeam = await t.db.challengeTeam.findUniqueOrThrow({ where: { id: base.teamId } });
    expect(
      await kindOf(
        joinChallenge(t.db, { challengeId, acceptRules: true, inviteCode: baselineTeam.inviteCode }, mallory),
      ),
    ).toBe("conflict");
    expect(
      await kindOf(joinChallenge(t.db, { challengeId, acceptRules: true, teamName: "Baseline: mine" }, mallory)),
    ).toBe("conflict");
    expect(await t.db.challengeMember.count({ where: { challengeId, userId: mallory.id as number } })).toBe(0);
  });

  it("leaves flagged submissions and banned users' teams off the boards", async () => {
    const { id: phaseId } = await csvPhase("moderated");
    const s1 = await submit(phaseId, p(1), submission(20));
    const s2 = await submit(phaseId, p(2), submission(15));
    const s3 = await submit(phaseId, p(3), submission(10));
    const ids = async () => (await getLeaderboard(t.db, phaseId)).entries.map((e) => e.submissionId);
    expect(await ids()).toEqual([s1, s2, s3]);

    expect(await kindOf(flagSubmission(t.db, s1, { reason: "hand-labelled" }, mallory))).toBe("forbidden");
    expect(await kindOf(flagSubmission(t.db, s1, { reason: "  " }, owner))).toBe("invalid");
    expect(await kindOf(flagSubmission(t.db, 999_999, { reason: "x" }, owner))).toBe("not-found");
    const flagged = await flagSubmission(t.db, s1, { reason: "hand-labelled" }, owner);
    expect(flagged).toMatchObject({ id: s1, flagged: true, flagReason: "hand-labelled" });
    expect(await ids()).toEqual([s2, s3]);
    expect((await getScoreHistory(t.db, phaseId)).map((h) => h.submissionId)).toEqual([s2, s3]);
    expect(await flagSubmission(t.db, s1, { reason: null }, owner)).toEqual({
      id: s1,
      flagged: false,
      flagReason: null,
      flaggedAt: null,
    });
    expect(await ids()).toEqual([s1, s2, s3]);

    const ban = (userId: number, reason: string, who: Actor = owner) =>
      banFromChallenge(t.db, challengeId, { userId, reason }, who);
    expect(await kindOf(ban(p(3).id as number, "cheating", mallory))).toBe("forbidden");
    expect(await kindOf(ban(p(3).id as number, ""))).toBe("invalid");
    expect(await kindOf(ban(p(3).id as number, "x".repeat(501)))).toBe("invalid");
    expect(await kindOf(ban(owner.id as number, "self"))).toBe("conflict");
    expect(await kindOf(ban(999_999, "nobody"))).toBe("invalid");
    expect(await ban(p(3).id as number, "cheating")).toMatchObject({ userId: p(3).id, reason: "cheating" });
    expect(await ids()).toEqual([s1, s2]);
    expect(await kindOf(submitToPhase(svc(), { phaseId, format: "csv", content: submission(3) }, p(3)))).toBe(
      "forbidden",
    );
    expect(await kindOf(joinChallenge(t.db, { challengeId, acceptRules: true }, p(3)))).toBe("forbidden");
    // A banned member takes the whole team off (p4 shares p0's team).
    const s0 = await submit(phaseId, p(0), submission(5));
    expect(await ids()).toEqual([s1, s2, s0]);
    await ban(p(4).id as number, "sharing accounts");
    expect(await ids()).toEqual([s1, s2]);
    expect((await getScoreHistory(t.db, phaseId)).map((h) => h.submissionId)).toEqual([s1, s2]);

    expect(await kindOf(unbanFromChallenge(t.db, challengeId, { userId: p(3).id as number }, mallory))).toBe(
      "forbidden",
    );
    await unbanFromChallenge(t.db, challengeId, { userId: p(3).id as number }, owner);
    await unbanFromChallenge(t.db, challengeId, { userId: p(4).id as number }, owner);
    expect(await kindOf(unbanFromChallenge(t.db, challengeId, { userId: p(4).id as number }, owner))).toBe("not-found");
    expect(await ids()).toEqual([s1, s2, s3, s0]);
  });

  it("ranks late submissions on the post-challenge board only, by private score", async () => {
    const { id: phaseId } = await csvPhase("late");
    const onTime = await submit(phaseId, p(1), submission(12));
    const before = await getLeaderboard(t.db, phaseId, { board: "post-challenge" });
    expect(before).toMatchObject({ board: "post-challenge", entries: [] });
    expect(before.note).toMatch(/opens when phase late ends/);
    const lateId = await submit(phaseId, p(2), submission(20), later());
    const lateRow = await t.db.challengeSubmission.findUniqueOrThrow({ where: { id: lateId } });
    expect(lateRow.late).toBe(true);
    const lateWorse = await submit(phaseId, p(2), submission(4), later());
    const other = await submit(phaseId, p(1), submission(8), later());

    const final = await getLeaderboard(t.db, phaseId, { now: later() });
    expect(final.entries.map((e) => e.submissionId)).toEqual([onTime]);
    const post = await getLeaderboard(t.db, phaseId, { board: "post-challenge", now: later() });
    expect(post).toMatchObject({ board: "post-challenge", scope: "private", note: null });
    expect(post.entries.map((e) => [e.submissionId, e.rank])).toEqual([
      [lateId, 1],
      [other, 2],
    ]);
    expect(post.entries[0]?.scores.top1).toBe(lateRow.privateTop1);
    expect(post.entries.map((e) => e.submissionId)).not.toContain(lateWorse);
    // The plot leaves late submissions out.
    expect((await getScoreHistory(t.db, phaseId, { now: later() })).map((h) => h.submissionId)).toEqual([onTime]);
    // A phase without a post-challenge board says so.
    await t.db.challengePhase.update({ where: { id: phaseId }, data: { postChallenge: false } });
    const none = await getLeaderboard(t.db, phaseId, { board: "post-challenge", now: later() });
    expect(none.entries).toEqual([]);
    expect(none.note).toMatch(/takes no late submissions/);
  });

  it("plots public scores only, and nothing while a hidden board runs", async () => {
    const { id: phaseId } = await csvPhase("plotted");
    const s1 = await submit(phaseId, p(1), submission(7));
    const s2 = await submit(phaseId, p(2), submission(13));
    const rows = await t.db.challengeSubmission.findMany({ where: { id: { in: [s1, s2] } }, orderBy: { id: "asc" } });
    for (const r of rows) expect(r.privateTop1).not.toBe(r.publicTop1); // so the checks below can fail
    const history = await getScoreHistory(t.db, phaseId);
    expect(history).toEqual(
      rows.map((r) => ({
        submissionId: r.id,
        teamId: r.teamId,
        team: expect.any(String),
        submittedAt: r.createdAt.toISOString(),
        top1: r.publicTop1,
        top5: r.publicTop5,
        baseline: false,
      })),
    );
    const { id: hidden } = await csvPhase("plotted-hidden", { leaderboard: "hidden_until_end" });
    const h = await submit(hidden, p(1), submission(10));
    expect(await getScoreHistory(t.db, hidden)).toEqual([]);
    expect((await getScoreHistory(t.db, hidden, { now: later() })).map((x) => x.submissionId)).toEqual([h]);
    expect(await kindOf(getScoreHistory(t.db, 999_999))).toBe("not-found");
  });

  it("lists every submission for the host only, with emails and private scores", async () => {
    const { id: phaseId } = await csvPhase("listed");
    const s1 = await submit(phaseId, p(1), submission(10));
    await submitToPhase(svc(), { phaseId, format: "csv", content: "nope\n" }, p(1)).catch(() => null);
    expect(await kindOf(listPhaseSubmissions(t.db, phaseId, mallory))).toBe("forbidden");
    expect(await kindOf(listPhaseSubmissions(t.db, phaseId, p(1)))).toBe("forbidden");
    const list = await listPhaseSubmissions(t.db, phaseId, owner);
    expect(list.revision).toBe(1);
    expect(list.submissions).toHaveLength(2);
    const [refused, scored] = list.submissions;
    expect(refused).toMatchObject({ status: "failed", counted: false, submittedBy: { email: "p1@host.test" } });
    const row = await t.db.challengeSubmission.findUniqueOrThrow({ where: { id: s1 } });
    expect(scored).toMatchObject({
      id: s1,
      status: "scored",
      late: false,
      flagged: false,
      baseline: false,
      team: expect.stringMatching(/^participant #\d+$/),
      privateScores: { top1: row.privateTop1, top5: row.privateTop5 },
      publicScores: { top1: row.publicTop1 },
    });
  });

  it("gives the host alone a submission's per-class error and confusions", async () => {
    const { id: phaseId } = await csvPhase("breakdown");
    const id = await submit(phaseId, p(1), submission(10));
    const refused = await t.db.challengeSubmission.findFirstOrThrow({
      where: { phaseId: { not: phaseId }, counted: false },
    });
    for (const who of [p(1), mallory]) expect(await kindOf(getSubmissionBreakdown(svc(), id, who))).toBe("forbidden");
    expect(await kindOf(getSubmissionBreakdown(svc(), 999_999, owner))).toBe("not-found");
    expect(await kindOf(getSubmissionBreakdown(svc(), refused.id, owner))).toBe("conflict");
    const breakdown = await getSubmissionBreakdown(svc(), id, owner);
    // Right on images 0-9, wrong on 10-19 (guessing the next wnid): each class has 5 images, and images
    // i ≡ c (mod 4) at i ≥ 10 are wrong: classes 2 and 3 have 3 of them (10, 14, 18 / 11, 15, 19), 0 and 1 two.
    expect(breakdown.perClass.map((c) => [c.wnid, c.images, c.top1])).toEqual([
      [WNIDS[0], 5, 2 / 5],
      [WNIDS[1], 5, 2 / 5],
      [WNIDS[2], 5, 3 / 5],
      [WNIDS[3], 5, 3 / 5],
    ]);
    // Ties by class order: 2 → 3 before 3 → 0.
    expect(breakdown.confusions[0]).toEqual({ truth: WNIDS[2], predicted: WNIDS[3], count: 3 });
    expect(breakdown.confusions.reduce((sum, c) => sum + c.count, 0)).toBe(10);
  });

  it("writes a board as CSV with a header, quoting names and defusing formulas", () => {
    const csv = leaderboardCsv({
      phaseId: 1,
      board: "final",
      ended: false,
      scope: "public",
      hidden: false,
      revision: 1,
      rescoring: 0,
      note: null,
      entries: [
        {
          rank: 1,
          baseline: false,
          teamId: 1,
          team: 'a, "b"',
          submissionId: 7,
          submittedAt: "2025-01-01T00:00:00.000Z",
          scores: { top1: 0.5, top5: 0.25, hier2010: null, hier2011: 0.1 },
        },
        {
          rank: null,
          baseline: true,
          teamId: 2,
          team: "=HYPERLINK()",
          submissionId: 8,
          submittedAt: "2025-01-02T00:00:00.000Z",
          scores: { top1: 0.4, top5: 0.2, hier2010: null, hier2011: null },
        },
      ],
    });
    expect(csv).toBe(
      "rank,team,submission_id,submitted_at,top1,top5,hier2010,hier2011,baseline\n" +
        '1,"a, ""b""",7,2025-01-01T00:00:00.000Z,0.5,0.25,,0.1,false\n' +
        ",'=HYPERLINK(),8,2025-01-02T00:00:00.000Z,0.4,0.2,,,true\n",
    );
  });
});
