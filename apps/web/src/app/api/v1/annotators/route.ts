import { getServices, listAnnotators } from "@arbor/usecases";
import { route } from "@/server/http";

export const dynamic = "force-dynamic";

export const GET = route("GET /api/v1/annotators", async () =>
  Response.json({ items: await listAnnotators((await getServices()).db) }),
);
