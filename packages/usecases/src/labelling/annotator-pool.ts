import type { Db } from "@arbor/db";
import type { AnnotatorPool } from "./pool-schemas.ts";

type Reader = Pick<Db, "$queryRaw">;

/** An annotator counts as active who held a task in this many days. */
export const ACTIVE_DAYS = 7;

/**
 * The annotator pool the consensus rules count on: every unblocked user with the annotator role (only they
 * may take tasks, and each votes at most once per image). Blocking someone removes them from it, as it
 * discounts their votes. The ids, so that a caller can tell who of them has voted on an image.
 */
export async function eligibleAnnotators(db: Reader): Promise<Set<string>> {
  const rows = await db.$queryRaw<{ id: number }[]>`
    SELECT id FROM app_user WHERE 'annotator' = ANY(roles) AND NOT blocked`;
  return new Set(rows.map((r) => String(r.id)));
}

/** How many annotators the pool has (see eligibleAnnotators). */
export async function countEligibleAnnotators(db: Reader): Promise<number> {
  const [row] = await db.$queryRaw<{ n: number }[]>`
    SELECT count(*)::int AS n FROM app_user WHERE 'annotator' = ANY(roles) AND NOT blocked`;
  return row?.n ?? 0;
}

/** The pool's size and, of it, who held a task in the last ACTIVE_DAYS days (one index probe each). */
export async function getAnnotatorPool(db: Reader): Promise<AnnotatorPool> {
  const [row] = await db.$queryRaw<{ annotators: number; active: number }[]>`
    SELECT count(*)::int AS annotators,
           count(*) FILTER (WHERE EXISTS (
             SELECT 1 FROM task t WHERE t.annotator_id = u.id
               AND t.created_at > now() - make_interval(days => ${ACTIVE_DAYS}::int)))::int AS active
    FROM app_user u WHERE 'annotator' = ANY(u.roles) AND NOT u.blocked`;
  return { annotators: row?.annotators ?? 0, active: row?.active ?? 0, activeDays: ACTIVE_DAYS };
}
