import { wnidSchema } from "@arbor/core";
import { z } from "zod";
import { idleReasonSchema } from "./pool-schemas.ts";

/** An image of a task: its handle is its position in the task, never the image's id (see taskImageUrl). */
const taskImageSchema = z.object({
  handle: z.number().int().min(0).describe("this image's handle within the task: what an answer names"),
  thumbnailUrl: z.string().describe("served to the task's annotator while the lease is live"),
  modelGuess: z
    .object({ prior: z.number().describe("the model's calibrated P(the image shows the synset)") })
    .nullable()
    .describe(
      "the model's guess, in campaigns that show it (a random 10 % of their tasks do not); null when this task " +
        "shows none or the image has no prior, and always for seed, audit and gold images",
    ),
});

export const taskSchema = z
  .object({
    taskId: z.string().uuid(),
    synset: z.object({ wnid: wnidSchema, lemmas: z.array(z.string()), gloss: z.string() }),
    images: z
      .array(taskImageSchema)
      .describe("mark those that show the synset; gold questions are mixed in, indistinguishable"),
    examples: z
      .array(z.object({ thumbnailUrl: z.string() }))
      .describe("verified images of the synset, for reference (never among the task's images)"),
    leaseExpiresAt: z.string(),
  })
  .meta({ id: "Task" });

export const answersSchema = z
  .object({
    positive: z
      .array(z.number().int().min(0).max(1000))
      .max(200)
      .describe("handles of the task's images that show the synset; every other is a no"),
    next: z
      .boolean()
      .optional()
      .describe(
        "also lease the caller's next task and return it in the answer (one round trip per task; what " +
          "GET /tasks/next would give)",
      ),
  })
  .meta({ id: "Answers" });

export type TaskView = z.infer<typeof taskSchema>;

/** `{ taskId }` of /tasks/{taskId}/answers. */
export const taskIdParams = z.object({ taskId: z.uuid("taskId is a UUID").meta({ description: "the task's id" }) });

/** `{ taskId, n }` of /tasks/{taskId}/images/{n} and /tasks/{taskId}/examples/{n}. */
export const taskImageParams = taskIdParams.extend({
  n: z.coerce
    .number({ error: "n is a position: a whole number from 0" })
    .int("n is a position: a whole number from 0")
    .min(0, "n is a position: a whole number from 0")
    .max(1000, "n is a position: a whole number from 0")
    .meta({ description: "the position: an image's handle, or an example's index" }),
});

export const answersRecordedSchema = z
  .object({
    recorded: z.number().int().describe("votes written (0 when the task had been submitted already)"),
    alreadySubmitted: z.boolean().describe("the task was answered before; nothing was recorded twice"),
    next: taskSchema
      .nullable()
      .optional()
      .describe("with `next: true`: the caller's next task, or null when nothing is left for them (see idle)"),
    idle: idleReasonSchema
      .optional()
      .describe("with `next: true` and no next task: why (as GET /tasks/next's Arbor-Idle-Reason)"),
  })
  .meta({ id: "AnswersRecorded" });
export type AnswersRecorded = z.infer<typeof answersRecordedSchema>;
