import { ChallengeClasses, ChallengeTruth, HierarchyCosts, type ScoringHierarchy } from "@arbor/core";
import type { DbOrTx } from "@arbor/db";

/** What scoring and validating need of a phase (the columns `loadPhaseTruth` reads). */
export interface PhaseTruthColumns {
  id: number;
  truthRevision: number;
  truthPositional: boolean;
  classWnids: string[];
  classNames: string[];
  classesPublished: boolean;
  hierarchy: unknown;
}

export interface PhaseTruth {
  truth: ChallengeTruth;
  costs: HierarchyCosts | null;
}

/** Parsed ground truths by phase and revision: a revision never changes, so they are kept (a few). */
const cache = new Map<string, Promise<PhaseTruth>>();
const CACHED = 4;

/** A phase's ground truth (current revision) and hierarchical costs, as core's scorer takes them. */
export function loadPhaseTruth(db: DbOrTx, phase: PhaseTruthColumns): Promise<PhaseTruth> {
  const key = `${phase.id}:${phase.truthRevision}`;
  let loaded = cache.get(key);
  if (!loaded) {
    loaded = readPhaseTruth(db, phase);
    loaded.catch(() => cache.delete(key));
    cache.set(key, loaded);
    while (cache.size > CACHED) cache.delete(cache.keys().next().value as string);
  }
  return loaded;
}

async function readPhaseTruth(db: DbOrTx, phase: PhaseTruthColumns): Promise<PhaseTruth> {
  const rows = await db.challengeTruth.findMany({
    where: { phaseId: phase.id, revision: phase.truthRevision },
    select: { imageKey: true, classIndex: true },
    orderBy: { position: "asc" },
  });
  const classes = new ChallengeClasses(phase.classWnids, phase.classNames, phase.classesPublished);
  const labels = Int32Array.from(rows, (r) => r.classIndex - 1);
  const truth = new ChallengeTruth(classes, labels, phase.truthPositional ? null : rows.map((r) => r.imageKey));
  const costs = phase.hierarchy ? new HierarchyCosts(phase.hierarchy as ScoringHierarchy, classes) : null;
  return { truth, costs };
}
