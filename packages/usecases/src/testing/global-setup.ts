import { createDb } from "@arbor/db";
import { ensureTemplate, startTestServer } from "@arbor/db/testing";
import type { TestProject } from "vitest/node";
import { importWordnet } from "../wordnet/import-wordnet.ts";

/** Bump when the import writes different rows, so cached templates are rebuilt. */
const WORDNET_TEMPLATE_VERSION = "2";
export const WORDNET_TEMPLATE = "arbor_wordnet";

/** Makes sure the test server has a template database with WordNet imported. */
export async function prepareWordnetTemplate(adminUrl: string): Promise<void> {
  await ensureTemplate(adminUrl, WORDNET_TEMPLATE, WORDNET_TEMPLATE_VERSION, async (url) => {
    const db = createDb(url, 2);
    try {
      await importWordnet(db);
    } finally {
      await db.$disconnect();
    }
  });
}

/** Vitest global setup for tests that need the hierarchy. */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const server = await startTestServer();
  await prepareWordnetTemplate(server.adminUrl);
  project.provide("arborTestAdminUrl", server.adminUrl);
  return () => server.stop();
}
