import { getCampaign, getServices } from "@arbor/usecases";
import { jsonError, parseId, route } from "@/server/http";

export const dynamic = "force-dynamic";

export const GET = route(
  "GET /api/v1/campaigns/{id}",
  async (_request: Request, { params }: { params: Promise<{ id: string }> }) => {
    const id = parseId((await params).id);
    const campaign = await getCampaign((await getServices()).db, id);
    return campaign ? Response.json(campaign) : jsonError(404, `no campaign ${id}`);
  },
);
