import { buffer } from "node:stream/consumers";
import type { BlobStore } from "@arbor/storage";
import { type IngestSource, ItemReadError } from "./ingest-source.ts";

/** Files uploaded through the browser: staged in the blob store by the upload route, all for one synset. */
export function uploadSource(files: { key: string; name: string }[], wnid: string, blobs: BlobStore): IngestSource {
  return {
    count: async () => files.length,
    async *items() {
      for (const file of files) {
        yield {
          locator: `upload:${file.name}`,
          label: { wnid },
          read: async () => {
            try {
              return await buffer(await blobs.getStream(file.key));
            } catch (error) {
              throw new ItemReadError("read-failed", `upload ${file.name} is gone: ${(error as Error).message}`);
            }
          },
        };
      }
    },
    async cleanup() {
      for (const file of files) await blobs.delete(file.key).catch(() => {});
    },
  };
}
