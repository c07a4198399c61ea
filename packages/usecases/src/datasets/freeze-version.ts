import { capByRank, type DatasetDefinition, nearDuplicateGroups, type Split, SplitAssigner } from "@arbor/core";
import { type Db, Prisma, type Tx } from "@arbor/db";
import { notReserved } from "../challenges/reserved-images-sql.ts";
import { unprocessable } from "../errors.ts";
import { isNearDuplicate } from "../images/near-duplicate-sql.ts";
import { retryOnConflict } from "../labelling/retry-on-conflict.ts";
import { assertMayChange } from "../restrictions/ownership.ts";
import { restrictImages } from "../restrictions/restrict-images.ts";
import type { Actor } from "../restrictions/viewer.ts";
import { visibleImage } from "../restrictions/visible-image-sql.ts";
import type { FreezeReport } from "./dataset-schemas.ts";
import { resolveClassSet } from "./resolve-class-set.ts";

export interface CreatedVersion {
  id: number;
  datasetId: number;
  name: string;
  number: number;
  classCount: number;
  imageCount: number;
  report: FreezeReport;
}

/** What a freeze is doing: a phase, and classes done of the classes it walks (null before it knows). */
export interface FreezeProgress {
  phase: "resolving" | "selecting" | "near-duplicates" | "assigning" | "writing";
  processed: number;
  total: number | null;
}

interface ChosenRow {
  id: number;
  sha256: string;
  model_verified: boolean;
}

/**
 * The freeze itself (createDatasetVersion and the freeze job both call it), in one REPEATABLE READ
 * transaction so labelling meanwhile cannot make the list inconsistent; the dataset row is locked so two
 * freezes of one dataset get consecutive numbers.
 *
 * Memory does not grow with the dataset: the usable (image, class) rows, the chosen images and their splits
 * live in temporary tables, and this process holds one class at a time (the ILSVRC-2012 preset at 1.28 M
 * images held every row at once before, several maps of 1.28 M sha256s), plus the near-duplicates, which are
 * few. The result is exactly the in-memory algorithm's (packages/core: capByRank, nearDuplicateGroups,
 * assignSplits), since SplitAssigner is assignSplits one class at a time and a group key only matters for an
 * image that has a near-duplicate.
 */
export async function freezeVersion(
  db: Db,
  definition: DatasetDefinition,
  actor: Actor,
  onProgress: (progress: FreezeProgress) => void = () => {},
): Promise<CreatedVersion> {
  return retryOnConflict(() =>
    db.$transaction((tx) => freezeIn(tx, definition, actor, onProgress), {
      isolationLevel: Prisma.TransactionIsolationLevel.RepeatableRead,
      timeout: 3_600_000,
      maxWait: 30_000,
    }),
  );
}

async function freezeIn(
  tx: Tx,
  definition: DatasetDefinition,
  actor: Actor,
  onProgress: (progress: FreezeProgress) => void,
): Promise<CreatedVersion> {
  onProgress({ phase: "resolving", processed: 0, total: null });
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

  const multiClass = await stageUsable(
    tx,
    definition,
    resolved.classes.map((c) => c.synsetId),
    actor,
  );
  // Each class's single-class images, capped in the seeded order; a class keeps its index when it has enough.
  await tx.$executeRaw`CREATE TEMP TABLE freeze_image (id int PRIMARY KEY, class_index int NOT NULL,
    sha256 text NOT NULL, model_verified boolean NOT NULL) ON COMMIT DROP`;
  const classes: typeof resolved.classes = [];
  let capped = 0;
  // What each class keeps follows from its count (capByRank keeps min(count, maxPerClass) images), so the
  // classes and their indexes are decided here; only a class over the cap passes its rows through this
  // process (the seeded rank is computed here), the others are copied inside PostgreSQL.
  const usableCounts = new Map(
    (
      await tx.$queryRaw<{ synset_id: number; n: number }[]>`
        SELECT synset_id, count(*)::int AS n FROM freeze_usable GROUP BY synset_id`
    ).map((r) => [r.synset_id, r.n]),
  );
  const sizes: number[] = [];
  const copied = { synsetIds: [] as number[], classIndexes: [] as number[] };
  const overCap: Array<{ synsetId: number; classIndex: number; n: number }> = [];
  for (const c of resolved.classes) {
    const n = usableCounts.get(c.synsetId) ?? 0;
    const kept = definition.maxPerClass === undefined ? n : Math.min(n, definition.maxPerClass);
    capped += n - kept;
    if (kept < definition.minPerClass) {
      resolved.droppedTooFew.push({ wnid: c.wnid, available: kept });
      continue;
    }
    if (kept < n) overCap.push({ synsetId: c.synsetId, classIndex: classes.length, n });
    else {
      copied.synsetIds.push(c.synsetId);
      copied.classIndexes.push(classes.length);
    }
    sizes.push(kept);
    classes.push(c);
  }
  onProgress({ phase: "selecting", processed: 0, total: overCap.length });
  await tx.$executeRaw`INSERT INTO freeze_image (id, class_index, sha256, model_verified)
    SELECT u.image_id, m.class_index, u.sha256, u.model_verified
    FROM freeze_usable u JOIN unnest(${copied.synsetIds}::int[], ${copied.classIndexes}::int[]) AS m(synset_id, class_index)
      ON m.synset_id = u.synset_id`;
  let done = 0;
  for (const batch of batches(overCap, (c) => c.n)) {
    onProgress({ phase: "selecting", processed: done, total: overCap.length });
    const rows = await tx.$queryRaw<Array<ChosenRow & { synset_id: number }>>`
      SELECT image_id AS id, sha256, model_verified, synset_id FROM freeze_usable
      WHERE synset_id = ANY(${batch.map((c) => c.synsetId)}::int[])`;
    const bySynset = new Map<number, ChosenRow[]>(batch.map((c) => [c.synsetId, []]));
    for (const row of rows) bySynset.get(row.synset_id)?.push(row);
    const chosen = {
      ids: [] as number[],
      classIndexes: [] as number[],
      shas: [] as string[],
      verified: [] as boolean[],
    };
    for (const c of batch) {
      const usable = bySynset.get(c.synsetId) ?? [];
      const kept = new Set(
        capByRank(
          definition.seed,
          usable.map((r) => r.sha256),
          definition.maxPerClass,
        ),
      );
      for (const r of usable) {
        if (!kept.has(r.sha256)) continue;
        chosen.ids.push(r.id);
        chosen.classIndexes.push(c.classIndex);
        chosen.shas.push(r.sha256);
        chosen.verified.push(r.model_verified);
      }
    }
    await tx.$executeRaw`INSERT INTO freeze_image (id, class_index, sha256, model_verified)
      SELECT * FROM unnest(${chosen.ids}::int[], ${chosen.classIndexes}::int[], ${chosen.shas}::text[],
        ${chosen.verified}::boolean[])`;
    done += batch.length;
  }
  if (classes.length === 0) throw unprocessable("no class has enough usable images", resolved);
  await tx.$executeRaw`CREATE INDEX ON freeze_image (class_index)`;
  await tx.$executeRaw`ANALYZE freeze_image`;

  onProgress({ phase: "near-duplicates", processed: 0, total: null });
  const pairs = await nearDuplicatePairs(tx);
  const members = [...new Set(pairs.flat())];
  const groupOf = nearDuplicateGroups(members, pairs);
  // Whole groups stay out of evaluation, so a model-verified image has no near-duplicate in val or test; the
  // split quotas are taken over the rest (the images people verified). An image without near-duplicates is
  // its own group.
  const trainOnlyGroups = new Set<string>();
  if (!definition.modelVerifiedInEval && members.length > 0) {
    const verified = await tx.$queryRaw<{ sha256: string }[]>`
      SELECT sha256 FROM freeze_image WHERE model_verified AND sha256 = ANY(${members}::text[])`;
    for (const { sha256 } of verified) trainOnlyGroups.add(groupOf.get(sha256) ?? sha256);
  }
  const mayEvaluate = (row: ChosenRow) => {
    if (definition.modelVerifiedInEval) return true;
    const key = groupOf.get(row.sha256);
    return key === undefined ? !row.model_verified : !trainOnlyGroups.has(key);
  };

  // Splits, class by class in index order (a group spanning classes is decided by the lower index).
  await tx.$executeRaw`CREATE TEMP TABLE freeze_split (id int PRIMARY KEY, split text NOT NULL) ON COMMIT DROP`;
  const assigner = new SplitAssigner(definition.splits, definition.seed, groupOf);
  const memberSplit = new Map<string, Split>();
  const counts = { train: 0, val: 0, test: 0 };
  const perClass: Array<{ classIndex: number; synsetId: number; train: number; val: number; test: number }> = [];
  let imageCount = 0;
  const indexes = classes.map((_, classIndex) => classIndex);
  for (const batch of batches(indexes, (classIndex) => sizes[classIndex] ?? 0)) {
    const first = batch[0] as number;
    const last = batch[batch.length - 1] as number;
    onProgress({ phase: "assigning", processed: first, total: classes.length });
    const rows = await tx.$queryRaw<Array<ChosenRow & { class_index: number }>>`
      SELECT id, sha256, model_verified, class_index FROM freeze_image
      WHERE class_index BETWEEN ${first} AND ${last} ORDER BY class_index, id`;
    const ids: number[] = [];
    const splits: Split[] = [];
    let at = 0;
    for (const classIndex of batch) {
      const start = at;
      while (at < rows.length && (rows[at] as { class_index: number }).class_index === classIndex) at++;
      const members = rows.slice(start, at);
      const splitOf = assigner.assignClass(members.filter(mayEvaluate).map((r) => r.sha256));
      const classCounts = { train: 0, val: 0, test: 0 };
      for (const r of members) {
        const split = splitOf.get(r.sha256) ?? "train";
        classCounts[split]++;
        if (groupOf.has(r.sha256)) memberSplit.set(r.sha256, split);
        // Only val and test are written back (a fifth of the rows, say): the rest is train.
        if (split !== "train") {
          ids.push(r.id);
          splits.push(split);
        }
      }
      for (const split of ["train", "val", "test"] as const) counts[split] += classCounts[split];
      imageCount += members.length;
      perClass.push({ classIndex, synsetId: (classes[classIndex] as { synsetId: number }).synsetId, ...classCounts });
    }
    await tx.$executeRaw`INSERT INTO freeze_split (id, split) SELECT * FROM unnest(${ids}::int[], ${splits}::text[])`;
  }

  onProgress({ phase: "writing", processed: 0, total: null });
  const leaks = pairs.filter(([a, b]) => memberSplit.get(a) !== memberSplit.get(b));
  const report: FreezeReport = {
    conflicts: resolved.conflicts,
    droppedForConflicts: resolved.droppedForConflicts,
    droppedTooFew: resolved.droppedTooFew,
    unknownWnids: resolved.unknownWnids,
    multiClassImages: multiClass,
    cappedImages: capped,
    nearDuplicateGroups: new Set([...groupOf.entries()].filter(([sha, key]) => sha !== key).map(([, key]) => key)).size,
    leakage: { pairs: leaks.length, examples: leaks.slice(0, 20).map(([a, b]) => ({ a, b })) },
    counts,
  };
  const number = (await tx.datasetVersion.count({ where: { datasetId: dataset.id } })) + 1;
  const version = await tx.datasetVersion.create({
    data: {
      datasetId: dataset.id,
      number,
      definition: definition as unknown as Prisma.InputJsonValue,
      report: report as unknown as Prisma.InputJsonValue,
      classCount: classes.length,
      imageCount,
      createdById: actor.id,
    },
    select: { id: true },
  });
  await tx.datasetClass.createMany({ data: perClass.map((c) => ({ versionId: version.id, ...c })) });
  // One statement inside PostgreSQL: the membership rows never pass through this process. In image order, so
  // the primary key (version_id, image_id) and the image_id index grow at their right edge.
  await tx.$executeRaw`
    INSERT INTO dataset_item (version_id, image_id, class_index, split)
    SELECT ${version.id}, f.id, f.class_index, coalesce(s.split, 'train')::"DatasetSplit"
    FROM freeze_image f LEFT JOIN freeze_split s ON s.id = f.id
    ORDER BY f.id`;
  await restrictImages(tx, { versionId: version.id, splits: definition.withholdLabels, reason: "definition" });
  return {
    id: version.id,
    datasetId: dataset.id,
    name: definition.name,
    number,
    classCount: classes.length,
    imageCount,
    report,
  };
}

/**
 * Rows per round trip of the class walks: classes are taken a batch at a time (~50,000 rows, a few MB),
 * since one query per class cost ~5 ms each inside the transaction (1000 classes: 20 s of round trips at
 * 1000 images, helper-measured), and whole classes, since capping and splitting work per class.
 */
const BATCH_ROWS = 50_000;

function* batches<T>(items: readonly T[], rowsOf: (item: T) => number): Generator<T[]> {
  let batch: T[] = [];
  let rows = 0;
  for (const item of items) {
    batch.push(item);
    rows += rowsOf(item);
    if (rows >= BATCH_ROWS) {
      yield batch;
      batch = [];
      rows = 0;
    }
  }
  if (batch.length > 0) yield batch;
}

/**
 * Stages each usable (image, class) row in `freeze_usable`, then removes the images usable for several classes
 * (a version gives each image one label) and returns how many there were. With includeDescendants, an image
 * linked below a class counts for it, and is model-verified only if all of those links are. Images
 * restricted for the actor are left out, and so are images a challenge phase reserves (its hidden split,
 * until released) whoever the actor is.
 */
async function stageUsable(tx: Tx, definition: DatasetDefinition, synsetIds: number[], actor: Actor): Promise<number> {
  const states = definition.links === "verified" ? ["verified"] : ["verified", "candidate"];
  const visible = Prisma.sql`${visibleImage("l.image_id", actor)} AND ${notReserved("l.image_id")}`;
  const select = definition.includeDescendants
    ? Prisma.sql`
        SELECT i.id AS image_id, i.sha256, c.ancestor_id AS synset_id,
               bool_and(l.model_verified_by_id IS NOT NULL) AS model_verified
        FROM synset_closure c
        JOIN image_link l ON l.synset_id = c.descendant_id JOIN image i ON i.id = l.image_id
        WHERE c.ancestor_id = ANY(${synsetIds}) AND l.state::text = ANY(${states}) AND ${visible}
        GROUP BY i.id, i.sha256, c.ancestor_id`
    : Prisma.sql`
        SELECT i.id AS image_id, i.sha256, l.synset_id, l.model_verified_by_id IS NOT NULL AS model_verified
        FROM image_link l JOIN image i ON i.id = l.image_id
        WHERE l.synset_id = ANY(${synsetIds}) AND l.state::text = ANY(${states}) AND ${visible}`;
  await tx.$executeRaw`CREATE TEMP TABLE freeze_usable (image_id int NOT NULL, sha256 text NOT NULL,
    synset_id int NOT NULL, model_verified boolean NOT NULL) ON COMMIT DROP`;
  await tx.$executeRaw`INSERT INTO freeze_usable (image_id, sha256, synset_id, model_verified) ${select}`;
  const [multi] = await tx.$queryRaw<{ n: number }[]>`
    WITH multi AS (SELECT image_id FROM freeze_usable GROUP BY image_id HAVING count(*) > 1),
      gone AS (DELETE FROM freeze_usable u USING multi m WHERE u.image_id = m.image_id)
    SELECT count(*)::int AS n FROM multi`;
  await tx.$executeRaw`CREATE INDEX ON freeze_usable (synset_id)`;
  await tx.$executeRaw`ANALYZE freeze_usable`;
  return multi?.n ?? 0;
}

/**
 * Near-duplicate pairs (sha256s) among the chosen images: a pHash band in common, then the exact distance.
 * Both sides come from one staged copy of the chosen images' hashes, so neither side of a band join ranges
 * over images outside the version (the whole image table, candidates included, before). With uniform pHashes
 * a 16-bit band puts n²/2¹⁷ pairs in common: 12.5 M per band at 1.28 M images, which bounds this phase.
 */
async function nearDuplicatePairs(tx: Tx): Promise<Array<[string, string]>> {
  await tx.$executeRaw`CREATE TEMP TABLE freeze_phash ON COMMIT DROP AS
    SELECT f.id, f.sha256, i.phash, i.phash_band0, i.phash_band1, i.phash_band2, i.phash_band3
    FROM freeze_image f JOIN image i ON i.id = f.id`;
  await tx.$executeRaw`ANALYZE freeze_phash`;
  // One equi-join per band (hash joins), not an OR across bands (which degenerates into a nested loop).
  const nearDuplicate = isNearDuplicate("a", "b");
  const rows = await tx.$queryRaw<{ a: string; b: string }[]>`
    SELECT a.sha256 AS a, b.sha256 AS b FROM freeze_phash a
      JOIN freeze_phash b ON b.phash_band0 = a.phash_band0 AND b.id > a.id WHERE ${nearDuplicate}
    UNION
    SELECT a.sha256, b.sha256 FROM freeze_phash a
      JOIN freeze_phash b ON b.phash_band1 = a.phash_band1 AND b.id > a.id WHERE ${nearDuplicate}
    UNION
    SELECT a.sha256, b.sha256 FROM freeze_phash a
      JOIN freeze_phash b ON b.phash_band2 = a.phash_band2 AND b.id > a.id WHERE ${nearDuplicate}
    UNION
    SELECT a.sha256, b.sha256 FROM freeze_phash a
      JOIN freeze_phash b ON b.phash_band3 = a.phash_band3 AND b.id > a.id WHERE ${nearDuplicate}`;
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
