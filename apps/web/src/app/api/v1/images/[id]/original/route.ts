import { parseId, route } from "@/server/http";
import { imageResponse } from "@/server/image-response";

export const dynamic = "force-dynamic";

export const GET = route(
  "GET /api/v1/images/{id}/original",
  async (request: Request, { params }: { params: Promise<{ id: string }> }) =>
    imageResponse(request, parseId((await params).id), "original"),
);
