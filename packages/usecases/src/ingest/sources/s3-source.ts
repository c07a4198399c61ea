import { buffer } from "node:stream/consumers";
import { parseS3Url } from "@arbor/core";
import type { Db } from "@arbor/db";
import type { BlobStore } from "@arbor/storage";
import { type IngestSource, ItemReadError, type SourceItem } from "./ingest-source.ts";
import { type LabelRules, labelFor } from "./labels.ts";

const SEEN_CHECK_BATCH = 500;

/**
 * The objects under an S3 prefix (same layouts as a folder). Incremental: keys some earlier run already
 * ingested (recorded as image sources) are passed over without downloading, so a re-run takes only new keys.
 */
export async function s3Source(
  url: string,
  rules: LabelRules,
  deps: { db: Db; openBucket: (bucket: string) => BlobStore },
): Promise<IngestSource> {
  const { db } = deps;
  const { bucket, prefix } = parseS3Url(url);
  const store = deps.openBucket(bucket);
  const locatorOf = (key: string) => `s3://${bucket}/${key}`;
  // What the last items() met, for the warning of a run that found nothing new.
  let listed = 0;
  let passedOver = 0;
  return {
    count: async () => null,
    whyNothing: () =>
      listed === 0
        ? `no object under ${url}`
        : passedOver === listed
          ? `all ${listed} object${listed === 1 ? "" : "s"} under ${url} were ingested by earlier runs (a re-run takes only new keys)`
          : null,
    async *items(): AsyncIterable<SourceItem> {
      listed = 0;
      passedOver = 0;
      let page: { key: string; bytes: number }[] = [];
      const emit = async function* () {
        const seen = new Set(
          (
            await db.imageSource.findMany({
              where: { kind: "s3", locator: { in: page.map((o) => locatorOf(o.key)) } },
              select: { locator: true },
            })
          ).map((s) => s.locator),
        );
        for (const object of page) {
          if (seen.has(locatorOf(object.key))) {
            passedOver++;
            continue;
          }
          yield {
            locator: locatorOf(object.key),
            label: labelFor(object.key.slice(prefix.length).replace(/^\//, ""), rules),
            size: object.bytes,
            read: async () => {
              try {
                return await buffer(await store.getStream(object.key));
              } catch (error) {
                throw new ItemReadError(
                  "read-failed",
                  `cannot read ${locatorOf(object.key)}: ${(error as Error).message}`,
                );
              }
            },
          };
        }
        page = [];
      };
      for await (const object of store.list(prefix)) {
        if (object.key.endsWith("/")) continue;
        listed++;
        page.push(object);
        if (page.length >= SEEN_CHECK_BATCH) yield* emit();
      }
      yield* emit();
    },
  };
}
