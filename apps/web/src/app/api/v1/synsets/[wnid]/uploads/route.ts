import { DEFAULT_IMAGE_LIMITS } from "@arbor/imaging";
import { getServices, stageUploads } from "@arbor/usecases";
import { HttpError, jsonError, parseWnid, route } from "@/server/http";

export const dynamic = "force-dynamic";

const MAX_FILES = 200;
const MAX_REQUEST_BYTES = 512 * 1024 * 1024;

/** Browser upload (multipart `files`): staged and ingested as candidates of the synset by a background run. */
export const POST = route(
  "POST /api/v1/synsets/{wnid}/uploads",
  async (request: Request, { params }: { params: Promise<{ wnid: string }> }) => {
    const wnid = parseWnid((await params).wnid);
    const declared = Number(request.headers.get("content-length") ?? Number.NaN);
    if (!(declared <= MAX_REQUEST_BYTES)) {
      return jsonError(413, `an upload must declare its size and stay under ${MAX_REQUEST_BYTES / 1024 / 1024} MB`);
    }
    const services = await getServices();
    if (!(await services.db.synset.findUnique({ where: { wnid }, select: { id: true } }))) {
      return jsonError(404, `no synset ${wnid}`);
    }
    const form = await request.formData().catch(() => {
      throw new HttpError(400, "expected multipart/form-data with one or more `files`");
    });
    const files = form.getAll("files").filter((f): f is File => f instanceof File);
    if (files.length === 0) return jsonError(400, "no files: send them as multipart field `files`");
    if (files.length > MAX_FILES) return jsonError(413, `at most ${MAX_FILES} files per upload`);
    const tooBig = files.find((f) => f.size > DEFAULT_IMAGE_LIMITS.maxBytes);
    if (tooBig)
      return jsonError(413, `${tooBig.name} is over the ${DEFAULT_IMAGE_LIMITS.maxBytes / 1024 / 1024} MB limit`);
    const run = await stageUploads(
      services,
      wnid,
      await Promise.all(files.map(async (f) => ({ name: f.name, bytes: Buffer.from(await f.arrayBuffer()) }))),
    );
    return Response.json({ runId: run.id }, { status: 202 });
  },
);
