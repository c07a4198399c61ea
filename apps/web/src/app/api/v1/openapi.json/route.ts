import { route } from "@/server/http";
import { openApiDocument } from "@/server/openapi";

export const dynamic = "force-static";

export const GET = route("GET /api/v1/openapi.json", async () => Response.json(openApiDocument()));
