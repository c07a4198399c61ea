import { startEmbeddedServer } from "./embedded/embedded-server.ts";
import { dbEnv } from "./env.ts";

export interface DatabaseHandle {
  url: string;
  /** Whether this process runs the embedded server (and so must call close on exit). */
  ownsServer: boolean;
  close(): Promise<void>;
}

/** DATABASE_URL when set; otherwise the embedded server of ARBOR_HOME, started here if nobody runs it. */
export async function openDatabase(): Promise<DatabaseHandle> {
  const env = dbEnv();
  if (env.databaseUrl) return { url: env.databaseUrl, ownsServer: false, close: async () => {} };
  const server = await startEmbeddedServer({ home: env.arborHome });
  return { url: server.url, ownsServer: server.owned, close: () => server.stop() };
}
