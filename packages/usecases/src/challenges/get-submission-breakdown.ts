import { classBreakdown, parseSubmission } from "@arbor/core";
import type { Db } from "@arbor/db";
import type { BlobStore } from "@arbor/storage";
import { z } from "zod";
import { conflict, notFound } from "../errors.ts";
import type { Actor } from "../restrictions/viewer.ts";
import { assertPhaseHost } from "./challenge-access.ts";
import { loadPhaseTruth } from "./phase-truth.ts";
import { readSubmissionContent } from "./submission-content.ts";

export const submissionBreakdownSchema = z
  .object({
    submissionId: z.number().int(),
    revision: z.number().int().meta({ description: "the ground-truth revision it was computed against" }),
    perClass: z.array(
      z.object({
        index: z.number().int(),
        wnid: z.string(),
        name: z.string(),
        images: z.number().int(),
        top1: z.number(),
        top5: z.number(),
      }),
    ),
    confusions: z.array(z.object({ truth: z.string(), predicted: z.string(), count: z.number().int() })),
  })
  .meta({ id: "ChallengeSubmissionBreakdown" });
export type SubmissionBreakdown = z.infer<typeof submissionBreakdownSchema>;

/**
 * Per-class top-1/top-5 error of a submission over all test images, and its 20 most frequent confusions,
 * against the phase's current ground truth: for the host only. A participant never gets it, not even after
 * the end: per-class errors of files that differ in one image would give that image's class away.
 */
export async function getSubmissionBreakdown(
  services: { db: Db; blobs: BlobStore },
  submissionId: number,
  actor: Actor,
): Promise<SubmissionBreakdown> {
  const { db, blobs } = services;
  const row = await db.challengeSubmission.findUnique({ where: { id: submissionId } });
  if (!row) throw notFound(`no submission ${submissionId}`);
  const phase = await assertPhaseHost(db, row.phaseId, actor);
  if (!row.counted) throw conflict(`submission ${submissionId} was refused when it was submitted: it has no scores`);
  const { truth } = await loadPhaseTruth(db, phase);
  const parsed = parseSubmission(await readSubmissionContent(blobs, row), truth, row.format);
  return { submissionId, revision: phase.truthRevision, ...classBreakdown(truth, parsed) };
}
