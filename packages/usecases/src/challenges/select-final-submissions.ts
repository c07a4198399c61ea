import type { Db } from "@arbor/db";
import { conflict, forbidden, invalid, notFound, parseInput, UseCaseError } from "../errors.ts";
import type { Actor } from "../restrictions/viewer.ts";
import { type SelectFinalSubmissionsInput, selectFinalSubmissionsSchema } from "./challenge-schemas.ts";

/**
 * A team member chooses (before the phase ends) which of the team's scored submissions, up to 2, decide its
 * private ranking; an empty list goes back to the default (the two best public scores).
 */
export async function selectFinalSubmissions(
  db: Db,
  input: SelectFinalSubmissionsInput,
  actor: Actor,
  options: { now?: Date } = {},
): Promise<{ selected: number[] }> {
  const p = parseInput(selectFinalSubmissionsSchema, input);
  if (actor.id === null) throw new UseCaseError("unauthenticated", "sign in to choose final submissions");
  const ids = [...new Set(p.submissionIds)];
  const phase = await db.challengePhase.findUnique({ where: { id: p.phaseId } });
  if (!phase) throw notFound(`no phase ${p.phaseId}`);
  if ((options.now ?? new Date()) >= phase.endsAt)
    throw conflict(`phase ${phase.name} ended at ${phase.endsAt.toISOString()}; its final submissions are fixed`);
  const member = await db.challengeMember.findUnique({
    where: { challengeId_userId: { challengeId: phase.challengeId, userId: actor.id } },
    select: { teamId: true },
  });
  if (!member) throw forbidden(`you take no part in challenge ${phase.challengeId}`);
  const rows = await db.challengeSubmission.findMany({
    where: { id: { in: ids }, phaseId: phase.id, teamId: member.teamId },
    select: { id: true, status: true },
  });
  const missing = ids.filter((id) => !rows.some((r) => r.id === id));
  if (missing.length > 0) throw invalid(`not your team's submissions to phase ${phase.name}: ${missing.join(", ")}`);
  const unscored = rows.filter((r) => r.status !== "scored").map((r) => r.id);
  if (unscored.length > 0) throw invalid(`only scored submissions can be final: ${unscored.join(", ")} are not`);
  await db.$transaction([
    db.challengeSubmission.updateMany({
      where: { phaseId: phase.id, teamId: member.teamId, selectedForFinal: true },
      data: { selectedForFinal: false },
    }),
    db.challengeSubmission.updateMany({ where: { id: { in: ids } }, data: { selectedForFinal: true } }),
  ]);
  return { selected: ids.sort((a, b) => a - b) };
}
