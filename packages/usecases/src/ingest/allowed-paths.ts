import { realpath } from "node:fs/promises";
import path from "node:path";
import { forbidden } from "../errors.ts";

/**
 * A server path typed into the web app, accepted only when it resolves (symlinks followed) inside one of the
 * configured ingest roots: an admin's browser must not read arbitrary server files. Anything else (a relative
 * path, a missing one, one outside the roots) is `forbidden`.
 */
export async function resolveAllowedPath(requested: string, roots: readonly string[]): Promise<string> {
  if (!path.isAbsolute(requested)) throw forbidden(`give an absolute path inside ${roots.join(" or ")}`);
  const real = await realpath(requested).catch(() => {
    throw forbidden(`${requested} does not exist`);
  });
  for (const root of roots) {
    const realRoot = await realpath(root).catch(() => null);
    if (realRoot && (real === realRoot || real.startsWith(realRoot + path.sep))) return real;
  }
  throw forbidden(`${requested} is outside the ingest folders (${roots.join(", ")}); set ARBOR_INGEST_ROOTS`);
}
