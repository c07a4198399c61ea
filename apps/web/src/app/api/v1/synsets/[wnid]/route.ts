import { getDb } from "@arbor/db";
import { getSynset } from "@arbor/usecases";
import { jsonError, parseWnid, route } from "@/server/http";

export const dynamic = "force-dynamic";

export const GET = route(
  "GET /api/v1/synsets/{wnid}",
  async (_request: Request, { params }: { params: Promise<{ wnid: string }> }) => {
    const wnid = parseWnid((await params).wnid);
    const synset = await getSynset(await getDb(), wnid);
    return synset ? Response.json(synset) : jsonError(404, `no synset ${wnid}`);
  },
);
