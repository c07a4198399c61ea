import { type DatasetDefinitionInput, datasetDefinitionSchema } from "@arbor/core";
import type { Db, Prisma } from "@arbor/db";
import type { JobQueue } from "@arbor/jobs";
import { parseInput } from "../errors.ts";
import { assertMayChange } from "../restrictions/ownership.ts";
import type { Actor } from "../restrictions/viewer.ts";
import type { FreezeRunView } from "./dataset-schemas.ts";
import { freezeRunJob } from "./freeze-run-job.ts";
import { toFreezeRunView } from "./get-freeze-run.ts";

/**
 * Records a freeze run, queued, after the checks that need no freeze: the definition parses (`invalid`) and,
 * when the dataset exists, the actor may add versions to it (`forbidden`; the freeze checks again under the
 * dataset's lock). Refusals that need the data (conflicts, no images: `unprocessable`) end the run failed,
 * with the same message, kind and detail. Does not run it: `startFreezeRun` queues it, the CLI runs it here.
 */
export async function createFreezeRun(db: Db, input: DatasetDefinitionInput, actor: Actor): Promise<FreezeRunView> {
  const definition = parseInput(datasetDefinitionSchema, input);
  const dataset = await db.dataset.findUnique({ where: { name: definition.name }, select: { createdById: true } });
  if (dataset) assertMayChange(actor, dataset.createdById, `dataset ${definition.name}`);
  const run = await db.freezeRun.create({
    data: {
      datasetName: definition.name,
      definition: definition as unknown as Prisma.InputJsonValue,
      actorId: actor.id,
      actorRoles: [...actor.roles],
    },
  });
  return toFreezeRunView(run);
}

/** Records a freeze run and queues it for a worker: the request that starts it returns at once. */
export async function startFreezeRun(
  services: { db: Db; jobs: JobQueue },
  input: DatasetDefinitionInput,
  actor: Actor,
): Promise<FreezeRunView> {
  const run = await createFreezeRun(services.db, input, actor);
  await services.jobs.send(freezeRunJob, { runId: run.id });
  return run;
}
