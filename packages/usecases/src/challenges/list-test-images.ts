import type { Db } from "@arbor/db";
import { notFound } from "../errors.ts";
import type { Viewer } from "../restrictions/viewer.ts";
import { assertMember, mayHost } from "./challenge-access.ts";
import type { TestImages } from "./participant-schemas.ts";

/**
 * The phase, or `not-found`; then `unauthenticated` / `forbidden` unless the actor takes part in its
 * challenge (not banned) or hosts it. Who may see (and download) a phase's test images.
 */
export async function assertTestSetReader(db: Db, phaseId: number, actor: Viewer) {
  const phase = await db.challengePhase.findUnique({
    where: { id: phaseId },
    select: {
      id: true,
      name: true,
      challengeId: true,
      truthRevision: true,
      truthSource: true,
      challenge: { select: { ownerId: true } },
    },
  });
  if (!phase) throw notFound(`no phase ${phaseId}`);
  if (!mayHost(actor, phase.challenge.ownerId)) await assertMember(db, phase.challengeId, actor);
  return phase;
}

/**
 * A phase's test images in order (position 1..N: a devkit submission's line numbers) with the ids a
 * submission names them by. Only the image keys and positions are read from the ground truth, never a
 * class: this list is what participants label.
 */
export async function listTestImages(db: Db, phaseId: number, actor: Viewer): Promise<TestImages> {
  return readTestImages(db, await assertTestSetReader(db, phaseId, actor));
}

/** The list of a phase whose reader was checked (`assertTestSetReader`). */
export async function readTestImages(db: Db, phase: { id: number; truthRevision: number }): Promise<TestImages> {
  const rows = await db.challengeTruth.findMany({
    where: { phaseId: phase.id, revision: phase.truthRevision },
    select: { imageKey: true, position: true },
    orderBy: { position: "asc" },
  });
  return { phaseId: phase.id, images: rows.map((r) => ({ position: r.position, imageId: r.imageKey })) };
}

/** The list as CSV: a `position,image_id` header, then one line per image. */
export function testImagesCsv(list: TestImages): string {
  const lines = list.images.map((i) => `${i.position},${csvField(i.imageId)}`);
  return `position,image_id\n${lines.join("\n")}${lines.length > 0 ? "\n" : ""}`;
}

const csvField = (value: string) => (/[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value);
