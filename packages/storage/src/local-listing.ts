import type { Dirent } from "node:fs";
import { readdir, stat } from "node:fs/promises";
import path from "node:path";
import type { BlobInfo } from "./blob-store.ts";
import { contentTypeForKey } from "./content-type.ts";
import { blobKeySchema } from "./keys.ts";

/**
 * Lists the local store's files in S3 key order by walking directories in sorted order.
 *
 * A directory `a` is sorted as `a/`: every key inside it starts with `a/`, so it must come after a sibling
 * `a-c` ("-" < "/") and before `a0` ("/" < "0"). Keys are ASCII, so JS string order equals S3's byte order.
 * Entries that are not key segments (`.tmp`, `.signing-secret`, stray files) are skipped.
 */
export async function* walkSortedKeys(rootDir: string, prefix: string, startAfter: string): AsyncGenerator<BlobInfo> {
  // Start at the deepest directory the prefix names; its last, possibly partial, segment filters entries there.
  const slash = prefix.lastIndexOf("/");
  const baseKey = prefix.slice(0, slash + 1);
  const namePrefix = prefix.slice(slash + 1);
  yield* walkDirectory(rootDir, baseKey, namePrefix, startAfter);
}

async function* walkDirectory(
  rootDir: string,
  baseKey: string,
  namePrefix: string,
  startAfter: string,
): AsyncGenerator<BlobInfo> {
  const entries = await readEntries(path.join(rootDir, baseKey));
  const candidates = entries
    .filter((entry) => entry.name.startsWith(namePrefix) && blobKeySchema.safeParse(entry.name).success)
    .filter((entry) => entry.isFile() || entry.isDirectory())
    .map((entry) => ({ entry, sortKey: baseKey + entry.name + (entry.isDirectory() ? "/" : "") }))
    .sort((a, b) => (a.sortKey < b.sortKey ? -1 : a.sortKey > b.sortKey ? 1 : 0));

  for (const { entry, sortKey } of candidates) {
    if (entry.isDirectory()) {
      // Every key inside lies in [sortKey, sortKey + "\uffff"): skip the whole subtree when startAfter is past it.
      if (startAfter > sortKey && !startAfter.startsWith(sortKey)) continue;
      yield* walkDirectory(rootDir, sortKey, "", startAfter);
    } else if (sortKey > startAfter) {
      const info = await fileInfo(rootDir, sortKey);
      if (info) yield info;
    }
  }
}

async function readEntries(directory: string): Promise<Dirent[]> {
  try {
    return await readdir(directory, { withFileTypes: true });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    // A prefix naming a missing directory (or a file) simply has no keys under it.
    if (code === "ENOENT" || code === "ENOTDIR") return [];
    throw error;
  }
}

/** Stat at yield time, tolerating a concurrent delete between readdir and stat. */
async function fileInfo(rootDir: string, key: string): Promise<BlobInfo | undefined> {
  try {
    const stats = await stat(path.join(rootDir, key));
    return stats.isFile() ? { key, bytes: stats.size, contentType: contentTypeForKey(key) } : undefined;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw error;
  }
}
