import { getServices, nextTask } from "@arbor/usecases";
import { route } from "@/server/http";

export const dynamic = "force-dynamic";

/** The caller's next task, or 204 when nothing is left for them. */
export const GET = route("GET /api/v1/tasks/next", async (_request: Request, _context: unknown, principal) => {
  const task = await nextTask((await getServices()).db, principal?.id as number);
  return task ? Response.json(task) : new Response(null, { status: 204 });
});
