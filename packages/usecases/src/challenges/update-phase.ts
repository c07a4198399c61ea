import type { Db } from "@arbor/db";
import { z } from "zod";
import { conflict, invalid, parseInput } from "../errors.ts";
import type { Actor } from "../restrictions/viewer.ts";
import { assertPhaseHost, phaseState } from "./challenge-access.ts";

export const updatePhaseSchema = z
  .object({
    /** A new end; `"now"` ends a running phase at once (its private board appears). */
    endsAt: z.union([z.literal("now"), z.coerce.date()]).optional(),
    startsAt: z.coerce.date().optional(),
    dailyQuota: z.number().int().min(1).max(1000).optional(),
    totalQuota: z.number().int().min(1).max(100_000).optional(),
    failureDailyCap: z.number().int().min(1).max(1000).optional(),
    leaderboard: z.enum(["public", "hidden_until_end"]).optional(),
    postChallenge: z.boolean().optional(),
  })
  .strict()
  .meta({ id: "UpdateChallengePhase" });
export type UpdatePhaseInput = z.input<typeof updatePhaseSchema>;

export const phaseUpdatedSchema = z
  .object({
    id: z.number().int(),
    startsAt: z.string(),
    endsAt: z.string(),
    state: z.enum(["upcoming", "running", "ended"]),
  })
  .meta({ id: "ChallengePhaseUpdated" });

/**
 * The host changes a phase that has not ended: its dates, quotas, board visibility, post-challenge board.
 * An ended phase stays ended (its private scores were revealed: moving the end back would hide them again,
 * and moving it forward would take submissions after the private board was seen), except that its
 * post-challenge board may be switched. A start may not move once the phase has started.
 */
export async function updatePhase(
  db: Db,
  phaseId: number,
  input: UpdatePhaseInput,
  actor: Actor,
  options: { now?: Date } = {},
) {
  const now = options.now ?? new Date();
  const p = parseInput(updatePhaseSchema, input);
  const phase = await assertPhaseHost(db, phaseId, actor);
  const state = phaseState(phase, now);
  const { postChallenge, endsAt: end, ...rest } = p;
  if (state === "ended" && (end !== undefined || Object.keys(rest).length > 0))
    throw conflict(
      `phase ${phase.name} ended at ${phase.endsAt.toISOString()}: only its post-challenge board can change`,
    );
  if (state !== "upcoming" && p.startsAt !== undefined && p.startsAt.getTime() !== phase.startsAt.getTime())
    throw conflict(`phase ${phase.name} started at ${phase.startsAt.toISOString()}: its start is fixed`);
  const startsAt = p.startsAt ?? phase.startsAt;
  const endsAt = end === "now" ? now : (end ?? phase.endsAt);
  if (end !== undefined && end !== "now" && endsAt < now)
    throw invalid(`the end ${endsAt.toISOString()} is in the past: use "now" to end the phase at once`);
  if (endsAt <= startsAt) throw invalid("the phase must end after it starts");
  const row = await db.challengePhase.update({
    where: { id: phaseId },
    data: { ...rest, startsAt, endsAt, ...(postChallenge === undefined ? {} : { postChallenge }) },
  });
  return {
    id: row.id,
    startsAt: row.startsAt.toISOString(),
    endsAt: row.endsAt.toISOString(),
    state: phaseState(row, now),
  };
}
