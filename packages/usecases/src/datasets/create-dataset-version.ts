import { type DatasetDefinitionInput, datasetDefinitionSchema } from "@arbor/core";
import type { Db } from "@arbor/db";
import { parseInput } from "../errors.ts";
import type { Actor } from "../restrictions/viewer.ts";
import { type CreatedVersion, type FreezeProgress, freezeVersion } from "./freeze-version.ts";

export type { CreatedVersion } from "./freeze-version.ts";

/**
 * Freezes a definition into the next immutable version of its dataset, in this process: resolves the classes,
 * takes each class's usable images, leaves out images usable for two classes, caps, groups near-duplicates and
 * assigns splits (packages/core), then stores the exact (image, class, split) list (see freezeVersion). The
 * web app does not call this in a request: it queues a freeze run (startFreezeRun), which calls the same
 * freezeVersion in a worker.
 *
 * A new name makes a dataset owned by the actor; a further version of an existing one needs its owner or an
 * admin (`forbidden`). Images restricted for the actor (labels withheld by a version they do not own) are
 * not usable: a version of one's own must not be a way to export labels one may not see. The splits the
 * definition withholds (`withholdLabels`) become restricted in the same transaction. Images verified by a
 * model's auto-accept go to train, with their near-duplicate groups, unless the definition lets them into
 * evaluation (`modelVerifiedInEval`): val and test must not grade a model on labels a model gave.
 */
export async function createDatasetVersion(
  db: Db,
  input: DatasetDefinitionInput,
  actor: Actor,
  onProgress?: (progress: FreezeProgress) => void,
): Promise<CreatedVersion> {
  return freezeVersion(db, parseInput(datasetDefinitionSchema, input), actor, onProgress);
}
