import { UseCaseError } from "@arbor/usecases";
import { notFound } from "next/navigation";

/**
 * A page's data from a use-case: a `not-found` (or an `invalid` id in the URL) becomes the 404 page; any other
 * error propagates to the error page.
 */
export async function loadOr404<T>(load: () => Promise<T>): Promise<T> {
  try {
    return await load();
  } catch (error) {
    if (error instanceof UseCaseError && (error.kind === "not-found" || error.kind === "invalid")) notFound();
    throw error;
  }
}
