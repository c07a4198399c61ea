import type { Db } from "@arbor/db";
import type { JobQueue } from "@arbor/jobs";
import { forbidden, invalid, parseInput, unprocessable } from "../errors.ts";
import type { RunStarted } from "../ingest/ingest-schemas.ts";
import { type Actor, isAdmin } from "../restrictions/viewer.ts";
import { type StartCandidateRunInput, startCandidateRunSchema } from "./candidate-schemas.ts";
import { proposeCandidatesJob } from "./propose-candidates-job.ts";

/**
 * Records a candidate run, queued, after checking what it asks for: admins only (proposing candidates puts
 * images into labelling, which admins curate); the model and the synset must exist, minScore or topK (or
 * both) must be given, and the model must have a prediction for the synset or a synset below it (else the
 * run could propose nothing: the wnid or the model is most likely the wrong one). Does not run it: the CLI
 * executes it in-process, `startCandidateRun` queues it for a worker.
 */
export async function createCandidateRun(db: Db, input: StartCandidateRunInput, actor: Actor): Promise<RunStarted> {
  if (!isAdmin(actor)) throw forbidden("only admins may propose candidates from a model");
  const request = parseInput(startCandidateRunSchema, input);
  if (request.minScore === undefined && request.topK === undefined) {
    throw invalid("give minScore (0 to 1), topK (1 to 100) or both: which predictions make a candidate");
  }
  const [model, synset] = await Promise.all([
    db.model.findUnique({ where: { id: request.modelId }, select: { id: true } }),
    db.synset.findUnique({ where: { wnid: request.wnid }, select: { id: true } }),
  ]);
  if (!model) throw invalid(`no model ${request.modelId}`);
  if (!synset) throw invalid(`no synset ${request.wnid}`);
  // One probe of prediction's (synset_id, model_id, score) index per synset of the subtree.
  const [predicted] = await db.$queryRaw<{ any: boolean }[]>`
    SELECT EXISTS (
      SELECT 1 FROM synset_closure c JOIN prediction p ON p.synset_id = c.descendant_id AND p.model_id = ${model.id}
      WHERE c.ancestor_id = ${synset.id}) AS any`;
  if (!predicted?.any) {
    throw unprocessable(`model ${model.id} has no prediction for ${request.wnid} or any synset below it`);
  }
  const run = await db.candidateRun.create({
    data: {
      modelId: model.id,
      synsetId: synset.id,
      subtree: request.subtree,
      minScore: request.minScore ?? null,
      topK: request.topK ?? null,
      createdById: actor.id,
    },
    select: { id: true },
  });
  return { runId: run.id };
}

/** Records a candidate run and queues it for a worker: the request that starts it returns at once. */
export async function startCandidateRun(
  services: { db: Db; jobs: JobQueue },
  input: StartCandidateRunInput,
  actor: Actor,
): Promise<RunStarted> {
  const started = await createCandidateRun(services.db, input, actor);
  await services.jobs.send(proposeCandidatesJob, { runId: started.runId });
  return started;
}
