import { opendir, readFile, stat } from "node:fs/promises";
import path from "node:path";
import { type IngestSource, ItemReadError, type SourceItem } from "./ingest-source.ts";
import { type LabelRules, labelFor } from "./labels.ts";

/**
 * Every file below `root` (hidden files excepted), in sorted order, labelled by the layout rules.
 * Streams the tree: a folder of millions of files is never held in memory.
 */
export async function folderSource(root: string, rules: LabelRules): Promise<IngestSource> {
  const info = await stat(root).catch(() => null);
  if (!info?.isDirectory()) throw new Error(`${root} is not a folder`);
  return {
    async count() {
      let n = 0;
      for await (const _ of walk(root)) n++;
      return n;
    },
    async *items(): AsyncIterable<SourceItem> {
      for await (const file of walk(root)) {
        const relative = path.relative(root, file.path);
        yield {
          locator: file.path,
          label: labelFor(relative, rules),
          size: file.size,
          read: () =>
            readFile(file.path).catch((error: Error) => {
              throw new ItemReadError("read-failed", `cannot read ${relative}: ${error.message}`);
            }),
        };
      }
    },
  };
}

async function* walk(dir: string): AsyncIterable<{ path: string; size: number }> {
  const entries = [];
  for await (const entry of await opendir(dir)) if (!entry.name.startsWith(".")) entries.push(entry);
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const entry of entries) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) yield* walk(full);
    else if (entry.isFile()) yield { path: full, size: (await stat(full)).size };
  }
}
