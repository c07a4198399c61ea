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

  /** Every problem zod found, each with where it is ("splits.train: …"), in one message. */
  static fromZod(error: { issues: ReadonlyArray<{ path: PropertyKey[]; message: string }> }): DatasetInputError {
    return new DatasetInputError(error.issues.map((i) => `${i.path.map(String).join(".")}: ${i.message}`).join("; "));
  }
}
