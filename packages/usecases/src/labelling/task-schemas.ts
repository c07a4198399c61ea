import { wnidSchema } from "@arbor/core";
import { z } from "zod";

const taskImageSchema = z.object({ id: z.number().int(), thumbnailUrl: z.string() });

export const taskSchema = z
  .object({
    taskId: z.string().uuid(),
    synset: z.object({ wnid: wnidSchema, lemmas: z.array(z.string()), gloss: z.string() }),
    images: z.array(taskImageSchema).describe("mark those that show the synset; gold questions are mixed in"),
    examples: z.array(taskImageSchema).describe("verified images of the synset, for reference"),
    leaseExpiresAt: z.string(),
  })
  .meta({ id: "Task" });

export const answersSchema = z
  .object({
    positive: z.array(z.number().int()).max(200).describe("images that show the synset; every other is a no"),
  })
  .meta({ id: "Answers" });

export type TaskView = z.infer<typeof taskSchema>;

/** `{ taskId }` of /tasks/{taskId}/answers. */
export const taskIdParams = z.object({ taskId: z.uuid("taskId is a UUID").meta({ description: "the task's id" }) });

export const answersRecordedSchema = z
  .object({
    recorded: z.number().int().describe("votes written (0 when the task had been submitted already)"),
    alreadySubmitted: z.boolean().describe("the task was answered before; nothing was recorded twice"),
  })
  .meta({ id: "AnswersRecorded" });
export type AnswersRecorded = z.infer<typeof answersRecordedSchema>;
