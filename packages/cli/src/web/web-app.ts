import { spawn } from "node:child_process";
import { readFile, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { sourceFingerprint } from "./source-fingerprint.ts";

const ROOT = fileURLToPath(new URL("../../../../", import.meta.url));
export const WEB_DIR = path.join(ROOT, "apps", "web");
const STAMP = path.join(WEB_DIR, ".next", "arbor-source-fingerprint");

/** The `next` CLI, run with this Node (no shell, no npx lookup). */
export function nextBin(): string {
  return createRequire(path.join(WEB_DIR, "package.json")).resolve("next/dist/bin/next");
}

function buildInputs(): string[] {
  return [
    WEB_DIR,
    path.join(ROOT, "packages", "core", "src"),
    path.join(ROOT, "packages", "db", "src"),
    path.join(ROOT, "packages", "usecases", "src"),
    path.join(ROOT, "prisma", "schema.prisma"),
    path.join(ROOT, "package-lock.json"),
  ];
}

/** Builds the web app when its sources changed since the last build; returns whether it built. */
export async function buildWebAppIfStale(log: (line: string) => void): Promise<boolean> {
  const fingerprint = await sourceFingerprint(buildInputs());
  if ((await readFile(STAMP, "utf8").catch(() => "")) === fingerprint) return false;
  log("building the web app (first start, or sources changed)…");
  await new Promise<void>((resolve, reject) => {
    const child = spawn(process.execPath, [nextBin(), "build"], { cwd: WEB_DIR, stdio: "inherit", env: process.env });
    child.on("error", reject);
    child.on("exit", (code) => (code === 0 ? resolve() : reject(new Error(`next build failed (exit ${code})`))));
  });
  await writeFile(STAMP, fingerprint);
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
    env: { ...process.env, ...env, DATABASE_URL: databaseUrl, NODE_ENV: "production" },
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
