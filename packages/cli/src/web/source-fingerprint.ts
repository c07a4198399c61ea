import { createHash } from "node:crypto";
import { readdir, stat } from "node:fs/promises";
import path from "node:path";

const SKIP = new Set(["node_modules", ".next", ".turbo", "generated", "e2e"]);

/**
 * A fingerprint of everything a web build depends on (names, sizes and modification times of the source
 * files), so `arbor start` rebuilds only when something changed.
 */
export async function sourceFingerprint(roots: string[]): Promise<string> {
  const hash = createHash("sha256");
  const walk = async (dir: string): Promise<void> => {
    const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
    entries.sort((a, b) => a.name.localeCompare(b.name));
    for (const entry of entries) {
      if (SKIP.has(entry.name) || entry.name.startsWith(".")) continue;
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) await walk(full);
      else if (entry.isFile()) {
        const info = await stat(full);
        hash.update(`${full}\0${info.size}\0${info.mtimeMs}\n`);
      }
    }
  };
  for (const root of roots) {
    const info = await stat(root).catch(() => null);
    if (info?.isDirectory()) await walk(root);
    else if (info) hash.update(`${root}\0${info.size}\0${info.mtimeMs}\n`);
  }
  return hash.digest("hex");
}
