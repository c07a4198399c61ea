import type { TestProject } from "vitest/node";
import { ensureTemplate } from "./templates.ts";
import { startTestServer } from "./test-server.ts";

/** Vitest global setup of @arbor/db: a server and a migrated, empty template. */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const server = await startTestServer();
  await ensureTemplate(server.adminUrl, "arbor_migrated", "1");
  project.provide("arborTestAdminUrl", server.adminUrl);
  return () => server.stop();
}
