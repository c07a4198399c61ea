import type { Dirent } from "node:fs";
import { open, opendir, realpath, stat } from "node:fs/promises";
import path from "node:path";
import { isInsideRoots, realRoots } from "../allowed-paths.ts";
import { type IngestSource, ItemReadError, type SourceItem } from "./ingest-source.ts";
import { type LabelRules, labelFor } from "./labels.ts";

export interface FolderOptions {
  /**
   * Folders symlinks may lead into (a web ingest's ARBOR_INGEST_ROOTS): a symlink whose target lies elsewhere is
   * skipped with a reason. Absent (the CLI): every symlink is followed.
   */
  confineTo?: readonly string[];
}

/** What one walk of the tree met besides the files it yields, for the "nothing to ingest" warning. */
interface WalkTally {
  entries: number;
  hidden: number;
  folders: number;
}

/** A file to ingest, or an entry the walk could not follow (reported as a skip). */
type WalkEntry = { file: string; real: string } | { skipped: string; reason: string; message: string };

/**
 * Every file below `root` (hidden files excepted), in sorted order, labelled by the layout rules (by the path
 * as it appears under the root, so a folder of symlinks labels like a folder of files). Symlinks to files and
 * folders are followed (to targets inside `confineTo` only, when given), a link back into a folder being walked
 * is skipped rather than walked for ever, and a broken link is skipped: each with a reason in the report.
 * Streams the tree: a folder of millions of files is never held in memory. The walk reads directory entries
 * only (and resolves symlinks); each file's size is checked when it is read, inside the ingest's concurrent
 * phase.
 */
export async function folderSource(
  root: string,
  rules: LabelRules,
  options: FolderOptions = {},
): Promise<IngestSource> {
  const info = await stat(root).catch(() => null);
  if (!info) throw new Error(`${root} does not exist`);
  if (!info.isDirectory()) throw new Error(`${root} is not a folder`);
  const realRoot = await realpath(root);
  const confineTo = options.confineTo ? await realRoots(options.confineTo) : undefined;
  let lastTally: WalkTally | undefined;
  let yielded = 0;
  return {
    async count() {
      let n = 0;
      for await (const _ of walk(root, realRoot, [realRoot], confineTo, newTally())) n++;
      return n;
    },
    async *items(): AsyncIterable<SourceItem> {
      const tally = newTally();
      lastTally = tally;
      yielded = 0;
      for await (const entry of walk(root, realRoot, [realRoot], confineTo, tally)) {
        yielded++;
        if ("skipped" in entry) {
          yield {
            locator: entry.skipped,
            label: { problem: entry.message },
            skip: { reason: entry.reason, message: entry.message },
            read: async () => {
              throw new ItemReadError("read-failed", entry.message);
            },
          };
          continue;
        }
        const relative = path.relative(root, entry.file);
        yield {
          locator: entry.file,
          label: labelFor(relative, rules),
          // The target resolved (and checked) by the walk, not the link, which could be pointed elsewhere since.
          read: (maxBytes) => readCapped(entry.real, relative, maxBytes),
        };
      }
    },
    whyNothing() {
      if (!lastTally || yielded > 0) return null;
      const { entries, hidden, folders } = lastTally;
      if (entries === 0) return `${root} is empty`;
      const parts = [
        hidden > 0 ? `${hidden} hidden (name starting with ".")` : null,
        folders > 0
          ? `${folders} folder${folders === 1 ? "" : "s"} with no file in ${folders === 1 ? "it" : "them"}`
          : null,
      ].filter((part) => part !== null);
      return `${entries} entr${entries === 1 ? "y" : "ies"}, none an image file: ${parts.join(", ")}`;
    },
  };
}

const newTally = (): WalkTally => ({ entries: 0, hidden: 0, folders: 0 });

/**
 * `dir` as it appears under the root, `realDir` its real path; `ancestors` the real paths of the folders being
 * walked (the loop check).
 */
async function* walk(
  dir: string,
  realDir: string,
  ancestors: readonly string[],
  confineTo: readonly string[] | undefined,
  tally: WalkTally,
): AsyncIterable<WalkEntry> {
  const entries: Dirent[] = [];
  for await (const entry of await opendir(dir)) {
    tally.entries++;
    if (entry.name.startsWith(".")) tally.hidden++;
    else entries.push(entry);
  }
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const entry of entries) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      tally.folders++;
      yield* walk(
        full,
        path.join(realDir, entry.name),
        [...ancestors, path.join(realDir, entry.name)],
        confineTo,
        tally,
      );
    } else if (entry.isFile()) {
      yield { file: full, real: path.join(realDir, entry.name) };
    } else if (entry.isSymbolicLink()) {
      const real = await realpath(full).catch(() => null);
      const target = real && (await stat(real).catch(() => null));
      if (!real || !target) {
        yield { skipped: full, reason: "broken-symlink", message: "a symlink to something that does not exist" };
      } else if (confineTo && !isInsideRoots(real, confineTo)) {
        yield {
          skipped: full,
          reason: "symlink-outside-roots",
          message: "a symlink pointing outside the ingest roots (ARBOR_INGEST_ROOTS): not followed from the web app",
        };
      } else if (target.isDirectory()) {
        if (ancestors.some((ancestor) => ancestor === real)) {
          yield { skipped: full, reason: "symlink-loop", message: `a symlink back to ${real}, a folder above it` };
        } else {
          tally.folders++;
          yield* walk(full, real, [...ancestors, real], confineTo, tally);
        }
      } else if (target.isFile()) {
        yield { file: full, real };
      } else {
        yield { skipped: full, reason: "not-a-file", message: "a symlink to something that is not a regular file" };
      }
    } else {
      yield { skipped: full, reason: "not-a-file", message: "not a regular file (a socket, pipe or device)" };
    }
  }
}

async function readCapped(file: string, relative: string, maxBytes: number): Promise<Buffer> {
  let handle: Awaited<ReturnType<typeof open>> | undefined;
  try {
    handle = await open(file, "r");
    const { size } = await handle.stat();
    if (size > maxBytes) throw new ItemReadError("too-large", `${size} bytes is over the ${maxBytes}-byte limit`);
    return await handle.readFile();
  } catch (error) {
    if (error instanceof ItemReadError) throw error;
    throw new ItemReadError("read-failed", `cannot read ${relative}: ${(error as Error).message}`);
  } finally {
    await handle?.close();
  }
}
