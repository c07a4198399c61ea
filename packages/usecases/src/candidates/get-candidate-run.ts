import type { Db } from "@arbor/db";
import { notFound } from "../errors.ts";
import { failStaleCandidateRuns } from "../runs/stale-runs.ts";
import type { CandidateRunView } from "./candidate-schemas.ts";

/** What a run's view needs besides its row: the model's name and the synset's wnid and lemma. */
export const candidateRunInclude = {
  model: { select: { name: true } },
  synset: { select: { wnid: true, lemmas: true } },
} as const;

const findRun = (db: Db, id: number) => db.candidateRun.findUnique({ where: { id }, include: candidateRunInclude });
type RunRow = NonNullable<Awaited<ReturnType<typeof findRun>>>;

export function toCandidateRunView(run: RunRow): CandidateRunView {
  return {
    id: run.id,
    modelId: run.modelId,
    modelName: run.model.name,
    wnid: run.synset.wnid,
    lemma: run.synset.lemmas[0] ?? run.synset.wnid,
    subtree: run.subtree,
    minScore: run.minScore,
    topK: run.topK,
    status: run.status,
    total: run.total,
    processed: run.processed,
    proposed: run.proposed,
    error: run.error,
    createdAt: run.createdAt.toISOString(),
    startedAt: run.startedAt?.toISOString() ?? null,
    finishedAt: run.finishedAt?.toISOString() ?? null,
  };
}

/** A candidate run with its progress (a run whose worker died is marked failed first, so none shows as running). */
export async function getCandidateRun(db: Db, id: number): Promise<CandidateRunView> {
  await failStaleCandidateRuns(db);
  const run = await findRun(db, id);
  if (!run) throw notFound(`no candidate run ${id}`);
  return toCandidateRunView(run);
}
