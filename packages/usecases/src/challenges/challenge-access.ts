import type { DbOrTx } from "@arbor/db";
import { forbidden, notFound, UseCaseError } from "../errors.ts";
import { mayChange } from "../restrictions/ownership.ts";
import type { Actor, Viewer } from "../restrictions/viewer.ts";

/** Who may run a challenge: its owner (the researcher who created it) or an admin. */
export const mayHost = (viewer: Viewer, ownerId: number | null): boolean =>
  viewer !== null && mayChange(viewer, ownerId);

/** The challenge, or `not-found`; `forbidden` unless the actor hosts it. */
export async function assertHost(db: Pick<DbOrTx, "challenge">, challengeId: number, actor: Actor) {
  const challenge = await db.challenge.findUnique({ where: { id: challengeId } });
  if (!challenge) throw notFound(`no challenge ${challengeId}`);
  if (!mayHost(actor, challenge.ownerId))
    throw forbidden(`challenge ${challengeId} is hosted by someone else: only its host or an admin may change it`);
  return challenge;
}

/** The phase with its challenge's owner, or `not-found`; `forbidden` unless the actor hosts its challenge. */
export async function assertPhaseHost(db: Pick<DbOrTx, "challengePhase">, phaseId: number, actor: Actor) {
  const phase = await db.challengePhase.findUnique({
    where: { id: phaseId },
    include: { challenge: { select: { ownerId: true, title: true } } },
  });
  if (!phase) throw notFound(`no phase ${phaseId}`);
  if (!mayHost(actor, phase.challenge.ownerId))
    throw forbidden(`phase ${phaseId} belongs to a challenge hosted by someone else`);
  return phase;
}

/** The actor's team in a challenge (null: not signed up). */
export async function findMembership(db: Pick<DbOrTx, "challengeMember">, challengeId: number, viewer: Viewer) {
  if (viewer?.id === null || viewer?.id === undefined) return null;
  return db.challengeMember.findUnique({
    where: { challengeId_userId: { challengeId, userId: viewer.id } },
    include: { team: true },
  });
}

/** Whether the host banned this user from the challenge. */
export async function isBanned(db: Pick<DbOrTx, "challengeBan">, challengeId: number, userId: number) {
  const ban = await db.challengeBan.findUnique({ where: { challengeId_userId: { challengeId, userId } } });
  return ban !== null;
}

/**
 * The actor's team, or `unauthenticated` / `forbidden` (not signed up, or banned). For what only a
 * challenge's participants may see or do (test images, their submissions, final choices).
 */
export async function assertMember(
  db: Pick<DbOrTx, "challengeMember" | "challengeBan">,
  challengeId: number,
  actor: Viewer,
) {
  if (actor?.id === null || actor?.id === undefined)
    throw new UseCaseError("unauthenticated", "sign in and join the challenge first");
  const member = await findMembership(db, challengeId, actor);
  if (!member) throw forbidden(`join challenge ${challengeId} (and accept its rules) first`);
  if (await isBanned(db, challengeId, actor.id)) throw forbidden(`you were banned from challenge ${challengeId}`);
  return member;
}

export type PhaseState = "upcoming" | "running" | "ended";

/** Where a phase stands at `now` (its end is exclusive: at `endsAt` it has ended). */
export function phaseState(phase: { startsAt: Date; endsAt: Date }, now: Date = new Date()): PhaseState {
  if (now < phase.startsAt) return "upcoming";
  return now < phase.endsAt ? "running" : "ended";
}
