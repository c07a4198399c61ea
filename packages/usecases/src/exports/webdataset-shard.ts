import { createHash } from "node:crypto";
import { Readable } from "node:stream";
import { TAR_END, tarHeader, tarPadding } from "@arbor/core";
import { type ImageBytes, streamToBuffer } from "./image-file.ts";

export interface ShardSample {
  key: string;
  extension: string;
  /** Class index, or null when the label is withheld. */
  classIndex: number | null;
  json: string;
  bytes: () => Promise<ImageBytes>;
}

/**
 * One WebDataset shard as a stream (so a shard never sits in memory whole), hashing what it emits. Images
 * are fetched a few ahead of the writer, in order. Members have fixed metadata (see tar.ts), so the same
 * samples always give the same bytes.
 */
export function shardStream(
  samples: readonly ShardSample[],
  readAhead = 8,
): { stream: Readable; sha256: () => string } {
  const hash = createHash("sha256");
  let batch: Uint8Array[] = [];
  let batchBytes = 0;
  const flush = () => {
    const out = Buffer.concat(batch);
    hash.update(out);
    batch = [];
    batchBytes = 0;
    return out;
  };
  async function* members(): AsyncGenerator<Uint8Array> {
    const pending: Array<Promise<Buffer>> = [];
    const fetch = (i: number) => {
      const sample = samples[i];
      if (sample) pending.push(sample.bytes().then((b) => (Buffer.isBuffer(b.body) ? b.body : streamToBuffer(b.body))));
    };
    for (let i = 0; i < readAhead; i++) fetch(i);
    for (let i = 0; i < samples.length; i++) {
      const sample = samples[i] as ShardSample;
      const image = await (pending.shift() as Promise<Buffer>);
      fetch(i + readAhead);
      const parts: Array<[string, Uint8Array]> = [[`${sample.key}.${sample.extension}`, image]];
      if (sample.classIndex !== null) parts.push([`${sample.key}.cls`, Buffer.from(String(sample.classIndex))]);
      parts.push([`${sample.key}.json`, Buffer.from(sample.json)]);
      for (const [name, data] of parts) {
        for (const chunk of [tarHeader(name, data.length), data, tarPadding(data.length)]) {
          if (chunk.length === 0) continue;
          batch.push(chunk);
          batchBytes += chunk.length;
        }
      }
      // Small members (labels, 1 KB thumbnails) are gathered into ~1 MiB writes: one write call per member
      // would cost more than the bytes.
      if (batchBytes >= 1 << 20) yield flush();
    }
    batch.push(TAR_END);
    yield flush();
  }
  // A byte stream with a 1 MiB mark: Readable.from's default (object mode, 16 objects) buffers up to 16 of
  // these ~1 MiB chunks per shard ahead of the writer.
  return {
    stream: Readable.from(members(), { objectMode: false, highWaterMark: 1 << 20 }),
    sha256: () => hash.digest("hex"),
  };
}
