import { randomBytes } from "node:crypto";
import {
  buildScoringHierarchy,
  ChallengeClasses,
  ChallengeFileError,
  ChallengeTruth,
  parseClassList,
  parseIsAEdges,
  parseTruth,
  type ScoringHierarchy,
  scoringHierarchyFingerprint,
} from "@arbor/core";
import type { Db, Prisma } from "@arbor/db";
import { invalid, notFound, parseInput, unprocessable } from "../errors.ts";
import { assertMayChange } from "../restrictions/ownership.ts";
import { restrictImages } from "../restrictions/restrict-images.ts";
import type { Actor } from "../restrictions/viewer.ts";
import { type AddPhaseInput, addPhaseSchema, type PhaseAdded } from "./challenge-schemas.ts";

const TRANSACTION = { maxWait: 30_000, timeout: 120_000 };

/**
 * Adds a phase to a challenge (its owner or an admin), with its ground truth: a dataset version's split (the
 * items' classes are copied; the split is restricted, so its labels are hidden from everyone but the
 * version's owner and admins) or an uploaded file parsed by core (devkit + class list, or CSV). The class
 * list is stored in its published order, the hierarchy (optional is-a edges) trimmed and fingerprinted.
 */
export async function addPhase(db: Db, input: AddPhaseInput, actor: Actor): Promise<PhaseAdded> {
  const p = parseInput(addPhaseSchema, input);
  const challenge = await db.challenge.findUnique({ where: { id: p.challengeId }, select: { ownerId: true } });
  if (!challenge) throw notFound(`no challenge ${p.challengeId}`);
  assertMayChange(actor, challenge.ownerId, `challenge ${p.challengeId}`);
  const truth = p.truth.kind === "upload" ? readUploadedTruth(p.truth) : await readVersionTruth(db, p.truth, actor);
  let hierarchy: ScoringHierarchy | null = null;
  if (p.isA !== undefined)
    hierarchy = fileStep("isA", () => buildScoringHierarchy(parseIsAEdges(p.isA as string), truth.classes));
  const exists = await db.challengePhase.findUnique({
    where: { challengeId_name: { challengeId: p.challengeId, name: p.name } },
    select: { id: true },
  });
  if (exists) throw invalid(`challenge ${p.challengeId} already has a phase named ${JSON.stringify(p.name)}`);
  const { classes } = truth;
  return db.$transaction(async (tx) => {
    const phase = await tx.challengePhase.create({
      data: {
        challengeId: p.challengeId,
        name: p.name,
        startsAt: p.startsAt,
        endsAt: p.endsAt,
        dailyQuota: p.dailyQuota,
        totalQuota: p.totalQuota,
        failureDailyCap: p.failureDailyCap,
        leaderboard: p.leaderboard,
        publicFraction: p.publicFraction,
        publicSeed: p.publicSeed ?? randomBytes(16).toString("hex"),
        classWnids: [...classes.wnids],
        classNames: [...classes.names],
        classesPublished: classes.published,
        hierarchy: (hierarchy ?? undefined) as Prisma.InputJsonValue | undefined,
        hierarchyFingerprint: hierarchy ? scoringHierarchyFingerprint(hierarchy) : null,
        truthSource: p.truth.kind,
        datasetVersionId: p.truth.kind === "version" ? p.truth.versionId : null,
        split: p.truth.kind === "version" ? p.truth.split : null,
        truthPositional: truth.positional,
      },
      select: { id: true },
    });
    const keys = truth.imageIds;
    const indexes = Array.from(truth.labels, (l) => l + 1);
    await tx.$executeRaw`
      INSERT INTO challenge_truth (phase_id, revision, image_key, position, class_index)
      SELECT ${phase.id}, 1, k, ord::int, c FROM unnest(${[...keys]}::text[], ${indexes}::int[])
        WITH ORDINALITY AS t(k, c, ord)`;
    const restricted =
      p.truth.kind === "version"
        ? await restrictImages(tx, { versionId: p.truth.versionId, splits: [p.truth.split], reason: "challenge" })
        : 0;
    return {
      id: phase.id,
      images: truth.size,
      classes: classes.size,
      hierarchyFingerprint: hierarchy ? scoringHierarchyFingerprint(hierarchy) : null,
      restrictedImages: restricted,
    };
  }, TRANSACTION);
}

/** Runs a core parser; its ChallengeFileError becomes an `invalid` naming the field and every problem. */
export function fileStep<T>(field: string, parse: () => T): T {
  try {
    return parse();
  } catch (error) {
    if (error instanceof ChallengeFileError)
      throw invalid(`${field}: ${error.message}`, { problems: error.problems, problemCount: error.problemCount });
    throw error;
  }
}

/**
 * An uploaded ground truth (devkit or CSV) parsed by core. The one parse of a truth file: a phase's first
 * truth here, its revisions in `reviseTruth` (which passes the phase's own `classes` when no class list
 * comes with the file, and `field` "" for its top-level fields).
 */
export function readUploadedTruth(
  t: { text: string; format: "devkit" | "csv"; classList?: string | undefined },
  options: { classes?: ChallengeClasses; field?: string } = {},
): ChallengeTruth {
  const field = options.field ?? "truth.";
  if (t.format === "devkit" && t.classList === undefined && options.classes === undefined)
    throw invalid(
      `${field}classList: a devkit ground truth needs its class list (wnid index name, e.g. map_clsloc.txt)`,
    );
  const classes =
    t.classList === undefined
      ? options.classes
      : fileStep(`${field}classList`, () => parseClassList(t.classList as string));
  return fileStep(`${field}text`, () => parseTruth(t.text, t.format, classes));
}

async function readVersionTruth(
  db: Db,
  t: { versionId: number; split: "train" | "val" | "test"; classList?: string | undefined },
  actor: Actor,
): Promise<ChallengeTruth> {
  const version = await db.datasetVersion.findUnique({
    where: { id: t.versionId },
    select: {
      createdById: true,
      classes: { select: { classIndex: true, synset: { select: { wnid: true } } }, orderBy: { classIndex: "asc" } },
    },
  });
  if (!version) throw notFound(`no dataset version ${t.versionId}`);
  // Copying a split's labels into a challenge is reading them: only the version's owner or an admin may.
  assertMayChange(actor, version.createdById, `dataset version ${t.versionId}`);
  const versionWnids = version.classes.map((c) => c.synset.wnid);
  let classes: ChallengeClasses;
  if (t.classList === undefined) classes = new ChallengeClasses(versionWnids);
  else {
    classes = fileStep("truth.classList", () => parseClassList(t.classList as string));
    const unknown = versionWnids.filter((w) => classes.positionOf(w) < 0);
    if (unknown.length > 0)
      throw unprocessable(
        `truth.classList: ${unknown.length} of the version's classes are not in it (${unknown.slice(0, 5).join(", ")})`,
      );
  }
  const positionOfVersionClass = new Map(version.classes.map((c) => [c.classIndex, classes.positionOf(c.synset.wnid)]));
  const items = await db.datasetItem.findMany({
    where: { versionId: t.versionId, split: t.split },
    select: { imageId: true, classIndex: true },
    orderBy: { imageId: "asc" },
  });
  if (items.length === 0) throw unprocessable(`dataset version ${t.versionId} has no ${t.split} images`);
  const labels = Int32Array.from(items, (i) => positionOfVersionClass.get(i.classIndex) as number);
  return new ChallengeTruth(
    classes,
    labels,
    items.map((i) => String(i.imageId)),
  );
}
