import { ChallengeFileError, normalizedSubmissionSha256, parseSubmission, type SubmissionFormat } from "@arbor/core";
import type { Db } from "@arbor/db";
import type { JobQueue } from "@arbor/jobs";
import type { BlobStore } from "@arbor/storage";
import { SUBMISSION_ATTEMPT_POLICY, takeRateLimit } from "../auth/rate-limit.ts";
import { conflict, forbidden, invalid, notFound, parseInput, tooLarge, UseCaseError } from "../errors.ts";
import type { Actor } from "../restrictions/viewer.ts";
import { isBanned } from "./challenge-access.ts";
import {
  MAX_SUBMISSION_BYTES,
  type SubmissionAccepted,
  type SubmitToPhaseInput,
  submitToPhaseSchema,
} from "./challenge-schemas.ts";
import { loadPhaseTruth, type PhaseTruthColumns } from "./phase-truth.ts";
import { scoreSubmissionJob } from "./score-submission-job.ts";

const TRANSACTION = { maxWait: 60_000, timeout: 60_000 };
const DAY_MS = 24 * 60 * 60 * 1000;

/** Where a submission's content is kept (the blob store; one per phase, team and normalised sha256). */
export const submissionBlobKey = (s: { phaseId: number; teamId: number; sha256: string }) =>
  `challenges/phase-${s.phaseId}/team-${s.teamId}/${s.sha256}.txt`;

/** A submission's size in bytes, or `too-large` past MAX_SUBMISSION_BYTES. */
export function submissionBytes(content: string): number {
  const bytes = Buffer.byteLength(content, "utf8");
  if (bytes > MAX_SUBMISSION_BYTES) throw tooLarge(`a submission holds at most ${MAX_SUBMISSION_BYTES} bytes`);
  return bytes;
}

/**
 * Checks a file against the phase's current ground truth with core's parsers: the problem found (to refuse
 * it with `refusal`), or null when it parses. Shared by participants' submissions and the host's baselines.
 */
export async function checkSubmissionFile(
  db: Db,
  phase: PhaseTruthColumns,
  format: SubmissionFormat,
  content: string,
): Promise<ChallengeFileError | null> {
  const { truth } = await loadPhaseTruth(db, phase);
  try {
    parseSubmission(content, truth, format);
    return null;
  } catch (error) {
    if (error instanceof ChallengeFileError) return error;
    throw error;
  }
}

/** The `invalid` that refuses a malformed file, listing each problem. */
export const refusal = (error: ChallengeFileError) =>
  invalid(error.message, { problems: error.problems, problemCount: error.problemCount });

/** Keeps an accepted file's content where the scorer reads it. */
export async function storeSubmissionContent(
  blobs: BlobStore,
  key: { phaseId: number; teamId: number; sha256: string },
  content: string,
): Promise<void> {
  await blobs.put(submissionBlobKey(key), Buffer.from(content, "utf8"), { contentType: "text/plain" });
}

/**
 * A team member submits predictions to a running phase (or, late, to an ended one with a post-challenge
 * board: marked `late`, ranked there only; the quotas apply as before); a banned user may not. The file is
 * checked with core's parsers first: a malformed one is refused (`invalid`, listing each problem) and uses
 * no quota, but counts toward the phase's daily failure cap. The same file again (normalised sha256)
 * answers the earlier submission. The daily (UTC) and total quotas are counted in a transaction holding the
 * team's row (`FOR UPDATE`), so concurrent submissions never exceed them. The accepted submission is stored `queued` and a
 * `scoreSubmissionJob` is sent for it (the worker scores it; the sweep re-sends it if its scorer dies).
 */
export async function submitToPhase(
  services: { db: Db; blobs: BlobStore; jobs: JobQueue },
  input: SubmitToPhaseInput,
  actor: Actor,
  options: { now?: Date } = {},
): Promise<SubmissionAccepted> {
  const { db, blobs, jobs } = services;
  const p = parseInput(submitToPhaseSchema, input);
  const bytes = submissionBytes(p.content);
  if (actor.id === null) throw new UseCaseError("unauthenticated", "sign in to submit");
  const now = options.now ?? new Date();
  // Before any file is parsed: each attempt costs a parse of up to 64 MB.
  await takeRateLimit(db, `submit:${actor.id}:${p.phaseId}`, SUBMISSION_ATTEMPT_POLICY, now);
  const phase = await db.challengePhase.findUnique({ where: { id: p.phaseId } });
  if (!phase) throw notFound(`no phase ${p.phaseId}`);
  const member = await db.challengeMember.findUnique({
    where: { challengeId_userId: { challengeId: phase.challengeId, userId: actor.id } },
    select: { teamId: true },
  });
  if (!member) throw forbidden(`join challenge ${phase.challengeId} (and accept its rules) before submitting`);
  if (await isBanned(db, phase.challengeId, actor.id))
    throw forbidden(`you were banned from challenge ${phase.challengeId}`);
  if (now < phase.startsAt)
    throw conflict(`phase ${phase.name} opens at ${phase.startsAt.toISOString()}; it takes no submissions yet`);
  const late = now >= phase.endsAt;
  if (late && !phase.postChallenge)
    throw conflict(`phase ${phase.name} ended at ${phase.endsAt.toISOString()}; it takes no more submissions`);
  if (p.baselineModelId !== undefined) {
    const model = await db.model.findUnique({ where: { id: p.baselineModelId }, select: { id: true } });
    if (!model) throw invalid(`no model ${p.baselineModelId}`);
  }
  const teamId = member.teamId;
  const sha256 = normalizedSubmissionSha256(p.content);
  const key = { phaseId: phase.id, teamId, sha256 };
  const dayStart = new Date(Math.floor(now.getTime() / DAY_MS) * DAY_MS);
  const nextDay = new Date(dayStart.getTime() + DAY_MS);

  const earlier = await db.challengeSubmission.findUnique({ where: { phaseId_teamId_sha256: key } });
  if (earlier && !earlier.counted) throw invalid(earlier.failureReason ?? "this file was refused before");
  if (earlier) return { ...(await remaining(db, phase, teamId, dayStart, nextDay)), ...summary(earlier, true) };

  const failures = await db.challengeSubmission.count({
    where: { phaseId: phase.id, teamId, counted: false, createdAt: { gte: dayStart } },
  });
  if (failures >= phase.failureDailyCap) {
    throw new UseCaseError(
      "rate-limited",
      `${failures} refused files today: phase ${phase.name} takes no more until ${nextDay.toISOString()} (UTC midnight)`,
      { nextSlotAt: nextDay.toISOString() },
      Math.ceil((nextDay.getTime() - now.getTime()) / 1000),
    );
  }
  const refused = await checkSubmissionFile(db, phase, p.format, p.content);
  if (refused) {
    await db.challengeSubmission.createMany({
      data: [
        {
          ...key,
          submittedById: actor.id,
          format: p.format,
          bytes,
          status: "failed",
          counted: false,
          failureReason: refused.message,
          late,
          createdAt: now,
          updatedAt: now,
          queuedAt: now,
        },
      ],
      skipDuplicates: true,
    });
    throw refusal(refused);
  }
  await storeSubmissionContent(blobs, key, p.content);

  const accepted = await db.$transaction(async (tx): Promise<SubmissionAccepted> => {
    await tx.$queryRaw`SELECT id FROM challenge_team WHERE id = ${teamId} FOR UPDATE`;
    const same = await tx.challengeSubmission.findUnique({ where: { phaseId_teamId_sha256: key } });
    if (same) return { ...(await remaining(tx, phase, teamId, dayStart, nextDay)), ...summary(same, true) };
    const used = await remaining(tx, phase, teamId, dayStart, nextDay);
    if (used.remainingTotal <= 0)
      throw conflict(`the team has used all ${phase.totalQuota} submissions of phase ${phase.name}`);
    if (used.remainingToday <= 0) {
      throw new UseCaseError(
        "rate-limited",
        `the team has used its ${phase.dailyQuota} submissions of today (UTC); the next slot opens at ${nextDay.toISOString()}`,
        { nextSlotAt: nextDay.toISOString() },
        Math.ceil((nextDay.getTime() - now.getTime()) / 1000),
      );
    }
    const row = await tx.challengeSubmission.create({
      data: {
        ...key,
        submittedById: actor.id,
        format: p.format,
        bytes,
        baselineModelId: p.baselineModelId ?? null,
        late,
        createdAt: now,
        updatedAt: now,
        queuedAt: now,
      },
    });
    const today = used.remainingToday - 1;
    const total = used.remainingTotal - 1;
    return {
      ...summary(row, false),
      remainingToday: Math.min(today, total),
      remainingTotal: total,
      nextSlotAt: today > 0 || total <= 0 ? null : nextDay.toISOString(),
    };
  }, TRANSACTION);
  // Sent after the commit, so the worker finds the row; a concurrent duplicate answered inside the
  // transaction sends nothing (its first submission's job is on the way).
  if (!accepted.duplicate) await jobs.send(scoreSubmissionJob, { submissionId: accepted.id });
  return accepted;
}

type Counts = Pick<Db, "challengeSubmission">;

async function remaining(
  db: Counts,
  phase: { id: number; dailyQuota: number; totalQuota: number },
  teamId: number,
  dayStart: Date,
  nextDay: Date,
): Promise<{ remainingToday: number; remainingTotal: number; nextSlotAt: string | null }> {
  const where = { phaseId: phase.id, teamId, counted: true };
  const [today, total] = await Promise.all([
    db.challengeSubmission.count({ where: { ...where, createdAt: { gte: dayStart } } }),
    db.challengeSubmission.count({ where }),
  ]);
  const remainingTotal = Math.max(0, phase.totalQuota - total);
  const remainingToday = Math.min(remainingTotal, Math.max(0, phase.dailyQuota - today));
  return {
    remainingToday,
    remainingTotal,
    nextSlotAt: remainingToday > 0 || remainingTotal <= 0 ? null : nextDay.toISOString(),
  };
}

function summary(row: { id: number; status: SubmissionAccepted["status"]; sha256: string }, duplicate: boolean) {
  return { id: row.id, status: row.status, sha256: row.sha256, duplicate };
}
