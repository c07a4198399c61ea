import { DatasetInputError } from "@arbor/usecases";
import { HttpError } from "./http";

/**
 * A refused dataset definition or export: 400 when the input itself is malformed, 422 when it is well-formed
 * but cannot be frozen as asked (unknown wnids, unresolved ancestor/descendant conflicts, no usable images);
 * the use-case's structured detail (e.g. `{conflicts}`) goes along for the form.
 */
export async function orDatasetError<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof DatasetInputError) {
      throw new HttpError(error.detail === undefined ? 400 : 422, error.message, error.detail);
    }
    throw error;
  }
}
