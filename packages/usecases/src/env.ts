import path from "node:path";
import { dbEnv } from "@arbor/db";
import { z } from "zod";

/** Environment of @arbor/usecases, read and validated once, here and nowhere else (README: Configuration). */
export const envSchema = z.object({
  /** Server folders the web app may ingest from (path-separated list). The CLI is not limited. */
  ARBOR_INGEST_ROOTS: z.string().optional(),
  /** Server folders the web app may export to (path-separated list). The CLI is not limited. */
  ARBOR_EXPORT_ROOTS: z.string().optional(),
  /** Whether anonymous visitors may browse images (off: image pages and synset image lists need a sign-in). */
  ARBOR_PUBLIC_BROWSE: z
    .enum(["true", "false", "1", "0", "on", "off", ""])
    .optional()
    .transform((value) => value !== "false" && value !== "0" && value !== "off"),
  /**
   * Whether anyone may create a participant account at /signup (to take part in challenges); off: only admins
   * create accounts (`arbor user create`).
   */
  ARBOR_OPEN_SIGNUP: z
    .enum(["true", "false", "1", "0", "on", "off", ""])
    .optional()
    .transform((value) => value !== "false" && value !== "0" && value !== "off"),
  /**
   * A running ingest or export whose heartbeat (every 5 s) is older than this is taken for dead (its process
   * was killed) and marked failed.
   */
  ARBOR_STALE_RUN_SECONDS: z.preprocess(
    (value) => (value === "" ? undefined : value),
    z.coerce
      .number({ error: "ARBOR_STALE_RUN_SECONDS must be a number of seconds" })
      .int("ARBOR_STALE_RUN_SECONDS must be a whole number of seconds")
      .min(30, "ARBOR_STALE_RUN_SECONDS must be at least 30 (six missed heartbeats)")
      .max(86_400, "ARBOR_STALE_RUN_SECONDS must be at most 86400 (a day)")
      .default(120),
  ),
  /**
   * Reverse proxies in front of the web app that append the client's address to X-Forwarded-For: the
   * sign-in throttle's address is the entry the outermost of them wrote (0 or 1: the rightmost entry).
   */
  ARBOR_TRUSTED_PROXY_HOPS: z.preprocess(
    (value) => (value === "" ? undefined : value),
    z.coerce
      .number({ error: "ARBOR_TRUSTED_PROXY_HOPS must be a number of proxies" })
      .int("ARBOR_TRUSTED_PROXY_HOPS must be a whole number")
      .min(0, "ARBOR_TRUSTED_PROXY_HOPS must be 0 or more")
      .max(10, "ARBOR_TRUSTED_PROXY_HOPS must be at most 10")
      .default(0),
  ),
});

let cached: UsecasesEnv | undefined;

export interface UsecasesEnv {
  ingestRoots: string[];
  exportRoots: string[];
  /** ARBOR_PUBLIC_BROWSE: anonymous visitors may see images (the hierarchy is public either way). */
  publicBrowse: boolean;
  /** ARBOR_OPEN_SIGNUP: anyone may sign up as a participant (challenges). */
  openSignUp: boolean;
  /** ARBOR_STALE_RUN_SECONDS: without a heartbeat for this long, a running ingest or export is marked failed. */
  staleRunSeconds: number;
  /** ARBOR_TRUSTED_PROXY_HOPS: proxies in front that append to X-Forwarded-For (the sign-in throttle's address). */
  trustedProxyHops: number;
}

export function usecasesEnv(): UsecasesEnv {
  if (cached) return cached;
  const env = envSchema.parse(process.env);
  const roots = env.ARBOR_INGEST_ROOTS?.split(path.delimiter).filter(Boolean) ?? [
    path.join(dbEnv().arborHome, "imports"),
  ];
  const exportRoots = env.ARBOR_EXPORT_ROOTS?.split(path.delimiter).filter(Boolean) ?? [
    path.join(dbEnv().arborHome, "exports"),
  ];
  cached = {
    ingestRoots: roots.map((root) => path.resolve(root)),
    exportRoots: exportRoots.map((root) => path.resolve(root)),
    publicBrowse: env.ARBOR_PUBLIC_BROWSE,
    openSignUp: env.ARBOR_OPEN_SIGNUP,
    staleRunSeconds: env.ARBOR_STALE_RUN_SECONDS,
    trustedProxyHops: env.ARBOR_TRUSTED_PROXY_HOPS,
  };
  return cached;
}
