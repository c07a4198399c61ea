import { z } from "zod";

/** The URL of a presigned link to the local blob store: `/api/v1/blobs/<key>?expires=…&signature=…`. */

export const signedBlobParams = z.object({
  // A catch-all route segment arrives as its parts; the key is them joined again.
  key: z
    .preprocess((value) => (Array.isArray(value) ? value.join("/") : value), z.string())
    .meta({ description: "the blob key, slashes included (e.g. exports/3/export.json)" }),
});

/** Optional to the parser: a link without them is refused like a forged one (`forbidden`), not as malformed. */
export const signedBlobQuery = z.object({
  expires: z.coerce
    .number()
    .int()
    .optional()
    .meta({ description: "unix seconds after which the link is refused (part of the presigned URL)" }),
  signature: z
    .string()
    .regex(/^[0-9a-f]{64}$/)
    .optional()
    .meta({ description: "HMAC-SHA256 of method, key and expiry, hex (part of the presigned URL)" }),
});

export type SignedBlobQuery = z.infer<typeof signedBlobQuery>;
