import { z } from "zod";

/** The annotators a campaign can count on: each votes at most once per image. */
export const annotatorPoolSchema = z
  .object({
    annotators: z
      .number()
      .int()
      .describe("unblocked users with the annotator role: the pool the seed and the pool rule count on"),
    active: z.number().int().describe("of them, those who held a task in the last activeDays days"),
    activeDays: z.number().int(),
  })
  .meta({ id: "AnnotatorPool" });
export type AnnotatorPool = z.infer<typeof annotatorPoolSchema>;

/**
 * Why `GET /tasks/next` has nothing for the caller (its 204 answer's `Arbor-Idle-Reason` header):
 * - `voted-all`: the caller has voted on every image still open (or holds it in a live task);
 * - `waiting-for-others`: images the caller has not voted on remain, but their vote slots are leased to
 *   other annotators, or they wait for the seed set, which needs other annotators' votes first;
 * - `campaign-blocked`: what remains is in a campaign that cannot go on with this pool (a seed set needs at
 *   least three annotators): an admin must add annotators;
 * - `no-campaigns`: no campaign is running.
 */
export const idleReasonSchema = z
  .enum(["voted-all", "waiting-for-others", "campaign-blocked", "no-campaigns"])
  .meta({ id: "IdleReason" });
export type IdleReason = z.infer<typeof idleReasonSchema>;

/** The header of a 204 from `GET /tasks/next` that says why (an IdleReason). */
export const IDLE_REASON_HEADER = "Arbor-Idle-Reason";
