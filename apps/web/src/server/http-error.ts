/** An error that becomes an HTTP status with a JSON body (with structured detail for the UI, when given). */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly detail?: unknown,
  ) {
    super(message);
  }
}
