/** A dataset definition that cannot be frozen as asked (unknown wnids, unresolved conflicts, no images). */
export class DatasetInputError extends Error {
  override readonly name = "DatasetInputError";
  constructor(
    message: string,
    /** Structured detail for the UI (e.g. the conflict list). */
    readonly detail?: unknown,
  ) {
    super(message);
  }
}
