import { choosePublicImages, parseSubmission, scoreSubmission as scoreAgainstTruth } from "@arbor/core";
import type { Db } from "@arbor/db";
import type { BlobStore } from "@arbor/storage";
import { notFound } from "../errors.ts";
import { loadPhaseTruth } from "./phase-truth.ts";
import { readSubmissionContent } from "./submission-content.ts";

/**
 * Scores a queued submission with core's scorer against its phase's current ground truth, the public and
 * private scores apart (core's seeded split of the phase). Claims it first (`queued` → `scoring`), so two
 * workers never score one; anything that goes wrong marks it `failed` with the reason. Returns its status.
 * The result is written only while the row is still this claim's (`scoring`) and the phase still at the
 * revision scored: a truth revised meanwhile (`reviseTruth`) queued it again, and that newer job scores it.
 */
export async function scoreSubmission(
  services: { db: Db; blobs: BlobStore },
  submissionId: number,
): Promise<{ id: number; status: "queued" | "scoring" | "scored" | "failed"; failureReason: string | null }> {
  const { db, blobs } = services;
  const claimed = await db.challengeSubmission.updateMany({
    where: { id: submissionId, status: "queued" },
    data: { status: "scoring", updatedAt: new Date() },
  });
  if (claimed.count === 0) return current(db, submissionId);
  try {
    const row = await db.challengeSubmission.findUniqueOrThrow({
      where: { id: submissionId },
      include: { phase: true },
    });
    const { truth, costs } = await loadPhaseTruth(db, row.phase);
    const parsed = parseSubmission(await readSubmissionContent(blobs, row), truth, row.format);
    const publicMask = choosePublicImages(truth.imageIds, row.phase.publicSeed, row.phase.publicFraction);
    const report = scoreAgainstTruth(truth, parsed, { hierarchy: costs, publicMask });
    const pub = report.public;
    const priv = report.private;
    const written = await db.challengeSubmission.updateMany({
      where: { id: submissionId, status: "scoring", phase: { truthRevision: row.phase.truthRevision } },
      data: {
        status: "scored",
        failureReason: null,
        publicTop1: pub?.top1 ?? null,
        publicTop5: pub?.top5 ?? null,
        publicHier2010: pub?.hier2010 ?? null,
        publicHier2011: pub?.hier2011 ?? null,
        privateTop1: priv?.top1 ?? null,
        privateTop5: priv?.top5 ?? null,
        privateHier2010: priv?.hier2010 ?? null,
        privateHier2011: priv?.hier2011 ?? null,
        truthRevision: row.phase.truthRevision,
        updatedAt: new Date(),
      },
    });
    if (written.count === 0) return current(db, submissionId);
    return { id: submissionId, status: "scored", failureReason: null };
  } catch (error) {
    const reason = `scoring failed: ${error instanceof Error ? error.message : String(error)}`;
    const written = await db.challengeSubmission.updateMany({
      where: { id: submissionId, status: "scoring" },
      data: { status: "failed", failureReason: reason, updatedAt: new Date() },
    });
    if (written.count === 0) return current(db, submissionId);
    return { id: submissionId, status: "failed", failureReason: reason };
  }
}

async function current(db: Db, submissionId: number) {
  const row = await db.challengeSubmission.findUnique({
    where: { id: submissionId },
    select: { id: true, status: true, failureReason: true },
  });
  if (!row) throw notFound(`no submission ${submissionId}`);
  return row;
}
