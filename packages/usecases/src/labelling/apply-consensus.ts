import { type Db, Prisma, type Tx } from "@arbor/db";
import { retryOnConflict } from "./retry-on-conflict.ts";
import { updateConsensus } from "./update-consensus.ts";

/**
 * Most consensus steps take milliseconds; the one that completes a model's calibration set also calibrates the
 * campaign and decides every pending image again with its prior (a few thousand rows), so it may take longer
 * than Prisma's default 5 s on a busy machine.
 */
export const CONSENSUS_TRANSACTION = { maxWait: 10_000, timeout: 60_000 };

/** A due item older than this is the sweep's: its own answer's consensus step failed or is stuck. */
export const SWEEP_AFTER_SECONDS = 5;

/** Other answers' due items a consensus step decides with its own, at most (about ten tasks' worth). */
const COALESCE_LIMIT = 120;

/** Items a sweep takes per campaign and transaction (a few tasks' worth: one short transaction each). */
const SWEEP_BATCH = 200;

/**
 * The consensus step after an answer, whose transaction marked the items it counted votes for in
 * consensus_due after locking their rows (issue 14: out of the answer's transaction, so the answer holds its item
 * rows for a few statements instead of the whole estimate): of `imageIds`, those still due are locked in
 * image id order (the order answers lock them in), decided with every vote committed so far
 * (updateConsensus, which also builds the seed's table and calibrates when due) and unmarked, in one
 * transaction. A step that fails leaves its marks, and the sweep decides them later; one that finds nothing
 * due (another step got there first, with these votes) does nothing. The mark is deleted under the item's row
 * lock after the votes were read: an answer that commits later marks the item again, so none is lost. Returns how many items it decided on.
 */
export async function applyDueConsensus(db: Db, campaignId: number, imageIds: readonly number[]): Promise<number> {
  if (imageIds.length === 0) return 0;
  return retryOnConflict(() =>
    db.$transaction(async (tx) => {
      const mine = await lockDue(tx, campaignId, Prisma.sql`d.image_id = ANY(${[...imageIds]}::int[])`);
      if (mine.length === 0) return 0;
      // Other answers' due items that no step holds (SKIP LOCKED: never waits, so no deadlock) join this one:
      // every decision updates the same synset count rows, so under load one step deciding many answers'
      // items beats each answer queueing for them; the others' own steps then find nothing due.
      const others = await lockDue(tx, campaignId, Prisma.sql`NOT d.image_id = ANY(${mine}::int[])`, {
        skipLocked: true,
        limit: COALESCE_LIMIT,
      });
      const due = [...mine, ...others];
      await updateConsensus(tx, campaignId, due);
      await unmark(tx, campaignId, due);
      return due.length;
    }, CONSENSUS_TRANSACTION),
  );
}

/**
 * Decides what answers left due and no consensus step took: marks older than SWEEP_AFTER_SECONDS (their
 * step failed or its process died), in batches, each its own transaction. Run when `tasks/next` finds
 * nothing for someone, when a campaign is read, and by the answers themselves now and then (sweepIfDue), so a
 * busy campaign is swept too. Returns how many items it decided on.
 */
export async function sweepDueConsensus(db: Db, olderThanSeconds = SWEEP_AFTER_SECONDS): Promise<number> {
  const campaigns = await db.$queryRaw<{ campaign_id: number }[]>`
    SELECT DISTINCT campaign_id FROM consensus_due
    WHERE since < now() - make_interval(secs => ${olderThanSeconds}::float8)`;
  let swept = 0;
  for (const { campaign_id: campaignId } of campaigns) {
    for (;;) {
      const done = await retryOnConflict(() =>
        db.$transaction(async (tx) => {
          // SKIP LOCKED: an item some consensus step holds right now is that step's; the sweep takes the rest.
          const due = await lockDue(
            tx,
            campaignId,
            Prisma.sql`d.since < now() - make_interval(secs => ${olderThanSeconds}::float8)`,
            { skipLocked: true, limit: SWEEP_BATCH },
          );
          if (due.length === 0) return 0;
          await updateConsensus(tx, campaignId, due);
          await unmark(tx, campaignId, due);
          return due.length;
        }, CONSENSUS_TRANSACTION),
      );
      swept += done;
      if (done < SWEEP_BATCH) break;
    }
  }
  return swept;
}

let lastSweep = 0;

/**
 * The sweep, at most once per SWEEP_AFTER_SECONDS per process: called after every answer, so marks left by a
 * failed step are decided within seconds even while annotators keep answering (and nothing else runs it).
 */
export async function sweepIfDue(db: Db): Promise<number> {
  const now = Date.now();
  if (now - lastSweep < SWEEP_AFTER_SECONDS * 1000) return 0;
  lastSweep = now;
  return sweepDueConsensus(db);
}

/** Locks the campaign's due items that match `where` (and their item rows) in image id order; their ids. */
async function lockDue(
  tx: Tx,
  campaignId: number,
  where: Prisma.Sql,
  options: { skipLocked?: boolean; limit?: number } = {},
): Promise<number[]> {
  const rows = await tx.$queryRaw<{ image_id: number }[]>`
    SELECT i.image_id FROM consensus_due d
    JOIN campaign_item i ON i.campaign_id = d.campaign_id AND i.image_id = d.image_id
    WHERE d.campaign_id = ${campaignId} AND ${where}
    ORDER BY i.image_id
    ${options.limit ? Prisma.sql`LIMIT ${options.limit}` : Prisma.empty}
    FOR UPDATE OF i ${options.skipLocked ? Prisma.raw("SKIP LOCKED") : Prisma.empty}`;
  return rows.map((r) => r.image_id);
}

async function unmark(tx: Tx, campaignId: number, imageIds: readonly number[]): Promise<void> {
  await tx.$executeRaw`
    DELETE FROM consensus_due WHERE campaign_id = ${campaignId} AND image_id = ANY(${[...imageIds]}::int[])`;
}
