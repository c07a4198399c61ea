import { type ChildProcess, spawn } from "node:child_process";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import { freePort } from "@arbor/db";
import { createDatabaseFrom, startTestServer } from "@arbor/db/testing";
import { prepareWordnetTemplate, WORDNET_TEMPLATE } from "@arbor/usecases/testing/global-setup";
import type { TestProject } from "vitest/node";

declare module "vitest" {
  export interface ProvidedContext {
    arborBaseUrl: string;
  }
}

const WEB_DIR = fileURLToPath(new URL("..", import.meta.url));
const nextBin = createRequire(import.meta.url).resolve("next/dist/bin/next");
const DIST_DIR = ".next-test";

/**
 * Serves the production build of the web app on a fresh clone of the WordNet template, on a free port,
 * for the end-to-end tests (HTTP contract and browser).
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const server = await startTestServer();
  await prepareWordnetTemplate(server.adminUrl);
  const database = await createDatabaseFrom(server.adminUrl, WORDNET_TEMPLATE);
  const env = { ...process.env, ARBOR_NEXT_DIST_DIR: DIST_DIR };
  await run(spawn(process.execPath, [nextBin, "build"], { cwd: WEB_DIR, stdio: "inherit", env }));

  const port = await freePort();
  const web = spawn(process.execPath, [nextBin, "start", "-p", String(port), "-H", "127.0.0.1"], {
    cwd: WEB_DIR,
    stdio: "inherit",
    env: { ...env, DATABASE_URL: database.url, NODE_ENV: "production" },
  });
  const baseUrl = `http://127.0.0.1:${port}`;
  await waitForHealth(baseUrl, web);
  project.provide("arborBaseUrl", baseUrl);
  project.provide("arborTestAdminUrl", server.adminUrl);

  return async () => {
    web.kill("SIGTERM");
    await new Promise((resolve) => (web.exitCode === null ? web.once("exit", resolve) : resolve(null)));
    await database.drop();
    await server.stop();
  };
}

function run(child: ChildProcess): Promise<void> {
  return new Promise((resolve, reject) =>
    child.on("exit", (code) => (code === 0 ? resolve() : reject(new Error(`exit ${code}`)))),
  );
}

async function waitForHealth(baseUrl: string, web: ChildProcess): Promise<void> {
  for (let i = 0; i < 300; i++) {
    if (web.exitCode !== null) throw new Error(`next start exited with ${web.exitCode}`);
    const ok = await fetch(`${baseUrl}/api/v1/health`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error("the web app did not become healthy in 60 s");
}
