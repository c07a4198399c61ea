import { type DatasetDefinitionInput, datasetDefinitionSchema } from "@arbor/core";
import type { Db } from "@arbor/db";
import { parseInput } from "../errors.ts";
import type { Viewer } from "../restrictions/viewer.ts";
import type { ClassPreview } from "./dataset-schemas.ts";
import { resolveClassSet } from "./resolve-class-set.ts";

/**
 * What freezing this definition would choose as classes, and the conflicts it would have to resolve (counting
 * only the images `viewer` could freeze).
 */
export async function previewClassSet(db: Db, input: DatasetDefinitionInput, viewer: Viewer): Promise<ClassPreview> {
  const resolved = await resolveClassSet(db, parseInput(datasetDefinitionSchema, input), viewer);
  return {
    classes: resolved.classes.map(({ wnid, lemmas, available }) => ({ wnid, lemmas, available })),
    conflicts: resolved.conflicts,
    droppedForConflicts: resolved.droppedForConflicts,
    droppedTooFew: resolved.droppedTooFew,
    unknownWnids: resolved.unknownWnids,
  };
}
