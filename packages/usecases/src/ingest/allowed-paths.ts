import { realpath } from "node:fs/promises";
import path from "node:path";

export class ForbiddenPathError extends Error {}

/**
 * A server path typed into the web app, accepted only when it resolves (symlinks followed) inside one of the
 * configured ingest roots: an admin's browser must not read arbitrary server files.
 */
export async function resolveAllowedPath(requested: string, roots: readonly string[]): Promise<string> {
  if (!path.isAbsolute(requested)) throw new ForbiddenPathError(`give an absolute path inside ${roots.join(" or ")}`);
  const real = await realpath(requested).catch(() => {
    throw new ForbiddenPathError(`${requested} does not exist`);
  });
  for (const root of roots) {
    const realRoot = await realpath(root).catch(() => null);
    if (realRoot && (real === realRoot || real.startsWith(realRoot + path.sep))) return real;
  }
  throw new ForbiddenPathError(
    `${requested} is outside the ingest folders (${roots.join(", ")}); set ARBOR_INGEST_ROOTS`,
  );
}
