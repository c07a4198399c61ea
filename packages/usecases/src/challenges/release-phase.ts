import type { Db } from "@arbor/db";
import { conflict } from "../errors.ts";
import type { Actor } from "../restrictions/viewer.ts";
import { assertPhaseHost } from "./challenge-access.ts";
import type { PhaseReleased } from "./host-schemas.ts";

/**
 * The host releases an ended phase's test images: a phase made from a dataset version's split reserves those
 * images (no other version and no export of another version takes them, see reserved-images-sql.ts) until
 * then. Only the reservation lifts: their labels stay restricted (the image_restriction rows stay), so no one
 * but the version's owner and admins sees them. Releasing again answers the first release.
 */
export async function releasePhase(
  db: Db,
  phaseId: number,
  actor: Actor,
  options: { now?: Date } = {},
): Promise<PhaseReleased> {
  const now = options.now ?? new Date();
  const phase = await assertPhaseHost(db, phaseId, actor);
  if (now < phase.endsAt)
    throw conflict(
      `phase ${phase.name} ends at ${phase.endsAt.toISOString()}: its test images can be released only after it ends`,
    );
  const images =
    phase.truthSource === "version" ? await db.challengeTruth.count({ where: { phaseId, revision: 1 } }) : 0;
  if (phase.releasedAt) return { phaseId, releasedAt: phase.releasedAt.toISOString(), images };
  // Conditional, so two releases at once keep the first one's time.
  await db.challengePhase.updateMany({ where: { id: phaseId, releasedAt: null }, data: { releasedAt: now } });
  const row = await db.challengePhase.findUniqueOrThrow({ where: { id: phaseId }, select: { releasedAt: true } });
  return { phaseId, releasedAt: (row.releasedAt as Date).toISOString(), images };
}
