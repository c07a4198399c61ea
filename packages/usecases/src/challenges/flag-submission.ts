import type { Db } from "@arbor/db";
import { notFound, parseInput } from "../errors.ts";
import type { Actor } from "../restrictions/viewer.ts";
import { assertPhaseHost } from "./challenge-access.ts";
import { type FlagSubmissionInput, flagSubmissionSchema, type SubmissionFlagged } from "./host-schemas.ts";

/**
 * The host flags a submission (e.g. suspected hand-labelling of the test images), with the reason: it is left
 * off the boards and the score plot, but kept, scored and counted toward its team's quota. A null reason
 * clears the flag.
 */
export async function flagSubmission(
  db: Db,
  submissionId: number,
  input: FlagSubmissionInput,
  actor: Actor,
): Promise<SubmissionFlagged> {
  const p = parseInput(flagSubmissionSchema, input);
  const submission = await db.challengeSubmission.findUnique({
    where: { id: submissionId },
    select: { phaseId: true },
  });
  if (!submission) throw notFound(`no submission ${submissionId}`);
  await assertPhaseHost(db, submission.phaseId, actor);
  const row = await db.challengeSubmission.update({
    where: { id: submissionId },
    data: p.reason === null ? { flaggedAt: null, flagReason: null } : { flaggedAt: new Date(), flagReason: p.reason },
    select: { id: true, flaggedAt: true, flagReason: true },
  });
  return {
    id: row.id,
    flagged: row.flaggedAt !== null,
    flagReason: row.flagReason,
    flaggedAt: row.flaggedAt?.toISOString() ?? null,
  };
}
