import { getDb } from "@arbor/db";
import { listSynsetChildren } from "@arbor/usecases";
import { jsonError, parseWnid, route } from "@/server/http";

export const dynamic = "force-dynamic";

export const GET = route(
  "GET /api/v1/synsets/{wnid}/children",
  async (_request: Request, { params }: { params: Promise<{ wnid: string }> }) => {
    const wnid = parseWnid((await params).wnid);
    const children = await listSynsetChildren(await getDb(), wnid);
    return children ? Response.json(children) : jsonError(404, `no synset ${wnid}`);
  },
);
