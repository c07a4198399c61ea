import { getDb } from "@arbor/db";
import { searchSynsets, synsetSearchQuerySchema } from "@arbor/usecases";
import type { NextRequest } from "next/server";
import { parseOr400, route } from "@/server/http";

export const dynamic = "force-dynamic";

export const GET = route("GET /api/v1/synsets", async (request: NextRequest) => {
  const query = parseOr400(synsetSearchQuerySchema, Object.fromEntries(request.nextUrl.searchParams));
  return Response.json(await searchSynsets(await getDb(), query));
});
