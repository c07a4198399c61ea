import { getServices, listSynsetImages, synsetImagesQuerySchema } from "@arbor/usecases";
import type { NextRequest } from "next/server";
import { jsonError, parseOr400, parseWnid, route } from "@/server/http";

export const dynamic = "force-dynamic";

export const GET = route(
  "GET /api/v1/synsets/{wnid}/images",
  async (request: NextRequest, { params }: { params: Promise<{ wnid: string }> }) => {
    const wnid = parseWnid((await params).wnid);
    const query = parseOr400(synsetImagesQuerySchema, Object.fromEntries(request.nextUrl.searchParams));
    const page = await listSynsetImages((await getServices()).db, wnid, query);
    return page ? Response.json(page) : jsonError(404, `no synset ${wnid}`);
  },
);
