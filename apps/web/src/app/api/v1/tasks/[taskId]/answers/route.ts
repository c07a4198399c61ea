import { answersRecordedSchema, answersSchema, submitAnswers, taskIdParams } from "@arbor/usecases";
import { jsonBody } from "@/server/api/body-spec";
import { defineRoute } from "@/server/api/define-route";
import { ok } from "@/server/api/response-spec";

export const dynamic = "force-dynamic";

export const POST = defineRoute({
  access: ["annotator"],
  summary:
    "Answer a task: the images whose handles are listed are yes, every other image is no (idempotent); with " +
    "`next: true` the answer carries the caller's next task",
  params: taskIdParams,
  body: jsonBody(answersSchema),
  responses: {
    200: ok(answersRecordedSchema, "votes recorded (and, when asked, the next task)"),
    400: "a malformed task id or body, or handles not in the task",
    403: "someone else's task",
    404: "no such task",
    409: "the lease expired",
  },
  handler: async ({ params, body, principal, services }) =>
    submitAnswers(services.db, principal.id, params.taskId, body.positive, { next: body.next }),
});
