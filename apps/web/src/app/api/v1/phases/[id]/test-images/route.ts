import { idParams, listTestImages, testImagesCsv, testImagesSchema } from "@arbor/usecases";
import { z } from "zod";
import { defineRoute } from "@/server/api/define-route";
import { ok } from "@/server/api/response-spec";

export const dynamic = "force-dynamic";

export const GET = defineRoute({
  access: "signed-in",
  summary:
    "A phase's test images in order: position (a devkit submission's line number) and the image id a submission names (never a label)",
  params: idParams("phase"),
  query: z.object({
    format: z
      .enum(["json", "csv"])
      .default("json")
      .meta({ description: "csv: text/csv with a `position,image_id` header" }),
  }),
  responses: {
    200: ok(testImagesSchema, "the test images (?format=csv: the same as text/csv)"),
    403: "the caller neither takes part in the challenge nor hosts it, or was banned from it",
    404: "no such phase",
  },
  handler: async ({ params, query, services, principal }) => {
    const list = await listTestImages(services.db, params.id, principal);
    if (query.format === "json") return list;
    return new Response(testImagesCsv(list), {
      headers: {
        "Content-Type": "text/csv; charset=utf-8",
        "Content-Disposition": `attachment; filename="phase-${params.id}-test-images.csv"`,
        "Cache-Control": "private, no-cache",
      },
    });
  },
});
