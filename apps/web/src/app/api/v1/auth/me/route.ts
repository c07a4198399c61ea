import { route } from "@/server/http";

export const dynamic = "force-dynamic";

export const GET = route("GET /api/v1/auth/me", async (_request: Request, _context: unknown, principal) =>
  Response.json({ user: principal }),
);
