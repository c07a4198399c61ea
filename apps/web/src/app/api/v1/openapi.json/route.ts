import { z } from "zod";
import { defineRoute } from "@/server/api/define-route";
import { openApiDocument } from "@/server/api/openapi-document";
import { ok } from "@/server/api/response-spec";

export const dynamic = "force-static";

/** Not in the route index (the document is built from it), so it is not listed in the document itself. */
export const GET = defineRoute({
  access: "public",
  summary: "This API's OpenAPI 3.1 document",
  responses: { 200: ok(z.record(z.string(), z.unknown()), "the document") },
  handler: async () => openApiDocument(),
});
