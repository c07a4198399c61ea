import { ChallengeClasses } from "@arbor/core";
import type { Db } from "@arbor/db";
import type { JobQueue } from "@arbor/jobs";
import { conflict, invalid, parseInput } from "../errors.ts";
import type { Actor } from "../restrictions/viewer.ts";
import { readUploadedTruth } from "./add-phase.ts";
import { assertPhaseHost } from "./challenge-access.ts";
import { type ReviseTruthInput, reviseTruthSchema, type TruthRevised } from "./host-schemas.ts";
import { scoreSubmissionJob } from "./score-submission-job.ts";

const TRANSACTION = { maxWait: 30_000, timeout: 120_000 };

/**
 * The host corrects a phase's ground truth (also after the end: a wrong label found later is still wrong).
 * The file is parsed as add-phase parses an upload (`readUploadedTruth`), with the phase's class list: the
 * format the phase was made from (devkit for a devkit truth, else CSV `image_id,wnid`, keyed by the dataset
 * image ids for a phase made from a version's split); it must name exactly the images of the current revision
 * and, if a class list comes with it, the same classes in the same order. The new revision is stored beside
 * the old ones, and every counted submission already scored (or failed, or being scored) is queued and sent to
 * the scorer again, which records the revision it scored at; the boards show only the current revision's.
 */
export async function reviseTruth(
  services: { db: Db; jobs: JobQueue },
  phaseId: number,
  input: ReviseTruthInput,
  actor: Actor,
): Promise<TruthRevised> {
  const { db, jobs } = services;
  const p = parseInput(reviseTruthSchema, input);
  const phase = await assertPhaseHost(db, phaseId, actor);
  const expected = phase.truthPositional ? "devkit" : "csv";
  if (p.format !== expected) {
    const kind = phase.truthPositional ? "a devkit file (one class index per line)" : "CSV image_id,wnid";
    throw invalid(`format: phase ${phase.name}'s ground truth is ${kind}: send its revision as ${expected}`);
  }
  const classes = new ChallengeClasses(phase.classWnids, phase.classNames, phase.classesPublished);
  const truth = readUploadedTruth(p, { classes, field: "" });
  const differs = truth.classes.wnids.findIndex((w, i) => w !== classes.wnids[i]);
  if (truth.classes.size !== classes.size || differs >= 0) {
    const at = differs >= 0 ? differs : Math.min(truth.classes.size, classes.size);
    throw invalid(
      `classList: a revision keeps the phase's class list (${classes.size} classes); class ${at + 1} is ` +
        `${truth.classes.wnids[at] ?? "missing"}, the phase's is ${classes.wnids[at] ?? "none"}`,
    );
  }
  const current = await db.challengeTruth.findMany({
    where: { phaseId, revision: phase.truthRevision },
    select: { imageKey: true },
  });
  const currentKeys = new Set(current.map((r) => r.imageKey));
  const newKeys = new Set(truth.imageIds);
  const missing = current.find((r) => !newKeys.has(r.imageKey))?.imageKey;
  if (missing !== undefined) throw invalid(`text: image ${missing} of the current ground truth is missing`);
  const extra = truth.imageIds.find((id) => !currentKeys.has(id));
  if (extra !== undefined) throw invalid(`text: image ${extra} is not in the phase's ground truth`);

  const indexes = Array.from(truth.labels, (l) => l + 1);
  const { revision, requeued } = await db.$transaction(async (tx) => {
    // The phase's row, locked: two revisions at once get consecutive numbers, the second one over the first.
    const [locked] = await tx.$queryRaw<{ truth_revision: number }[]>`
      SELECT truth_revision FROM challenge_phase WHERE id = ${phaseId} FOR UPDATE`;
    if (!locked || locked.truth_revision !== phase.truthRevision)
      throw conflict(`phase ${phase.name}'s ground truth was revised meanwhile: check revision and send it again`);
    const next = locked.truth_revision + 1;
    await tx.$executeRaw`
      INSERT INTO challenge_truth (phase_id, revision, image_key, position, class_index)
      SELECT ${phaseId}, ${next}, k, ord::int, c FROM unnest(${[...truth.imageIds]}::text[], ${indexes}::int[])
        WITH ORDINALITY AS t(k, c, ord)`;
    await tx.challengePhase.update({ where: { id: phaseId }, data: { truthRevision: next } });
    // A submission being scored is queued too: its scorer's result, at the old revision, is then dropped.
    const rows = await tx.$queryRaw<{ id: number }[]>`
      UPDATE challenge_submission SET status = 'queued', failure_reason = NULL, updated_at = now(), queued_at = now()
      WHERE phase_id = ${phaseId} AND counted AND status IN ('scored', 'failed', 'scoring')
      RETURNING id`;
    return { revision: next, requeued: rows.map((r) => r.id).sort((a, b) => a - b) };
  }, TRANSACTION);
  // Sent after the commit, so each job finds its row queued and the phase at the new revision.
  for (const submissionId of requeued) await jobs.send(scoreSubmissionJob, { submissionId });
  return { revision, requeued: requeued.length };
}
