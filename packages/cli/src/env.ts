import { z } from "zod";

/** Environment of @arbor/cli, read and validated once, here and nowhere else (README: Configuration). */
export const envSchema = z.object({
  /** HTTP port of `arbor start` when `--port` is not given. */
  PORT: z.preprocess(
    (value) => (value === "" ? undefined : value),
    z.coerce.number({ error: "PORT must be a port number" }).int().min(1).max(65535).default(3000),
  ),
  /** The Arbor server `arbor challenge submit` and `test-images` talk to, when `--server` is not given. */
  ARBOR_SERVER: z.preprocess(
    (value) => (value === "" ? undefined : value),
    z.url({ protocol: /^https?$/, error: "ARBOR_SERVER must be an http(s) URL" }).optional(),
  ),
  /** The API token those commands send (`Authorization: Bearer`), when `--token` is not given. */
  ARBOR_TOKEN: z.preprocess((value) => (value === "" ? undefined : value), z.string().optional()),
});

export interface CliEnv {
  port: number;
  /** ARBOR_SERVER: the server of the challenge client commands. */
  server: string | undefined;
  /** ARBOR_TOKEN: their API token. */
  token: string | undefined;
}

let cached: CliEnv | undefined;

/** The process environment, parsed on first use and cached. */
export function cliEnv(): CliEnv {
  if (cached) return cached;
  const parsed = envSchema.safeParse(process.env);
  if (!parsed.success) throw new Error(`invalid environment: ${z.prettifyError(parsed.error)}`);
  cached = { port: parsed.data.PORT, server: parsed.data.ARBOR_SERVER, token: parsed.data.ARBOR_TOKEN };
  return cached;
}

/**
 * The environment a child process (the web app, `next build`) runs with: this process's, with `extra` on top
 * (spawn's `env` replaces the environment rather than adding to it).
 */
export function childProcessEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return { ...process.env, ...extra };
}
