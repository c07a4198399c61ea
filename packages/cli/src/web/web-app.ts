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
