import type { Db } from "@arbor/db";
import { notReserved } from "../challenges/reserved-images-sql.ts";
import { applyNewLinkCounts } from "../image-links/apply-new-link-counts.ts";
import { candidateRunHeartbeat, startHeartbeat } from "../runs/stale-runs.ts";

export interface CandidateProgress {
  /** Synsets done, of `total`. */
  processed: number;
  total: number;
  /** Candidate links made so far. */
  proposed: number;
}

/**
 * Images linked per transaction: each locks its images' rows (as every link writer does, so concurrent writers
 * of one image serialise), and 2000 keeps a transaction well under a second on a laptop.
 */
const CHUNK = 2000;

interface Candidate {
  image_id: number;
  score: number;
}

/**
 * Runs a candidate run to the end. Its target synsets: the run's synset, or with `subtree` every synset under
 * it (itself included) that the model has predictions for — a synset the model never predicts would only
 * collect its descendants' images a second time, one level up. For each target, an image becomes a candidate
 * link (state candidate, originModelId and originScore: its highest score for the target or a descendant)
 * when one of its predictions for the target or a descendant has a score of at least minScore, or ranks within
 * the image's top k among all the model's predictions for it (rank = 1 + the number of its predictions scored
 * higher, so ties share a rank). Any prediction counts, in-sample ones too: an image of the model's training
 * split is already linked, and left as it is.
 *
 * Left out: images already linked to the target (any state: a verified or rejected link stays; ON CONFLICT DO
 * NOTHING also covers a link made meanwhile), restricted images (image_restriction: a split whose labels are
 * withheld) and images a challenge reserves — a model must not be a way to put hidden test images into
 * labelling. Synset counts stay exact (applyNewLinkCounts). Safe to run again: nothing is proposed twice.
 *
 * Marks the run running, stamps its heartbeat every few seconds (the stale-run sweep fails a run whose process
 * died), records progress per synset, and ends succeeded, or failed with the error's message.
 */
export async function executeCandidateRun(
  services: { db: Db },
  runId: number,
  onProgress: (progress: CandidateProgress) => void = () => {},
): Promise<void> {
  const { db } = services;
  const run = await db.candidateRun.update({
    where: { id: runId },
    data: {
      status: "running",
      startedAt: new Date(),
      finishedAt: null,
      error: null,
      total: null,
      processed: 0,
      proposed: 0,
    },
  });
  let heartbeat: { stop(): void } | undefined;
  try {
    heartbeat = await startHeartbeat(candidateRunHeartbeat(db, runId));
    const targets = run.subtree
      ? (
          await db.$queryRaw<{ id: number }[]>`
            SELECT c.descendant_id AS id FROM synset_closure c
            WHERE c.ancestor_id = ${run.synsetId}
              AND EXISTS (SELECT 1 FROM prediction p WHERE p.synset_id = c.descendant_id AND p.model_id = ${run.modelId})
            ORDER BY c.distance, c.descendant_id`
        ).map((r) => r.id)
      : [run.synsetId];
    const progress: CandidateProgress = { processed: 0, total: targets.length, proposed: 0 };
    await db.candidateRun.update({ where: { id: runId }, data: { total: targets.length } });
    onProgress({ ...progress });
    for (const synsetId of targets) {
      const candidates = await candidatesFor(db, run, synsetId);
      for (let start = 0; start < candidates.length; start += CHUNK) {
        const made = await linkCandidates(db, run.modelId, synsetId, candidates.slice(start, start + CHUNK));
        progress.proposed += made;
        await db.candidateRun.update({ where: { id: runId }, data: { proposed: { increment: made } } });
      }
      progress.processed += 1;
      await db.candidateRun.update({ where: { id: runId }, data: { processed: { increment: 1 } } });
      onProgress({ ...progress });
    }
    await db.candidateRun.update({
      where: { id: runId },
      // error: null in case a sweep took this run for dead while it was only slow to beat; it did finish.
      data: { status: "succeeded", finishedAt: new Date(), error: null },
    });
  } catch (error) {
    await db.candidateRun.update({
      where: { id: runId },
      data: { status: "failed", finishedAt: new Date(), error: (error as Error).message },
    });
  } finally {
    heartbeat?.stop();
  }
}

/**
 * The images a target synset gets, with their origin score. Predictions are reached through prediction's
 * (synset_id, model_id, score) index, one synset of the target's subtree at a time; an image's rank is a
 * count over its own predictions by the primary key (model_id, image_id, …): a model stores its top-k per
 * image, so that is a handful of rows. The score threshold compares as `real`, the column's type: 0.7 stored
 * as real is 0.69999999, below the float8 0.7.
 */
async function candidatesFor(
  db: Db,
  run: { modelId: number; minScore: number | null; topK: number | null },
  synsetId: number,
): Promise<Candidate[]> {
  const { modelId, minScore, topK } = run;
  return db.$queryRaw<Candidate[]>`
    WITH scored AS (
      SELECT p.image_id, p.score,
        CASE WHEN ${topK}::int IS NULL THEN NULL ELSE 1 + (
          SELECT count(*) FROM prediction q
          WHERE q.model_id = ${modelId} AND q.image_id = p.image_id AND q.score > p.score) END AS rank
      FROM synset_closure c JOIN prediction p ON p.synset_id = c.descendant_id AND p.model_id = ${modelId}
      WHERE c.ancestor_id = ${synsetId})
    SELECT s.image_id, max(s.score)::float8 AS score FROM scored s
    WHERE (s.score >= ${minScore}::real OR s.rank <= ${topK}::int)
      AND NOT EXISTS (SELECT 1 FROM image_restriction r WHERE r.image_id = s.image_id)
      AND ${notReserved("s.image_id")}
      AND NOT EXISTS (SELECT 1 FROM image_link l WHERE l.image_id = s.image_id AND l.synset_id = ${synsetId})
    GROUP BY s.image_id
    ORDER BY s.image_id`;
}

/** Links a chunk of images to the synset as candidates with their origin; returns how many links it made. */
async function linkCandidates(db: Db, modelId: number, synsetId: number, chunk: Candidate[]): Promise<number> {
  if (chunk.length === 0) return 0;
  return db.$transaction(async (tx) => {
    const imageIds = chunk.map((c) => c.image_id);
    await tx.$executeRaw`SELECT 1 FROM image WHERE id = ANY(${imageIds}::int[]) ORDER BY id FOR UPDATE`;
    const links = await tx.$queryRaw<{ image_id: number }[]>`
      INSERT INTO image_link (image_id, synset_id, state, origin_model_id, origin_score)
      SELECT t.image_id, ${synsetId}, 'candidate', ${modelId}, t.score
      FROM unnest(${imageIds}::int[], ${chunk.map((c) => c.score)}::real[]) AS t(image_id, score)
      ON CONFLICT (image_id, synset_id) DO NOTHING
      RETURNING image_id`;
    await applyNewLinkCounts(
      tx,
      links.map((l) => ({ imageId: l.image_id, synsetId, state: "candidate" as const })),
    );
    return links.length;
  });
}
