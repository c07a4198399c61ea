import { type ChildProcess, spawn } from "node:child_process";
import { readFile, realpath, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { z } from "zod";
import { childProcessEnv } from "../env.ts";
import { sourceFingerprint } from "./source-fingerprint.ts";

const ROOT = fileURLToPath(new URL("../../../../", import.meta.url));
export const WEB_DIR = path.join(ROOT, "apps", "web");
/** Writes the web app's route index, which `next build` and `next dev` compile (gitignored, so generated). */
const ROUTE_INDEX_GENERATOR = path.join(WEB_DIR, "scripts", "generate-route-index.mjs");

/** The `next` CLI, run with this Node (no shell, no npx lookup). */
export function nextBin(): string {
  return createRequire(path.join(WEB_DIR, "package.json")).resolve("next/dist/bin/next");
}

const webConfigSchema = z.object({
  transpilePackages: z.array(z.string()),
  distDir: z.string().default(".next"),
});

/**
 * What the CLI needs of apps/web/next.config.ts: `transpilePackages`, the internal packages compiled into the
 * web build (the one list: a package added there is watched here too), and the build folder.
 */
export async function webConfig(): Promise<z.infer<typeof webConfigSchema>> {
  const loaded = (await import(pathToFileURL(path.join(WEB_DIR, "next.config.ts")).href)) as { default?: unknown };
  return webConfigSchema.parse(loaded.default);
}

/**
 * Everything a web build depends on: the web app, the folder of every internal package it compiles in (found
 * through the workspace links in node_modules), the Prisma schema (the generated client) and the lockfile.
 */
export async function webBuildInputs(): Promise<string[]> {
  const packageDirs = await Promise.all(
    (await webConfig()).transpilePackages.map((name) => realpath(path.join(ROOT, "node_modules", ...name.split("/")))),
  );
  return [WEB_DIR, ...packageDirs, path.join(ROOT, "prisma", "schema.prisma"), path.join(ROOT, "package-lock.json")];
}

/** Runs a child process to its end; rejects unless it exits with 0. */
function run(what: string, child: ChildProcess): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    child.on("error", reject);
    child.on("exit", (code) => (code === 0 ? resolve() : reject(new Error(`${what} failed (exit ${code})`))));
  });
}

/** Writes the route index when the route files changed (what the web's `routes` script does). */
export function generateRouteIndex(): Promise<void> {
  return run("generating the route index", spawn(process.execPath, [ROUTE_INDEX_GENERATOR], { stdio: "inherit" }));
}

/**
 * Builds the web app (what its `build` script does: the route index, then `next build`) when its sources
 * changed since the last build; returns whether it built.
 */
export async function buildWebAppIfStale(log: (line: string) => void): Promise<boolean> {
  // First, so the fingerprint sees the index the build will compile (it is only rewritten when it changes).
  await generateRouteIndex();
  const fingerprint = await sourceFingerprint(await webBuildInputs());
  const stamp = path.join(WEB_DIR, (await webConfig()).distDir, "arbor-source-fingerprint");
  if ((await readFile(stamp, "utf8").catch(() => "")) === fingerprint) return false;
  log("building the web app (first start, or sources changed)…");
  await run("next build", spawn(process.execPath, [nextBin(), "build"], { cwd: WEB_DIR, stdio: "inherit" }));
  await writeFile(stamp, fingerprint);
  return true;
}

export interface RunningWebApp {
  /** e.g. http://127.0.0.1:4123 */
  baseUrl: string;
  stop(): void;
}

/**
 * Serves the production build on a free loopback port against a database, and waits until it answers
 * /api/v1/health. For benchmarks and simulations.
 */
export async function serveWebApp(databaseUrl: string, env: Record<string, string> = {}): Promise<RunningWebApp> {
  const { freePort } = await import("@arbor/db");
  const port = await freePort();
  const web = spawn(process.execPath, [nextBin(), "start", "-p", String(port), "-H", "127.0.0.1"], {
    cwd: WEB_DIR,
    stdio: ["ignore", "ignore", "inherit"],
    env: childProcessEnv({ ...env, DATABASE_URL: databaseUrl, NODE_ENV: "production" }),
  });
  const baseUrl = `http://127.0.0.1:${port}`;
  for (let i = 0; ; i++) {
    if (web.exitCode !== null) throw new Error(`next start exited with ${web.exitCode}`);
    if (
      await fetch(`${baseUrl}/api/v1/health`).then(
        (r) => r.ok,
        () => false,
      )
    )
      break;
    if (i > 300) throw new Error("the web app did not answer within 60 s");
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return { baseUrl, stop: () => web.kill("SIGTERM") };
}
