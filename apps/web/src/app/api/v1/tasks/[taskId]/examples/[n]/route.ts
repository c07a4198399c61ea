import { openTaskImage, taskImageParams } from "@arbor/usecases";
import { defineRoute } from "@/server/api/define-route";
import { taskImageResponse, taskImageResponses } from "@/server/task-image-response";

export const dynamic = "force-dynamic";

/** A task shows its images through itself, so that no answer names, and no URL gives away, an image's id. */
export const GET = defineRoute({
  access: ["annotator"],
  summary:
    "One verified example shown with the caller's task, by its index (the thumbnail; only while the lease lives)",
  params: taskImageParams,
  responses: taskImageResponses("the example"),
  handler: async ({ params, principal, services }) =>
    taskImageResponse(await openTaskImage(services, principal.id, params.taskId, { kind: "example", n: params.n })),
});
