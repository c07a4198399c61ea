import { MAX_UPLOAD_FILES, runStartedSchema, stageUploads, wnidParams } from "@arbor/usecases";
import { formBody } from "@/server/api/body-spec";
import { defineRoute } from "@/server/api/define-route";
import { ok } from "@/server/api/response-spec";

export const dynamic = "force-dynamic";

/** The whole multipart request; each file is also held to the image size limit by the use-case. */
const MAX_REQUEST_BYTES = 512 * 1024 * 1024;

/** Browser upload (multipart `files`): staged and ingested as candidates of the synset by a background run. */
export const POST = defineRoute({
  access: ["admin"],
  summary: "Upload image files (multipart field `files`) as candidates of the synset; ingested in the background",
  params: wnidParams,
  body: formBody(MAX_REQUEST_BYTES, `at most ${MAX_UPLOAD_FILES} files, 512 MB in all`, {
    type: "object",
    properties: { files: { type: "array", items: { type: "string", format: "binary" } } },
  }),
  responses: {
    202: ok(runStartedSchema, "the ingest run that processes the upload"),
    400: "no files, or not a multipart form",
    404: "no such synset",
    413: "too many files, a file over the image size limit, or the request over 512 MB",
  },
  handler: async ({ params, body, services }) =>
    stageUploads(
      services,
      params.wnid,
      body.getAll("files").filter((file): file is File => file instanceof File),
    ),
});
