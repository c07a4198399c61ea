import { nextTask, taskSchema } from "@arbor/usecases";
import { defineRoute } from "@/server/api/define-route";
import { empty, ok } from "@/server/api/response-spec";

export const dynamic = "force-dynamic";

/** The caller's next task, or 204 when nothing is left for them. */
export const GET = defineRoute({
  access: ["annotator"],
  summary: "Lease the caller's next task (a grid of images for one synset, gold questions mixed in)",
  responses: { 200: ok(taskSchema, "the task"), 204: empty("nothing left for this annotator") },
  handler: async ({ principal, services }) =>
    (await nextTask(services.db, principal.id)) ?? new Response(null, { status: 204 }),
});
