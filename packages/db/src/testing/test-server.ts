import path from "node:path";
import { startEmbeddedServer } from "../embedded/embedded-server.ts";
import { dbEnv, findProjectRoot } from "../env.ts";

export interface TestServer {
  /** URL of a database on the server from which test databases are created (see databaseUrl). */
  adminUrl: string;
  stop(): Promise<void>;
}

/** The URL of another database on the same server. */
export function databaseUrl(adminUrl: string, database: string): string {
  const url = new URL(adminUrl);
  url.pathname = `/${database}`;
  return url.toString();
}

/**
 * The PostgreSQL server integration tests run against: DATABASE_URL's server when set (the role needs
 * CREATEDB), otherwise an embedded server in `<checkout>/.arbor/test`, kept apart from the user's data
 * and run with fsync off. Each test file then gets its own database on it.
 */
export async function startTestServer(): Promise<TestServer> {
  const external = dbEnv().databaseUrl;
  if (external) return { adminUrl: external, stop: async () => {} };
  const server = await startEmbeddedServer({
    home: path.join(findProjectRoot(process.cwd()), ".arbor", "test"),
    database: "postgres",
    fast: true,
  });
  return { adminUrl: server.url, stop: () => server.stop() };
}
