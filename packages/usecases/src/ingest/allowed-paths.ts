import { lstat, realpath } from "node:fs/promises";
import path from "node:path";
import { forbidden } from "../errors.ts";

/**
 * Server paths typed into the web app are accepted only inside configured roots (ARBOR_INGEST_ROOTS,
 * ARBOR_EXPORT_ROOTS): an admin's browser must neither read nor write arbitrary server files. Every check
 * compares real paths (symlinks resolved): the roots' own, and the requested path's, resolved through the real
 * path of its nearest existing ancestor when the rest does not exist yet (an export's new folder). So a symlink
 * inside a root that points outside it is outside, whether it is the path itself or one of its folders.
 */

/** Real paths of roots that exist (computed once per root: a root that does not exist yet is tried again). */
const realRootCache = new Map<string, string>();

/** The roots' real paths; a root that does not exist yet is resolved through its nearest existing ancestor. */
export async function realRoots(roots: readonly string[]): Promise<string[]> {
  const resolved: string[] = [];
  for (const root of roots) {
    const cached = realRootCache.get(root);
    if (cached) {
      resolved.push(cached);
      continue;
    }
    const exact = await realpath(root).catch(() => null);
    if (exact) {
      realRootCache.set(root, exact);
      resolved.push(exact);
      continue;
    }
    const throughAncestor = path.isAbsolute(root) ? await resolveThroughAncestor(root) : null;
    if (throughAncestor) resolved.push(throughAncestor);
  }
  return resolved;
}

/** Whether a real path lies inside one of the real roots (or is one, when `allowRoot`). */
export function isInsideRoots(real: string, roots: readonly string[], { allowRoot = true } = {}): boolean {
  return roots.some((root) => {
    if (real === root) return allowRoot;
    return real.startsWith(root.endsWith(path.sep) ? root : root + path.sep);
  });
}

export interface ResolveOptions {
  /** The path must exist (a source to read); otherwise it may be created later (a destination). */
  mustExist: boolean;
  /** Accept a root itself, not only what lies below it. */
  allowRoot?: boolean;
}

/**
 * The real path of `requested` when it lies inside one of `roots`, else null (relative, missing when it must
 * exist, outside, or reaching outside through a symlink, dangling ones included). The one check of ingest and
 * export paths.
 */
export async function resolveInsideRoots(
  requested: string,
  roots: readonly string[],
  options: ResolveOptions,
): Promise<string | null> {
  if (!path.isAbsolute(requested)) return null;
  let real: string | null;
  if (options.mustExist) real = await realpath(requested).catch(() => null);
  else {
    // "." and ".." would be resolved lexically here but physically by the kernel (after a symlink, they differ).
    if (requested.split(/[\\/]+/).some((part) => part === "." || part === "..")) return null;
    real = await resolveThroughAncestor(requested);
  }
  if (real === null) return null;
  return isInsideRoots(real, await realRoots(roots), { allowRoot: options.allowRoot ?? true }) ? real : null;
}

/**
 * The real path of an absolute path that may not exist yet: the real path of its nearest existing ancestor,
 * joined with the missing rest. Null when a component exists but cannot be followed: a dangling symlink (mkdir
 * would create its target, wherever that is), a file used as a folder, a folder that cannot be read.
 */
async function resolveThroughAncestor(absolute: string): Promise<string | null> {
  const missing: string[] = [];
  let current = path.resolve(absolute);
  for (;;) {
    try {
      return path.join(await realpath(current), ...missing.reverse());
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "ENOENT") return null;
    }
    // realpath says missing, yet the entry is there: a symlink to nowhere.
    const dangling = await lstat(current).then(
      () => true,
      () => false,
    );
    if (dangling) return null;
    const parent = path.dirname(current);
    if (parent === current) return null;
    missing.push(path.basename(current));
    current = parent;
  }
}

/**
 * A server path to ingest from in the web app, as its real path inside the ingest roots. A path that does not
 * exist and one outside the roots get the same answer, so the web app does not tell which server paths exist.
 */
export async function resolveAllowedPath(requested: string, roots: readonly string[]): Promise<string> {
  if (!path.isAbsolute(requested)) throw forbidden(`give an absolute path inside ${roots.join(" or ")}`);
  const real = await resolveInsideRoots(requested, roots, { mustExist: true });
  if (real === null) throw forbidden(notInsideRootsMessage(requested, roots));
  return real;
}

/** The one refusal of a web ingest path: missing and outside read the same. */
export function notInsideRootsMessage(requested: string, roots: readonly string[]): string {
  return (
    `${requested} was not found inside the ingest folders (${roots.join(", ")}; set by ARBOR_INGEST_ROOTS): ` +
    "the web app reads nothing outside the ingest folders"
  );
}

/**
 * A server folder to export into from the web app, as its real path strictly inside an export root (it may not
 * exist yet: the export creates it).
 */
export async function resolveExportDestination(destination: string, roots: readonly string[]): Promise<string> {
  const real = await resolveInsideRoots(destination, roots, { mustExist: false, allowRoot: false });
  if (real === null) throw forbidden(`exports may only be written under ${roots.join(", ")} (ARBOR_EXPORT_ROOTS)`);
  return real;
}
