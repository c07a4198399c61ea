import { z } from "zod";

/** Environment of @arbor/train, read and validated once, here and nowhere else (README: Configuration). */
export const envSchema = z.object({
  /**
   * The S3-compatible endpoint (MinIO and friends) exports are read from. The AWS SDK reads it itself, with the
   * rest of its standard chain (credentials, region); it is read here to switch to path-style addressing.
   */
  AWS_ENDPOINT_URL: z.preprocess(
    (value) => (value === "" ? undefined : value),
    z.url({ protocol: /^https?$/, error: "AWS_ENDPOINT_URL must be an http(s) URL" }).optional(),
  ),
  /** Set by CI services (`true`): tests that need a system tool CI installs then fail instead of skipping. */
  CI: z.string().optional(),
});

export interface TrainEnv {
  /** Absent: AWS itself. */
  awsEndpointUrl: string | undefined;
  /** Running in CI (`CI` is `true` or `1`). */
  ci: boolean;
}

let cached: TrainEnv | undefined;

/** The process environment, parsed on first use and cached. */
export function trainEnv(): TrainEnv {
  if (cached) return cached;
  const parsed = envSchema.safeParse(process.env);
  if (!parsed.success) throw new Error(`invalid environment: ${z.prettifyError(parsed.error)}`);
  cached = { awsEndpointUrl: parsed.data.AWS_ENDPOINT_URL, ci: parsed.data.CI === "true" || parsed.data.CI === "1" };
  return cached;
}
