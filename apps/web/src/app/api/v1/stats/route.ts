import { getDb } from "@arbor/db";
import { getStats } from "@arbor/usecases";
import { route } from "@/server/http";

export const dynamic = "force-dynamic";

export const GET = route("GET /api/v1/stats", async () => Response.json(await getStats(await getDb())));
