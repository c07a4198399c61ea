import { Readable, Transform } from "node:stream";
import type { ReadableStream as NodeReadableStream } from "node:stream/web";
import { artifactNameSchema, getServices, storeModelArtifact } from "@arbor/usecases";
import { HttpError, jsonError, parseId, parseOr400, route } from "@/server/http";
import { MAX_ARTIFACT_BYTES } from "@/server/models";

export const dynamic = "force-dynamic";

/** Uploads one file of a model (the body is the file's bytes, streamed into the blob store). */
export const PUT = route(
  "PUT /api/v1/models/{id}/artifacts/{name}",
  async (request: Request, { params }: { params: Promise<{ id: string; name: string }> }) => {
    const { id: rawId, name: rawName } = await params;
    const id = parseId(rawId);
    const name = parseOr400(artifactNameSchema, rawName);
    const declared = Number(request.headers.get("content-length") ?? "0");
    if (declared > MAX_ARTIFACT_BYTES)
      throw new HttpError(413, `an artifact may be at most ${MAX_ARTIFACT_BYTES} bytes`);
    if (!request.body) throw new HttpError(400, "send the file's bytes as the body");
    // A lying Content-Length cannot get past the cap: the bytes are counted as they stream in.
    let seen = 0;
    const capped = new Transform({
      transform(chunk: Buffer, _encoding, done) {
        seen += chunk.length;
        if (seen > MAX_ARTIFACT_BYTES)
          done(new HttpError(413, `an artifact may be at most ${MAX_ARTIFACT_BYTES} bytes`));
        else done(null, chunk);
      },
    });
    const body = Readable.fromWeb(request.body as NodeReadableStream<Uint8Array>).pipe(capped);
    const { db, blobs } = await getServices();
    const stored = await storeModelArtifact({ db, blobs }, id, name, body);
    return stored ? Response.json(stored, { status: 201 }) : jsonError(404, `no model ${id}`);
  },
);
