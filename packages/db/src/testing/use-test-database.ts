import { afterAll, beforeAll, inject } from "vitest";
import { createDb, type Db } from "../client.ts";
import { createDatabaseFrom } from "./templates.ts";

declare module "vitest" {
  export interface ProvidedContext {
    arborTestAdminUrl: string;
  }
}

export interface TestDatabase {
  url: string;
  db: Db;
}

/**
 * Gives the test file its own database cloned from `template` (prepared by the package's vitest global
 * setup), dropped after the file's tests. Read `.db`/`.url` inside tests, not at import time.
 */
export function useTestDatabase(template: string): TestDatabase {
  const context = {} as TestDatabase;
  let drop: () => Promise<void> = async () => {};
  beforeAll(async () => {
    const created = await createDatabaseFrom(inject("arborTestAdminUrl"), template);
    drop = created.drop;
    context.url = created.url;
    context.db = createDb(created.url, 4);
  }, 60_000);
  afterAll(async () => {
    await context.db?.$disconnect();
    await drop();
  });
  return context;
}
