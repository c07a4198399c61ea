import { z } from "zod";

/** API contracts of the annotator table and blocking. */

export const annotatorSchema = z
  .object({
    id: z.number().int(),
    email: z.string(),
    blocked: z.boolean(),
    votes: z.number().int().describe("votes on campaign images (gold questions not counted)"),
    gold: z
      .object({
        correct: z.number().int(),
        total: z.number().int(),
        accuracy: z.number().describe("Beta-smoothed: a few answers say little"),
      })
      .describe("answers to gold questions"),
    agreement: z.number().nullable().describe("share of votes on decided images that agree with the decision"),
    secondsPerTask: z.number().nullable().describe("median seconds from taking a task to answering it"),
  })
  .meta({ id: "Annotator" });
export type AnnotatorRow = z.infer<typeof annotatorSchema>;

export const annotatorListSchema = z.object({ items: z.array(annotatorSchema) }).meta({ id: "AnnotatorList" });

export const blockAnnotatorSchema = z
  .object({
    blocked: z
      .boolean()
      .describe("true signs them out, revokes their API tokens for good and discounts their votes; false lifts it"),
  })
  .meta({ id: "BlockAnnotator" });

export const annotatorBlockedSchema = z
  .object({ ok: z.literal(true).describe("the annotator's blocked state is set") })
  .meta({ id: "AnnotatorBlocked" });
