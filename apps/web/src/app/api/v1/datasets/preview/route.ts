import type { DatasetDefinitionInput } from "@arbor/core";
import { getServices, previewClassSet } from "@arbor/usecases";
import { orDatasetError } from "@/server/datasets";
import { readJson, route } from "@/server/http";

export const dynamic = "force-dynamic";

/** The classes a definition would freeze, with available counts and conflicts; writes nothing. */
export const POST = route("POST /api/v1/datasets/preview", async (request: Request) => {
  const definition = (await readJson(request)) as DatasetDefinitionInput;
  const { db } = await getServices();
  return Response.json(await orDatasetError(() => previewClassSet(db, definition)));
});
