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

/** Other answers' due items a consensus step decides with its own, at most (about twenty tasks' worth). */
const COALESCE_LIMIT = 240;

/**
 * Rounds one answer's request drains at most while others keep marking items: under steady load another
 * request's step takes the lock next; only the sweep is left for what a burst's end leaves.
 */
const MAX_ROUNDS = 8;

/**
 * Time after which the holder starts no further round. On a saturated machine a round took up to ~1 s, so
 * eight of them made the answer that held the lock wait 9–12 s (bench:labelling's p99 at 64 annotators,
 * 2026-12-02) while it decided everyone else's items; the next answer's step takes what is left.
 */
const ROUNDS_BUDGET_MS = 100;

/**
 * The consensus lock's first key: "cons" in ASCII; the second is the campaign id. One step per campaign
 * at a time: every step updates the same synset_count rows (the synset and each ancestor), so concurrent
 * steps ran one after another anyway, each holding its items' rows (and a pool connection) while it waited,
 * with the answers on those items queued behind it: sampling pg_stat_activity at 16 and 64 annotators
 * (issue 14), 2.0 backends on average waited for another step's item rows and 1.1 answers for item rows.
 */
const CONSENSUS_LOCK_CLASS = 0x636f6e73;

/** Items a sweep takes per campaign and transaction (a few tasks' worth: one short transaction each). */
const SWEEP_BATCH = 200;

/**
 * The consensus step after an answer, whose transaction marked the items it counted votes for in
 * consensus_due after locking their rows (issue 14: out of the answer's transaction, so the answer holds its item
 * rows for a few statements instead of the whole estimate). At most one step per campaign runs at a time
 * (a transaction-level advisory try-lock): a step that finds it held returns at once, and the holder decides
 * its items, because the holder runs rounds until nothing is due: after each commit it tries again, and
 * the marks of any step that found the lock held were committed before it tried, so the next round sees
 * them. It stops sooner after MAX_ROUNDS or ROUNDS_BUDGET_MS; what is left then is the next answer's step's
 * (under load one comes at once) or the sweep's. A round locks (SKIP LOCKED: never waits) the due items, `imageIds` first, then others' up to
 * COALESCE_LIMIT, in image id order, decides them with every vote committed so far (updateConsensus, which
 * also builds the seed's table and calibrates when due) and unmarks them, in one transaction. A step that
 * fails leaves its marks, and the sweep decides them later. The mark is deleted under the item's row lock after the
 * votes were read: an answer that commits later marks the item again, so none is lost. Returns how many
 * items it decided on.
 */
export async function applyDueConsensus(db: Db, campaignId: number, imageIds: readonly number[]): Promise<number> {
  if (imageIds.length === 0) return 0;
  let decided = 0;
  const started = performance.now();
  for (let round = 0; round < MAX_ROUNDS && (round === 0 || performance.now() - started < ROUNDS_BUDGET_MS); round++) {
    const done = await retryOnConflict(() =>
      db.$transaction(async (tx) => {
        if (!(await tryConsensusLock(tx, campaignId))) return null;
        const mine = await lockDue(tx, campaignId, Prisma.sql`d.image_id = ANY(${[...imageIds]}::int[])`, {
          skipLocked: true,
        });
        // Other answers' due items join this one: one step deciding many answers' items beats each answer
        // taking the synset count rows' locks in turn; the others' own steps find the lock held or nothing due.
        const others = await lockDue(tx, campaignId, Prisma.sql`NOT d.image_id = ANY(${mine}::int[])`, {
          skipLocked: true,
          limit: COALESCE_LIMIT,
        });
        const due = [...mine, ...others];
        if (due.length === 0) return 0;
        await updateConsensus(tx, campaignId, due);
        await unmark(tx, campaignId, due);
        return due.length;
      }, CONSENSUS_TRANSACTION),
    );
    if (!done) break; // another step holds the campaign (it decides ours), or nothing was due
    decided += done;
  }
  return decided;
}

/** Whether this transaction now holds the campaign's consensus lock (held until it ends). */
async function tryConsensusLock(tx: Tx, campaignId: number): Promise<boolean> {
  const [row] = await tx.$queryRaw<{ locked: boolean }[]>`
    SELECT pg_try_advisory_xact_lock(${CONSENSUS_LOCK_CLASS}::int4, ${campaignId}::int4) AS locked`;
  return row?.locked === true;
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
          // A step holds the campaign: it decides every due item before it lets go, these included.
          if (!(await tryConsensusLock(tx, campaignId))) return 0;
          // SKIP LOCKED: an item an answer holds right now is that answer's step's; the sweep takes the rest.
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
