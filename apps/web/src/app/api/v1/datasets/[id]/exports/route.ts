import { InvalidBlobKeyError } from "@arbor/storage";
import {
  DatasetInputError,
  type ExportOptionsInput,
  ForbiddenPathError,
  getServices,
  startExport,
} from "@arbor/usecases";
import { z } from "zod";
import { HttpError, parseId, parseOr400, readJson, route } from "@/server/http";

export const dynamic = "force-dynamic";

const bodySchema = z.looseObject({
  /** Absent or empty: Arbor's blob store (downloadable); an s3:// URL; or a folder inside ARBOR_EXPORT_ROOTS. */
  destination: z.string().max(1024).nullable().optional(),
});

/** Starts writing a version out in the background (202); the same unfinished export again is resumed. */
export const POST = route(
  "POST /api/v1/datasets/{id}/exports",
  async (request: Request, { params }: { params: Promise<{ id: string }> }, principal) => {
    const versionId = parseId((await params).id);
    const { destination, ...options } = parseOr400(bodySchema, await readJson(request));
    try {
      const started = await startExport(await getServices(), {
        versionId,
        options: options as ExportOptionsInput,
        destination: destination?.trim() || null,
        createdById: principal?.id ?? null,
      });
      return Response.json(started, { status: 202 });
    } catch (error) {
      if (error instanceof DatasetInputError)
        throw new HttpError(/^no dataset version/.test(error.message) ? 404 : 400, error.message, error.detail);
      if (error instanceof ForbiddenPathError) throw new HttpError(403, error.message);
      if (error instanceof InvalidBlobKeyError) throw new HttpError(400, `destination: ${error.message}`);
      throw error;
    }
  },
);
