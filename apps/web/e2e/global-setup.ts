import { type ChildProcess, spawn } from "node:child_process";
import { copyFile, mkdir, mkdtemp } from "node:fs/promises";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { createDatabaseFrom, freePort, startTestServer } from "@arbor/db/testing";
import { createApiToken, createServices, createUser, ROLES, type Role, registerJobHandlers } from "@arbor/usecases";
import { createIngestRun, executeIngestRun } from "@arbor/usecases/ingest";
import { prepareWordnetTemplate, WORDNET_TEMPLATE } from "@arbor/usecases/testing/global-setup";
import type { TestProject } from "vitest/node";
import { childProcessEnv } from "../src/env.ts";

declare module "vitest" {
  export interface ProvidedContext {
    arborBaseUrl: string;
    /** A folder inside ARBOR_INGEST_ROOTS with a few real photos in ImageFolder layout. */
    arborIngestFolder: string;
    /** One user per role: email, password and an API token. */
    arborUsers: Record<Role, { email: string; password: string; token: string }>;
    /** Three more annotators, for labelling by a small crowd. */
    arborCrowd: { email: string; password: string }[];
    /** Two annotators only the auth-hardening tests sign in with (they lock them out, block and unblock them). */
    arborAuthUsers: { email: string; password: string }[];
    /** Path and query of a presigned URL for a small object of the local blob store. */
    arborSignedBlobPath: string;
    /** A folder inside ARBOR_EXPORT_ROOTS. */
    arborExportRoot: string;
  }
}

const SAMPLES = fileURLToPath(new URL("../../../../shared/data/imagenet-sample-images/", import.meta.url));
/** Three dogs ingested before the tests (verified), under dog's subtree. */
const DOGS = ["n02085620_Chihuahua.JPEG", "n02085782_Japanese_spaniel.JPEG", "n02085936_Maltese_dog.JPEG"];

const WEB_DIR = fileURLToPath(new URL("..", import.meta.url));
const nextBin = createRequire(import.meta.url).resolve("next/dist/bin/next");
const ROUTE_INDEX_GENERATOR = fileURLToPath(new URL("../scripts/generate-route-index.mjs", import.meta.url));
const DIST_DIR = ".next-test";

/**
 * Serves the production build of the web app on a fresh clone of the WordNet template, on a free port,
 * for the end-to-end tests (HTTP contract and browser).
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const server = await startTestServer();
  await prepareWordnetTemplate(server.adminUrl);
  const database = await createDatabaseFrom(server.adminUrl, WORDNET_TEMPLATE);
  const work = await mkdtemp(path.join(tmpdir(), "arbor-e2e-"));
  const blobDir = path.join(work, "blobs");
  const ingestRoot = path.join(work, "imports");
  const ingestFolder = path.join(ingestRoot, "cats", "n02123045");
  await mkdir(ingestFolder, { recursive: true });
  await copyFile(path.join(SAMPLES, "n02123045_tabby.JPEG"), path.join(ingestFolder, "tabby.jpg"));

  // Seed images, and a worker for the runs the tests start (what `arbor start` runs beside the web app), on
  // the services the web app will have: the same database and blob folder.
  const services = await createServices({ databaseUrl: database.url, blobDir, poolSize: 4 });
  const { db, blobs } = services;
  const seed = path.join(work, "seed");
  await mkdir(seed);
  for (const file of DOGS) await copyFile(path.join(SAMPLES, file), path.join(seed, file));
  const seeded = await createIngestRun(db, { kind: "folder", path: seed, trusted: true });
  await executeIngestRun({ db, blobs }, seeded.id);
  const users = {} as Record<Role, { email: string; password: string; token: string }>;
  // The admin first: its spare token must be token 1 (the role and fuzz tests revoke /tokens/1).
  for (const role of ["admin", ...ROLES.filter((r) => r !== "admin")] as Role[]) {
    const email = `${role}@arbor.test`;
    const password = `${role}-password-1`;
    await createUser(db, { email, password, roles: [role] });
    // Token 1 is a spare nobody uses: the role and fuzz tests call DELETE /api/v1/tokens/1 as admin.
    if (role === "admin") await createApiToken(db, { email }, { name: "spare: revoked by the role tests" });
    users[role] = { email, password, token: (await createApiToken(db, { email }, { name: "e2e" })).token };
  }
  const crowd = [1, 2, 3].map((i) => ({ email: `crowd${i}@arbor.test`, password: `crowd-password-${i}` }));
  for (const member of crowd) await createUser(db, { ...member, roles: ["annotator"] });
  const authUsers = [1, 2].map((i) => ({ email: `auth${i}@arbor.test`, password: `auth-password-${i}` }));
  for (const member of authUsers) await createUser(db, { ...member, roles: ["annotator"] });
  await registerJobHandlers(services);
  // A small object for the role tests of the presigned-blob route.
  await blobs.put("e2e/hello.txt", Buffer.from("hello\n"));
  // Only its path and query are used; this process has no ARBOR_PUBLIC_URL, so it names an origin.
  const signed = new URL(
    await blobs.presignedUrl("e2e/hello.txt", { expiresInSeconds: 24 * 3600, origin: "http://127.0.0.1" }),
  );
  const exportRoot = path.join(work, "exports");
  await mkdir(exportRoot);

  const env = {
    ARBOR_NEXT_DIST_DIR: DIST_DIR,
    ARBOR_BLOB_DIR: blobDir,
    ARBOR_INGEST_ROOTS: ingestRoot,
    ARBOR_EXPORT_ROOTS: exportRoot,
  };
  // What the web's `build` script does: the route index (gitignored, generated), then `next build`.
  await run(spawn(process.execPath, [ROUTE_INDEX_GENERATOR], { stdio: "inherit" }));
  await run(spawn(process.execPath, [nextBin, "build"], { cwd: WEB_DIR, stdio: "inherit", env: childProcessEnv(env) }));

  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const web = spawn(process.execPath, [nextBin, "start", "-p", String(port), "-H", "127.0.0.1"], {
    cwd: WEB_DIR,
    stdio: "inherit",
    // Presigned blob URLs (export downloads) point at this server.
    env: childProcessEnv({ ...env, DATABASE_URL: database.url, NODE_ENV: "production", ARBOR_PUBLIC_URL: baseUrl }),
  });
  await waitForHealth(baseUrl, web);
  project.provide("arborBaseUrl", baseUrl);
  project.provide("arborTestAdminUrl", server.adminUrl);
  project.provide("arborIngestFolder", path.dirname(ingestFolder));
  project.provide("arborUsers", users);
  project.provide("arborCrowd", crowd);
  project.provide("arborAuthUsers", authUsers);
  project.provide("arborSignedBlobPath", `${signed.pathname}${signed.search}`);
  project.provide("arborExportRoot", exportRoot);

  return async () => {
    web.kill("SIGTERM");
    await new Promise((resolve) => (web.exitCode === null ? web.once("exit", resolve) : resolve(null)));
    await services.close();
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
