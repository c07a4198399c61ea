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
          hash.update(chunk);
          yield chunk;
        }
      }
    }
    hash.update(TAR_END);
    yield TAR_END;
  }
  return { stream: Readable.from(members()), sha256: () => hash.digest("hex") };
}
