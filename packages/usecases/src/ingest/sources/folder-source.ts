import { open, opendir, stat } from "node:fs/promises";
import path from "node:path";
import { type IngestSource, ItemReadError, type SourceItem } from "./ingest-source.ts";
import { type LabelRules, labelFor } from "./labels.ts";

/**
 * Every file below `root` (hidden files excepted), in sorted order, labelled by the layout rules.
 * Streams the tree: a folder of millions of files is never held in memory. The walk reads directory
 * entries only; each file's size is checked when it is read, inside the ingest's concurrent phase.
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
        const relative = path.relative(root, file);
        yield {
          locator: file,
          label: labelFor(relative, rules),
          read: (maxBytes) => readCapped(file, relative, maxBytes),
        };
      }
    },
  };
}

async function* walk(dir: string): AsyncIterable<string> {
  const entries = [];
  for await (const entry of await opendir(dir)) if (!entry.name.startsWith(".")) entries.push(entry);
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const entry of entries) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) yield* walk(full);
    else if (entry.isFile()) yield full;
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
