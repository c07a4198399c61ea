import {
  assignSplits,
  capByRank,
  type DatasetDefinition,
  type DatasetDefinitionInput,
  datasetDefinitionSchema,
  nearDuplicateGroups,
  type Split,
} from "@arbor/core";
import { type Db, Prisma, type Tx } from "@arbor/db";
import { notReserved } from "../challenges/reserved-images-sql.ts";
import { parseInput, unprocessable } from "../errors.ts";
import { isNearDuplicate } from "../images/near-duplicate-sql.ts";
import { retryOnConflict } from "../labelling/retry-on-conflict.ts";
import { assertMayChange } from "../restrictions/ownership.ts";
import { restrictImages } from "../restrictions/restrict-images.ts";
import type { Actor } from "../restrictions/viewer.ts";
import { visibleImage } from "../restrictions/visible-image-sql.ts";
import type { FreezeReport } from "./dataset-schemas.ts";
import { type ResolvedClassSet, resolveClassSet } from "./resolve-class-set.ts";

export interface CreatedVersion {
  id: number;
  datasetId: number;
  name: string;
  number: number;
  classCount: number;
  imageCount: number;
  report: FreezeReport;
}

interface UsableImage {
  image_id: number;
  sha256: string;
  synset_id: number;
  /** Every link that makes it usable for the class was verified by a model's auto-accept (no person). */
  model_verified: boolean;
}

/**
 * Freezes a definition into the next immutable version of its dataset: resolves the classes, takes each
 * class's usable images, leaves out images usable for two classes, caps, groups near-duplicates and assigns
 * splits (packages/core), then stores the exact (image, class, split) list. One REPEATABLE READ transaction,
 * so labelling going on meanwhile cannot make the list inconsistent; the dataset row is locked so two
 * freezes of one dataset get consecutive numbers.
 *
 * A new name makes a dataset owned by the actor; a further version of an existing one needs its owner or an
 * admin (`forbidden`). Images restricted for the actor (labels withheld by a version they do not own) are
 * not usable: a version of one's own must not be a way to export labels one may not see. The splits the
 * definition withholds (`withholdLabels`) become restricted in the same transaction. Images verified by a
 * model's auto-accept go to train, with their near-duplicate groups, unless the definition lets them into
 * evaluation (`modelVerifiedInEval`): val and test must not grade a model on labels a model gave.
 */
export async function createDatasetVersion(
  db: Db,
  input: DatasetDefinitionInput,
  actor: Actor,
): Promise<CreatedVersion> {
  const definition = parseInput(datasetDefinitionSchema, input);
  return retryOnConflict(() =>
    db.$transaction(
      async (tx) => {
        const dataset = await lockDataset(tx, definition.name, actor);
        assertMayChange(actor, dataset.createdById, `dataset ${definition.name}`);
        const resolved = await resolveClassSet(tx, definition, actor);
        if (resolved.conflicts.length > 0 && definition.conflicts === "report") {
          throw unprocessable(
            `${resolved.conflicts.length} class(es) are ancestors of other classes (ILSVRC forbids that); ` +
              "drop the ancestors or the descendants",
            { conflicts: resolved.conflicts },
          );
        }
        if (resolved.classes.length === 0) throw unprocessable("no class has enough usable images", resolved);

        const usable = await usableImages(
          tx,
          definition,
          resolved.classes.map((c) => c.synsetId),
          actor,
        );
        const { byClass, multiClass, capped, shaOf } = pickImages(definition, resolved, usable);
        const classes = resolved.classes.filter(
          (c) => (byClass.get(c.synsetId)?.length ?? 0) >= definition.minPerClass,
        );
        for (const c of resolved.classes) {
          if (!classes.includes(c))
            resolved.droppedTooFew.push({ wnid: c.wnid, available: byClass.get(c.synsetId)?.length ?? 0 });
        }
        if (classes.length === 0) throw unprocessable("no class has enough usable images", resolved);

        const chosenIds = classes.flatMap((c) => byClass.get(c.synsetId) ?? []);
        const pairs = await nearDuplicatePairs(tx, chosenIds);
        const shas = chosenIds.map((id) => shaOf.get(id) as string);
        const groupOf = nearDuplicateGroups(shas, pairs);
        // Whole groups stay out of evaluation, so a model-verified image has no near-duplicate in val or test;
        // the split quotas are taken over the rest (the images people verified).
        const trainOnlyGroups = new Set(
          definition.modelVerifiedInEval
            ? []
            : usable.filter((u) => u.model_verified).map((u) => groupOf.get(u.sha256) ?? u.sha256),
        );
        const mayEvaluate = (sha: string) => !trainOnlyGroups.has(groupOf.get(sha) ?? sha);
        const splitOf = assignSplits(
          definition.splits,
          definition.seed,
          classes.map((c, classIndex) => ({
            classIndex,
            sha256s: (byClass.get(c.synsetId) ?? []).map((id) => shaOf.get(id) as string).filter(mayEvaluate),
          })),
          groupOf,
        );
        for (const sha of shas) if (!splitOf.has(sha)) splitOf.set(sha, "train");

        const number = (await tx.datasetVersion.count({ where: { datasetId: dataset.id } })) + 1;
        const counts = { train: 0, val: 0, test: 0 };
        const items = { imageIds: [] as number[], classIndexes: [] as number[], splits: [] as Split[] };
        const perClass = classes.map((c, classIndex) => {
          const classCounts = { train: 0, val: 0, test: 0 };
          for (const imageId of byClass.get(c.synsetId) ?? []) {
            const split = splitOf.get(shaOf.get(imageId) as string) as Split;
            classCounts[split]++;
            counts[split]++;
            items.imageIds.push(imageId);
            items.classIndexes.push(classIndex);
            items.splits.push(split);
          }
          return { classIndex, synsetId: c.synsetId, ...classCounts };
        });
        const leaks = pairs.filter(([a, b]) => splitOf.get(a) !== splitOf.get(b));
        const report: FreezeReport = {
          conflicts: resolved.conflicts,
          droppedForConflicts: resolved.droppedForConflicts,
          droppedTooFew: resolved.droppedTooFew,
          unknownWnids: resolved.unknownWnids,
          multiClassImages: multiClass,
          cappedImages: capped,
          nearDuplicateGroups: new Set([...groupOf.entries()].filter(([sha, key]) => sha !== key).map(([, key]) => key))
            .size,
          leakage: { pairs: leaks.length, examples: leaks.slice(0, 20).map(([a, b]) => ({ a, b })) },
          counts,
        };
        const version = await tx.datasetVersion.create({
          data: {
            datasetId: dataset.id,
            number,
            definition: definition as unknown as Prisma.InputJsonValue,
            report: report as unknown as Prisma.InputJsonValue,
            classCount: classes.length,
            imageCount: items.imageIds.length,
            createdById: actor.id,
          },
          select: { id: true },
        });
        await tx.datasetClass.createMany({ data: perClass.map((c) => ({ versionId: version.id, ...c })) });
        await tx.$executeRaw`
        INSERT INTO dataset_item (version_id, image_id, class_index, split)
        SELECT ${version.id}, i, c, s::"DatasetSplit"
        FROM unnest(${items.imageIds}::int[], ${items.classIndexes}::int[], ${items.splits}::text[]) AS t(i, c, s)`;
        await restrictImages(tx, { versionId: version.id, splits: definition.withholdLabels, reason: "definition" });
        return {
          id: version.id,
          datasetId: dataset.id,
          name: definition.name,
          number,
          classCount: classes.length,
          imageCount: items.imageIds.length,
          report,
        };
      },
      { isolationLevel: Prisma.TransactionIsolationLevel.RepeatableRead, timeout: 600_000, maxWait: 30_000 },
    ),
  );
}

/**
 * Each usable (image, class) link; with includeDescendants, an image linked below a class counts for it.
 * Images restricted for the actor are left out, and so are images a challenge phase reserves (its hidden
 * split, until released) whoever the actor is.
 */
async function usableImages(
  tx: Tx,
  definition: DatasetDefinition,
  synsetIds: number[],
  actor: Actor,
): Promise<UsableImage[]> {
  const states = definition.links === "verified" ? ["verified"] : ["verified", "candidate"];
  const visible = Prisma.sql`${visibleImage("l.image_id", actor)} AND ${notReserved("l.image_id")}`;
  // With descendants, an image usable through several links is model-verified only if all of them are.
  return definition.includeDescendants
    ? tx.$queryRaw<UsableImage[]>`
        SELECT i.id AS image_id, i.sha256, c.ancestor_id AS synset_id,
               bool_and(l.model_verified_by_id IS NOT NULL) AS model_verified
        FROM synset_closure c
        JOIN image_link l ON l.synset_id = c.descendant_id JOIN image i ON i.id = l.image_id
        WHERE c.ancestor_id = ANY(${synsetIds}) AND l.state::text = ANY(${states}) AND ${visible}
        GROUP BY i.id, i.sha256, c.ancestor_id`
    : tx.$queryRaw<UsableImage[]>`
        SELECT i.id AS image_id, i.sha256, l.synset_id, l.model_verified_by_id IS NOT NULL AS model_verified
        FROM image_link l JOIN image i ON i.id = l.image_id
        WHERE l.synset_id = ANY(${synsetIds}) AND l.state::text = ANY(${states}) AND ${visible}`;
}

/** Groups usable images by class, leaving out images usable for several classes, then applies the cap. */
function pickImages(definition: DatasetDefinition, resolved: ResolvedClassSet, usable: UsableImage[]) {
  const shaOf = new Map<number, string>();
  const classesOf = new Map<number, number[]>();
  for (const row of usable) {
    shaOf.set(row.image_id, row.sha256);
    const list = classesOf.get(row.image_id);
    if (list) list.push(row.synset_id);
    else classesOf.set(row.image_id, [row.synset_id]);
  }
  let multiClass = 0;
  const single = new Map<number, number[]>(resolved.classes.map((c) => [c.synsetId, []]));
  for (const [imageId, synsets] of classesOf) {
    if (synsets.length > 1) multiClass++;
    else single.get(synsets[0] as number)?.push(imageId);
  }
  let capped = 0;
  const byClass = new Map<number, number[]>();
  const idOf = new Map([...shaOf].map(([id, sha]) => [sha, id]));
  for (const [synsetId, ids] of single) {
    const kept = capByRank(
      definition.seed,
      ids.map((id) => shaOf.get(id) as string),
      definition.maxPerClass,
    );
    capped += ids.length - kept.length;
    byClass.set(
      synsetId,
      kept.map((sha) => idOf.get(sha) as number).sort((a, b) => a - b),
    );
  }
  return { byClass, multiClass, capped, shaOf };
}

/** Near-duplicate pairs (sha256s) among the chosen images: a pHash band in common, then the exact distance. */
async function nearDuplicatePairs(tx: Tx, imageIds: number[]): Promise<Array<[string, string]>> {
  await tx.$executeRaw`CREATE TEMP TABLE freeze_image (id int PRIMARY KEY) ON COMMIT DROP`;
  await tx.$executeRaw`INSERT INTO freeze_image SELECT unnest(${imageIds}::int[])`;
  await tx.$executeRaw`ANALYZE freeze_image`;
  // One equi-join per band (hash joins), not an OR across bands (which degenerates into a nested loop).
  const nearDuplicate = isNearDuplicate("a", "b");
  const rows = await tx.$queryRaw<{ a: string; b: string }[]>`
    SELECT a.sha256 AS a, b.sha256 AS b FROM freeze_image fa JOIN image a ON a.id = fa.id
      JOIN image b ON b.phash_band0 = a.phash_band0 AND b.id > a.id JOIN freeze_image fb ON fb.id = b.id
      WHERE ${nearDuplicate}
    UNION
    SELECT a.sha256, b.sha256 FROM freeze_image fa JOIN image a ON a.id = fa.id
      JOIN image b ON b.phash_band1 = a.phash_band1 AND b.id > a.id JOIN freeze_image fb ON fb.id = b.id
      WHERE ${nearDuplicate}
    UNION
    SELECT a.sha256, b.sha256 FROM freeze_image fa JOIN image a ON a.id = fa.id
      JOIN image b ON b.phash_band2 = a.phash_band2 AND b.id > a.id JOIN freeze_image fb ON fb.id = b.id
      WHERE ${nearDuplicate}
    UNION
    SELECT a.sha256, b.sha256 FROM freeze_image fa JOIN image a ON a.id = fa.id
      JOIN image b ON b.phash_band3 = a.phash_band3 AND b.id > a.id JOIN freeze_image fb ON fb.id = b.id
      WHERE ${nearDuplicate}`;
  return rows.map((r) => [r.a, r.b]);
}

/**
 * Creates the dataset on first use (owned by the actor) and locks its row, so concurrent freezes number their
 * versions in turn. Returns its owner: the actor's id when it is new.
 */
async function lockDataset(tx: Tx, name: string, actor: Actor): Promise<{ id: number; createdById: number | null }> {
  const rows = await tx.$queryRaw<{ id: number; created_by_id: number | null }[]>`
    INSERT INTO dataset (name, created_by_id) VALUES (${name}, ${actor.id}::int)
    ON CONFLICT (name) DO UPDATE SET name = EXCLUDED.name
    RETURNING id, created_by_id`;
  const row = rows[0] as { id: number; created_by_id: number | null };
  return { id: row.id, createdById: row.created_by_id };
}
