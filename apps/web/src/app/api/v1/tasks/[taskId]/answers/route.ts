import { answersSchema, getServices, submitAnswers, TaskError } from "@arbor/usecases";
import { z } from "zod";
import { HttpError, jsonError, parseOr400, route } from "@/server/http";

export const dynamic = "force-dynamic";

export const POST = route(
  "POST /api/v1/tasks/{taskId}/answers",
  async (request: Request, { params }: { params: Promise<{ taskId: string }> }, principal) => {
    const taskId = parseOr400(z.uuid("taskId is a UUID"), (await params).taskId);
    const { positive } = parseOr400(
      answersSchema,
      await request.json().catch(() => {
        throw new HttpError(400, 'expected a JSON body: {"positive": [imageId, ...]}');
      }),
    );
    try {
      return Response.json(await submitAnswers((await getServices()).db, principal?.id as number, taskId, positive));
    } catch (error) {
      if (error instanceof TaskError) return jsonError(error.status, error.message);
      throw error;
    }
  },
);
