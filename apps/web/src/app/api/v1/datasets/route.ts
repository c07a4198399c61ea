import type { DatasetDefinitionInput } from "@arbor/core";
import { createDatasetVersion, getServices, listDatasetVersions } from "@arbor/usecases";
import { orDatasetError } from "@/server/datasets";
import { readJson, route } from "@/server/http";

export const dynamic = "force-dynamic";

export const GET = route("GET /api/v1/datasets", async () =>
  Response.json({ items: await listDatasetVersions((await getServices()).db) }),
);

/** Freezes a definition into the next version of its dataset (named by the definition). */
export const POST = route("POST /api/v1/datasets", async (request: Request, _context: unknown, principal) => {
  const definition = (await readJson(request)) as DatasetDefinitionInput;
  const { db } = await getServices();
  const { id, ...version } = await orDatasetError(() => createDatasetVersion(db, definition, principal?.id ?? null));
  return Response.json({ versionId: id, ...version }, { status: 201 });
});
