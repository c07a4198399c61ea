import { getServices, overrideDecision } from "@arbor/usecases";
import { z } from "zod";
import { HttpError, jsonError, parseId, parseOr400, route } from "@/server/http";

export const dynamic = "force-dynamic";

const reviewSchema = z.object({ imageId: z.number().int().positive(), decision: z.enum(["verified", "rejected"]) });

/** An admin settles an image of the campaign (usually an ambiguous one from the review queue). */
export const POST = route(
  "POST /api/v1/campaigns/{id}/reviews",
  async (request: Request, { params }: { params: Promise<{ id: string }> }) => {
    const id = parseId((await params).id);
    const body = parseOr400(
      reviewSchema,
      await request.json().catch(() => {
        throw new HttpError(400, 'expected {"imageId", "decision": "verified" | "rejected"}');
      }),
    );
    const done = await overrideDecision((await getServices()).db, id, body.imageId, body.decision);
    return done ? Response.json({ ok: true }) : jsonError(404, `image ${body.imageId} is not in campaign ${id}`);
  },
);
