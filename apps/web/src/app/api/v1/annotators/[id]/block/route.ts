import { getServices, setAnnotatorBlocked } from "@arbor/usecases";
import { z } from "zod";
import { HttpError, jsonError, parseId, parseOr400, route } from "@/server/http";

export const dynamic = "force-dynamic";

/** Blocks or unblocks an annotator: `{"blocked": true}` signs them out and discounts their votes. */
export const POST = route(
  "POST /api/v1/annotators/{id}/block",
  async (request: Request, { params }: { params: Promise<{ id: string }> }) => {
    const id = parseId((await params).id);
    const { blocked } = parseOr400(
      z.object({ blocked: z.boolean() }),
      await request.json().catch(() => {
        throw new HttpError(400, 'expected {"blocked": true | false}');
      }),
    );
    return (await setAnnotatorBlocked((await getServices()).db, id, blocked))
      ? Response.json({ ok: true })
      : jsonError(404, `no user ${id}`);
  },
);
