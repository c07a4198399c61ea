import { type DatabaseHandle, openDatabase } from "@arbor/db";
import { MIGRATIONS_DIR, type MigrateResult, runMigrations } from "@arbor/db/migrate";
import { createServices, type OpenServices } from "@arbor/usecases";

/** Connections per CLI process (a command, or `arbor start`'s workers). */
const CLI_POOL_SIZE = 4;

export interface CommandContext {
  /** DATABASE_URL's server, or the embedded one of ARBOR_HOME (`ownsServer`: this process started it). */
  database: DatabaseHandle;
  /** What the migrations did before the command ran. */
  migrated: MigrateResult;
}

export interface WithServicesOptions {
  /** Told the name of each migration as it is applied. */
  onMigration?: (name: string) => void;
}

/**
 * Runs a CLI command with its services (`createServices` of @arbor/usecases): opens the database
 * (DATABASE_URL's server, or the embedded one of ARBOR_HOME: reused when `arbor start` runs it, else started
 * for the command and stopped after it), applies pending migrations (a no-op when up to date, so no command
 * ever meets an old schema), builds the services on it, and closes them all when the command ends.
 */
export async function withServices<T>(
  work: (services: OpenServices, context: CommandContext) => Promise<T>,
  options: WithServicesOptions = {},
): Promise<T> {
  const database = await openDatabase();
  try {
    const migrated = await runMigrations(database.url, MIGRATIONS_DIR, { onApply: options.onMigration });
    const services = await createServices({ databaseUrl: database.url, poolSize: CLI_POOL_SIZE });
    try {
      return await work(services, { database, migrated });
    } finally {
      await services.close();
    }
  } finally {
    await database.close();
  }
}

let stopSignal: Promise<NodeJS.Signals> | undefined;

/**
 * Settles on the first SIGINT or SIGTERM (Ctrl-C): how a long-running command knows to stop. Later signals are
 * ignored, so a second Ctrl-C does not cut the shutdown short (and leave the embedded database running).
 */
export function untilStopSignal(): Promise<NodeJS.Signals> {
  stopSignal ??= new Promise((resolve) => {
    process.on("SIGINT", resolve);
    process.on("SIGTERM", resolve);
  });
  return stopSignal;
}
