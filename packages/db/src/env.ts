import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { z } from "zod";

/** Environment of @arbor/db, read and validated once, here and nowhere else (README: Configuration). */
export const envSchema = z.object({
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, "DATABASE_URL must be a postgres:// URL")
    .optional()
    .or(z.literal("").transform(() => undefined)),
  ARBOR_HOME: z.string().min(1).optional(),
  /** Size of each process's connection pool. */
  ARBOR_DB_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(10),
});

export interface DbEnv {
  databaseUrl: string | undefined;
  /** Where the embedded database (and later, blobs) live. */
  arborHome: string;
  poolSize: number;
}

let cached: DbEnv | undefined;

export function dbEnv(): DbEnv {
  if (cached) return cached;
  const parsed = envSchema.safeParse(process.env);
  if (!parsed.success) throw new Error(`invalid environment: ${z.prettifyError(parsed.error)}`);
  const env = parsed.data;
  cached = {
    databaseUrl: env.DATABASE_URL,
    arborHome: path.resolve(
      /*turbopackIgnore: true*/ env.ARBOR_HOME ?? path.join(findProjectRoot(process.cwd()), ".arbor"),
    ),
    poolSize: env.ARBOR_DB_POOL_SIZE,
  };
  return cached;
}

/**
 * The environment a child process of this package runs with: this process's, with `extra` on top (spawn's
 * `env` replaces the environment rather than adding to it).
 */
export function childProcessEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  return { ...process.env, ...extra };
}

/** The Arbor checkout containing `dir` (so `npx arbor` and the web app, run from any folder, share one home). */
export function findProjectRoot(dir: string): string {
  for (let current = dir; ; current = path.dirname(current)) {
    const manifest = path.join(current, "package.json");
    if (existsSync(manifest) && JSON.parse(readFileSync(manifest, "utf8")).name === "arbor") return current;
    if (path.dirname(current) === current) return dir;
  }
}
