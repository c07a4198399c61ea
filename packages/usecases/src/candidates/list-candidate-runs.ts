import type { Db } from "@arbor/db";
import { failStaleCandidateRuns } from "../runs/stale-runs.ts";
import type { CandidateRunView } from "./candidate-schemas.ts";
import { candidateRunInclude, toCandidateRunView } from "./get-candidate-run.ts";

/** Recent candidate runs, newest first (dead runs marked failed first). */
export async function listCandidateRuns(db: Db, limit = 50): Promise<CandidateRunView[]> {
  await failStaleCandidateRuns(db);
  const runs = await db.candidateRun.findMany({
    orderBy: { id: "desc" },
    take: limit,
    include: candidateRunInclude,
  });
  return runs.map(toCandidateRunView);
}
