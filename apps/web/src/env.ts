import { z } from "zod";

/**
 * Environment of the web app's own build and tests, read and validated once, here and nowhere else (README:
 * Configuration). What the server reads at run time is the packages' configuration, through @arbor/usecases.
 * Loaded by next.config.ts, so it imports nothing but zod.
 */
export const envSchema = z.object({
  /** Next's build folder (`distDir`): the e2e tests build into `.next-test`, so they never replace `npm start`'s. */
  ARBOR_NEXT_DIST_DIR: z.preprocess((value) => (value === "" ? undefined : value), z.string().default(".next")),
  /** The Chromium the browser tests drive; absent: Debian's `/usr/bin/chromium` (or `chromium-browser`). */
  CHROMIUM_PATH: z.preprocess((value) => (value === "" ? undefined : value), z.string().optional()),
  /** Set by Next itself: `development` under `next dev` (the CSP then allows what dev mode's React needs). */
  NODE_ENV: z.enum(["development", "production", "test"]).default("production"),
  /** Set by Next itself: its phase (`phase-production-build` while `next build` runs). */
  NEXT_PHASE: z.string().optional(),
});

export interface WebEnv {
  nextDistDir: string;
  chromiumPath: string | undefined;
  dev: boolean;
  /** `next build` is running (it loads instrumentation too, with no database to reach). */
  building: boolean;
}

let cached: WebEnv | undefined;

/** The process environment, parsed on first use and cached. */
export function webEnv(): WebEnv {
  if (cached) return cached;
  const parsed = envSchema.safeParse(process.env);
  if (!parsed.success) throw new Error(`invalid environment: ${z.prettifyError(parsed.error)}`);
  cached = {
    nextDistDir: parsed.data.ARBOR_NEXT_DIST_DIR,
    chromiumPath: parsed.data.CHROMIUM_PATH,
    dev: parsed.data.NODE_ENV === "development",
    building: parsed.data.NEXT_PHASE === "phase-production-build",
  };
  return cached;
}

/**
 * The environment a child process (the e2e tests' `next build` and `next start`) runs with: this process's,
 * with `extra` on top (spawn's `env` replaces the environment rather than adding to it).
 */
export function childProcessEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return { ...process.env, ...extra };
}
