import { z } from "zod";

/** Environment of @arbor/storage, read and validated once, here and nowhere else (README: Configuration). */

/** Unset and empty are the same thing for configuration (`S3_ENDPOINT=` in a .env file means "no endpoint"). */
const optionalText = z.preprocess((value) => (value === "" ? undefined : value), z.string().optional());
const optionalUrl = (name: string) =>
  z.preprocess(
    (value) => (value === "" ? undefined : value),
    z.url({ protocol: /^https?$/, error: `${name} must be an http(s) URL` }).optional(),
  );

export const envSchema = z
  .object({
    ARBOR_STORAGE: z.preprocess(
      (value) => (value === "" ? undefined : value),
      z.enum(["local", "s3"], { error: 'ARBOR_STORAGE must be "local" or "s3"' }).default("local"),
    ),
    ARBOR_BLOB_DIR: optionalText,
    ARBOR_PUBLIC_URL: optionalUrl("ARBOR_PUBLIC_URL"),
    ARBOR_BLOB_SIGNING_SECRET: z.preprocess(
      (value) => (value === "" ? undefined : value),
      z
        .string()
        .min(32, "ARBOR_BLOB_SIGNING_SECRET must be at least 32 characters (e.g. `openssl rand -hex 32`)")
        .optional(),
    ),
    S3_ENDPOINT: optionalUrl("S3_ENDPOINT"),
    S3_REGION: optionalText,
    S3_BUCKET: optionalText,
    S3_FORCE_PATH_STYLE: z.preprocess(
      (value) => (value === "" ? undefined : typeof value === "string" ? value.toLowerCase() : value),
      // A plain enum rather than z.stringbool(): a failing stringbool stops the cross-field checks below.
      z.enum(["true", "false", "1", "0"], { error: "S3_FORCE_PATH_STYLE must be true or false" }).optional(),
    ),
    S3_ACCESS_KEY_ID: optionalText,
    S3_SECRET_ACCESS_KEY: optionalText,
  })
  .superRefine(
    (env, ctx) => {
      if (env.ARBOR_STORAGE === "s3" && !env.S3_BUCKET) {
        ctx.addIssue({ code: "custom", path: ["S3_BUCKET"], message: "S3_BUCKET is required when ARBOR_STORAGE=s3" });
      }
      if (!env.S3_ACCESS_KEY_ID !== !env.S3_SECRET_ACCESS_KEY) {
        ctx.addIssue({
          code: "custom",
          path: ["S3_SECRET_ACCESS_KEY"],
          message: "set both S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY, or neither (to use the AWS default chain)",
        });
      }
    },
    // Also when other variables are invalid, so one error lists every problem (these checks only test presence).
    { when: () => true },
  );

export interface S3Env {
  endpoint: string | undefined;
  region: string;
  bucket: string;
  forcePathStyle: boolean;
  /** Absent: the AWS SDK's default credential chain (env, profile, instance role…) applies. */
  credentials: { accessKeyId: string; secretAccessKey: string } | undefined;
}

export type StorageEnv =
  | {
      storage: "local";
      /** Absent: `<arborHome>/blobs`. */
      blobDir: string | undefined;
      /** Absent: presigned URLs are built on the origin of the request that asks for them. */
      publicUrl: string | undefined;
      /** Absent: generated once and persisted beside the blobs. */
      signingSecret: string | undefined;
      /** How to reach S3 for reading sources (ingest from s3://...), even when blobs stay local. */
      s3Connection: Omit<S3Env, "bucket">;
    }
  | { storage: "s3"; s3: S3Env; s3Connection: Omit<S3Env, "bucket"> };

export const DEFAULT_S3_REGION = "us-east-1";

/** Validates an environment-like object; throws one error listing every problem. */
export function parseStorageEnv(source: Record<string, string | undefined>): StorageEnv {
  const parsed = envSchema.safeParse(source);
  if (!parsed.success) throw new Error(`invalid storage environment:\n${z.prettifyError(parsed.error)}`);
  const env = parsed.data;
  const s3Connection = {
    endpoint: env.S3_ENDPOINT,
    region: env.S3_REGION ?? DEFAULT_S3_REGION,
    forcePathStyle: env.S3_FORCE_PATH_STYLE === "true" || env.S3_FORCE_PATH_STYLE === "1",
    credentials:
      env.S3_ACCESS_KEY_ID && env.S3_SECRET_ACCESS_KEY
        ? { accessKeyId: env.S3_ACCESS_KEY_ID, secretAccessKey: env.S3_SECRET_ACCESS_KEY }
        : undefined,
  };
  if (env.ARBOR_STORAGE === "local") {
    return {
      storage: "local",
      s3Connection,
      blobDir: env.ARBOR_BLOB_DIR,
      publicUrl: env.ARBOR_PUBLIC_URL?.replace(/\/+$/, ""),
      signingSecret: env.ARBOR_BLOB_SIGNING_SECRET,
    };
  }
  // S3_BUCKET is checked by superRefine above; the fallback only satisfies the type.
  return { storage: "s3", s3Connection, s3: { ...s3Connection, bucket: env.S3_BUCKET ?? "" } };
}

let cached: StorageEnv | undefined;

/** The process environment, parsed on first use and cached (configuration does not change while running). */
export function storageEnv(): StorageEnv {
  cached ??= parseStorageEnv(process.env);
  return cached;
}
