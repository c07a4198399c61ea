import { z } from "zod";

/** Environment of @arbor/cli, read and validated once, here and nowhere else (README: Configuration). */
export const envSchema = z.object({
  /** HTTP port of `arbor start` when `--port` is not given. */
  PORT: z.preprocess(
    (value) => (value === "" ? undefined : value),
    z.coerce.number({ error: "PORT must be a port number" }).int().min(1).max(65535).default(3000),
  ),
});

export interface CliEnv {
  port: number;
}

let cached: CliEnv | undefined;

/** The process environment, parsed on first use and cached. */
export function cliEnv(): CliEnv {
  if (cached) return cached;
  const parsed = envSchema.safeParse(process.env);
  if (!parsed.success) throw new Error(`invalid environment: ${z.prettifyError(parsed.error)}`);
  cached = { port: parsed.data.PORT };
  return cached;
}

/**
 * The environment a child process (the web app, `next build`) runs with: this process's, with `extra` on top
 * (spawn's `env` replaces the environment rather than adding to it).
 */
export function childProcessEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return { ...process.env, ...extra };
}
