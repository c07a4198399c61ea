import type { Db } from "@arbor/db";
import { conflict, forbidden, invalid, parseInput } from "../errors.ts";
import { restrictedLabelledSplits } from "../restrictions/ownership.ts";
import type { Actor } from "../restrictions/viewer.ts";
import { assertHost } from "./challenge-access.ts";
import { type ChallengeUpdated, type UpdateChallengeInput, updateChallengeSchema } from "./host-schemas.ts";

/**
 * The host changes a challenge: its title, rules, sign-up, team size (never below its largest team), status,
 * and the dataset exports published to its participants (the list is replaced). A published export must be
 * finished, carry no labels withheld from the host, and give participants no label of any phase's test
 * images (see `assertPublishable`).
 */
export async function updateChallenge(
  db: Db,
  challengeId: number,
  input: UpdateChallengeInput,
  actor: Actor,
): Promise<ChallengeUpdated> {
  const p = parseInput(updateChallengeSchema, input);
  await assertHost(db, challengeId, actor);
  if (p.teamSizeLimit !== undefined) {
    const [largest] = await db.$queryRaw<{ size: number }[]>`
      SELECT count(*)::int AS size FROM challenge_member WHERE challenge_id = ${challengeId}
      GROUP BY team_id ORDER BY 1 DESC LIMIT 1`;
    if (largest && largest.size > p.teamSizeLimit)
      throw conflict(`a team of challenge ${challengeId} has ${largest.size} members: the limit cannot go below that`);
  }
  const exportIds = p.exportIds === undefined ? undefined : [...new Set(p.exportIds)].sort((a, b) => a - b);
  for (const exportId of exportIds ?? []) await assertPublishable(db, exportId, actor);
  const { exportIds: _exportIds, ...fields } = p;
  const row = await db.$transaction(async (tx) => {
    if (exportIds !== undefined) {
      await tx.challengeExport.deleteMany({ where: { challengeId } });
      await tx.challengeExport.createMany({ data: exportIds.map((exportId) => ({ challengeId, exportId })) });
    }
    return tx.challenge.update({
      where: { id: challengeId },
      data: fields,
      include: { exports: { select: { exportId: true }, orderBy: { exportId: "asc" } } },
    });
  });
  return {
    id: row.id,
    title: row.title,
    description: row.description,
    openSignUp: row.openSignUp,
    teamSizeLimit: row.teamSizeLimit,
    status: row.status,
    exportIds: row.exports.map((e) => e.exportId),
  };
}

/**
 * An export the host may hand to participants: it exists, has succeeded, carries no label withheld from the
 * host (as downloading it would), and writes no label of an image that is a test image of some phase made
 * from a dataset version (any challenge's, released or not: a released split's labels stay withheld). For the
 * phase's own version that means: only an export with withholdTestLabels of a phase on the test split (its
 * images are then written without labels; a val-split phase's images would be labelled). For another version
 * it is refused whenever the version holds such an image at all, although exports written while the images
 * are reserved leave them out: which files an older export wrote is not known here, and refusing is the
 * safe side (a version made after the phase lacks them, so its exports can be published).
 */
async function assertPublishable(db: Db, exportId: number, actor: Actor): Promise<void> {
  const row = await db.export.findUnique({
    where: { id: exportId },
    select: { status: true, versionId: true, options: true },
  });
  if (!row) throw invalid(`exportIds: no export ${exportId}`);
  if (row.status !== "succeeded")
    throw conflict(`export ${exportId} is ${row.status}: only a finished (succeeded) export can be published`);
  const withholdTestLabels = (row.options as { withholdTestLabels?: boolean }).withholdTestLabels === true;
  const withheld = await restrictedLabelledSplits(db, actor, row.versionId, withholdTestLabels);
  if (withheld.length > 0)
    throw forbidden(`export ${exportId} carries labels withheld from you (${withheld.join(", ")} of its version)`);
  const [leak] = await db.$queryRaw<{ name: string; challenge_id: number }[]>`
    SELECT p.name, p.challenge_id FROM challenge_phase p
    JOIN dataset_item t ON t.version_id = p.dataset_version_id AND t.split = p.split
    JOIN dataset_item d ON d.version_id = ${row.versionId} AND d.image_id = t.image_id
    WHERE p.truth_source = 'version' AND NOT (${withholdTestLabels} AND d.split = 'test')
    LIMIT 1`;
  if (leak)
    throw conflict(
      `export ${exportId} would give participants labels of test images of phase ${leak.name} ` +
        `(challenge ${leak.challenge_id}): publish an export that withholds test labels, of a version made ` +
        "after that phase or of the phase's own version",
    );
}
