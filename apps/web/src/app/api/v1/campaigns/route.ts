import { CampaignInputError, campaignPolicySchema, createCampaigns, getServices, listCampaigns } from "@arbor/usecases";
import { z } from "zod";
import { HttpError, jsonError, parseOr400, route } from "@/server/http";

export const dynamic = "force-dynamic";

const createSchema = z.object({
  wnid: z.string().regex(/^n\d{8}$/, "wnid is n + 8 digits"),
  policy: campaignPolicySchema.optional(),
  subtree: z.boolean().optional(),
});

export const GET = route("GET /api/v1/campaigns", async () =>
  Response.json({ items: await listCampaigns((await getServices()).db) }),
);

export const POST = route("POST /api/v1/campaigns", async (request: Request) => {
  const body = parseOr400(
    createSchema,
    await request.json().catch(() => {
      throw new HttpError(400, "expected a JSON body");
    }),
  );
  try {
    return Response.json(await createCampaigns((await getServices()).db, body), { status: 201 });
  } catch (error) {
    if (error instanceof CampaignInputError) return jsonError(400, error.message);
    throw error;
  }
});
