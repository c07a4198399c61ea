import { IDLE_REASON_HEADER, requestTask, taskSchema } from "@arbor/usecases";
import { defineRoute } from "@/server/api/define-route";
import { empty, ok } from "@/server/api/response-spec";

export const dynamic = "force-dynamic";

/** The caller's next task, or 204 when nothing is left for them, with why in the Arbor-Idle-Reason header. */
export const GET = defineRoute({
  access: ["annotator"],
  summary: "Lease the caller's next task (a grid of images for one synset, gold questions mixed in)",
  responses: {
    200: ok(taskSchema, "the task"),
    204: empty("nothing left for this annotator now", {
      [IDLE_REASON_HEADER]: {
        description:
          "why (an IdleReason): voted-all (you have voted on every image still open), waiting-for-others (what " +
          "is left is leased to others, or waits for a seed set that needs their votes), campaign-blocked (a " +
          "campaign needs more annotators than it has), no-campaigns",
      },
    }),
  },
  handler: async ({ principal, services }) => {
    const { task, idle } = await requestTask(services.db, principal.id);
    return task ?? new Response(null, { status: 204, headers: { [IDLE_REASON_HEADER]: idle } });
  },
});
