import { route } from "@/server/http";

export const dynamic = "force-dynamic";

export const GET = route("GET /api/v1/health", async () => Response.json({ ok: true }));
