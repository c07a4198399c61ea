import type { ExportClass, ExportInfo, Split } from "@arbor/core";
import type { ExportReader } from "./export-reader.ts";
import { readManifest } from "./manifest.ts";
import { mixSeed, SeededRandom, shuffledIndices } from "./seeded-random.ts";
import { listShards, readShardSamples } from "./webdataset.ts";

/** One image of an epoch: its identity and label now, its bytes when the loader asks. */
export interface SampleRef {
  key: string;
  /** Class index, or -1 when the split's labels are withheld. */
  label: number;
  /** Where the image lives in the export (manifest path, or `<shard>#<key>`). */
  path: string;
  bytes(): Promise<Buffer>;
}

export interface SplitSource {
  readonly split: Split;
  /** Samples per epoch (after `limit`). */
  readonly size: number;
  /** `shuffle: false` gives the export's own order (evaluation). Same seed → same order. */
  epoch(opts: { seed: number; shuffle: boolean }): AsyncIterable<SampleRef>;
}

export interface SplitOptions {
  /** Use at most this many images (a seeded, fixed subset for manifests): quick runs and tests. */
  limit?: number;
  /** WebDataset only: samples held for the shuffle buffer (≈ memory for that many encoded images). */
  shuffleBuffer?: number;
  seed?: number;
}

export async function openSplit(
  reader: ExportReader,
  info: ExportInfo,
  classes: ExportClass[],
  split: Split,
  opts: SplitOptions = {},
): Promise<SplitSource> {
  return info.format === "webdataset"
    ? openWebDatasetSplit(reader, info, classes, split, opts)
    : openManifestSplit(reader, classes, split, opts);
}

async function openManifestSplit(
  reader: ExportReader,
  classes: ExportClass[],
  split: Split,
  opts: SplitOptions,
): Promise<SplitSource> {
  let records = await readManifest(reader, split, classes);
  if (opts.limit !== undefined && opts.limit < records.length) {
    // A random subset, not the first N: manifests are sorted by class, so the first N would be one class.
    const pick = shuffledIndices(records.length, mixSeed(opts.seed ?? 0, 0x5eed)).subarray(0, opts.limit);
    const all = records;
    records = Array.from(pick)
      .sort((a, b) => a - b)
      .map((i) => all[i] as (typeof all)[number]);
  }
  const refs: SampleRef[] = records.map((r) => ({
    key: r.sha256,
    label: r.classIndex ?? -1,
    path: r.path,
    bytes: () => reader.readBytes(r.path),
  }));
  return {
    split,
    size: refs.length,
    async *epoch({ seed, shuffle }) {
      if (!shuffle) return yield* refs;
      for (const i of shuffledIndices(refs.length, seed)) yield refs[i] as SampleRef;
    },
  };
}

async function openWebDatasetSplit(
  reader: ExportReader,
  info: ExportInfo,
  classes: ExportClass[],
  split: Split,
  opts: SplitOptions,
): Promise<SplitSource> {
  const shards = await listShards(reader, split);
  if (shards.length === 0) throw new Error(`${reader.location}: no ${split}-NNNNNN.tar shards`);
  const total = info.counts[split] ?? 0;
  const size = opts.limit !== undefined ? Math.min(opts.limit, total) : total;
  const bufferSize = opts.shuffleBuffer ?? 2000;

  async function* stream(order: string[]): AsyncGenerator<SampleRef> {
    for (const shard of order) {
      for await (const s of readShardSamples(reader, shard, classes)) {
        const image = s.image;
        yield { key: s.key, label: s.classIndex ?? -1, path: `${shard}#${s.key}`, bytes: async () => image };
      }
    }
  }

  return {
    split,
    size,
    async *epoch({ seed, shuffle }) {
      let emitted = 0;
      if (!shuffle) {
        for await (const s of stream(shards)) {
          if (emitted++ >= size) return;
          yield s;
        }
        return;
      }
      // Shards can only be streamed, so an epoch is: shards in a seeded order, then a seeded shuffle buffer.
      const order = Array.from(shuffledIndices(shards.length, seed), (i) => shards[i] as string);
      const rng = new SeededRandom(mixSeed(seed, 1));
      const buffer: SampleRef[] = [];
      for await (const s of stream(order)) {
        if (buffer.length < bufferSize) {
          buffer.push(s);
          continue;
        }
        const j = rng.int(buffer.length);
        const out = buffer[j] as SampleRef;
        buffer[j] = s;
        if (emitted++ >= size) return;
        yield out;
      }
      while (buffer.length > 0 && emitted < size) {
        const j = rng.int(buffer.length);
        const out = buffer[j] as SampleRef;
        buffer[j] = buffer[buffer.length - 1] as SampleRef;
        buffer.pop();
        emitted++;
        yield out;
      }
    },
  };
}
