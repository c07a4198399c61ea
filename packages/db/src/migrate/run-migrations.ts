import { randomUUID } from "node:crypto";
import pg from "pg";
import { type MigrationFile, readMigrations } from "./read-migrations.ts";

/** Prisma Migrate's own advisory lock key, so our runner and `prisma migrate` also exclude each other. */
const ADVISORY_LOCK_KEY = 72707369;

const CREATE_MIGRATIONS_TABLE = `
CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
  "id"                  VARCHAR(36) PRIMARY KEY NOT NULL,
  "checksum"            VARCHAR(64) NOT NULL,
  "finished_at"         TIMESTAMPTZ,
  "migration_name"      VARCHAR(255) NOT NULL,
  "logs"                TEXT,
  "rolled_back_at"      TIMESTAMPTZ,
  "started_at"          TIMESTAMPTZ NOT NULL DEFAULT now(),
  "applied_steps_count" INTEGER NOT NULL DEFAULT 0
)`;

export class MigrationError extends Error {}

export interface MigrateResult {
  applied: string[];
  alreadyApplied: number;
}

export interface MigrateOptions {
  onApply?: (name: string) => void;
}

/**
 * Applies pending migrations in order, each in its own transaction, recording them in Prisma's
 * `_prisma_migrations` table. Refuses to run when an applied migration's file was edited or removed, or
 * when a migration failed earlier, since the schema would then no longer be what the files say.
 */
export async function runMigrations(url: string, dir: string, options: MigrateOptions = {}): Promise<MigrateResult> {
  const migrations = await readMigrations(dir);
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query("SELECT pg_advisory_lock($1)", [ADVISORY_LOCK_KEY]);
    await client.query(CREATE_MIGRATIONS_TABLE);
    const applied = await appliedMigrations(client);
    checkHistory(migrations, applied);
    const pending = migrations.filter((m) => !applied.has(m.name));
    for (const migration of pending) {
      options.onApply?.(migration.name);
      await applyMigration(client, migration);
    }
    return { applied: pending.map((m) => m.name), alreadyApplied: applied.size };
  } finally {
    await client.query("SELECT pg_advisory_unlock($1)", [ADVISORY_LOCK_KEY]).catch(() => {});
    await client.end();
  }
}

interface AppliedRow {
  migration_name: string;
  checksum: string;
  finished_at: Date | null;
}

async function appliedMigrations(client: pg.Client): Promise<Map<string, AppliedRow>> {
  const { rows } = await client.query<AppliedRow>(
    `SELECT migration_name, checksum, finished_at FROM "_prisma_migrations" WHERE rolled_back_at IS NULL`,
  );
  return new Map(rows.map((row) => [row.migration_name, row]));
}

function checkHistory(files: MigrationFile[], applied: Map<string, AppliedRow>): void {
  const byName = new Map(files.map((f) => [f.name, f]));
  for (const row of applied.values()) {
    const file = byName.get(row.migration_name);
    if (row.finished_at === null) {
      throw new MigrationError(
        `migration ${row.migration_name} failed earlier and is recorded as unfinished; fix the database by hand, then mark it rolled back`,
      );
    }
    if (!file) {
      throw new MigrationError(
        `migration ${row.migration_name} is applied to the database but its folder is missing from prisma/migrations`,
      );
    }
    if (file.checksum !== row.checksum) {
      throw new MigrationError(
        `migration ${row.migration_name} was edited after it was applied (checksum differs); add a new migration instead of editing an applied one`,
      );
    }
  }
}

async function applyMigration(client: pg.Client, migration: MigrationFile): Promise<void> {
  await client.query("BEGIN");
  try {
    await client.query(migration.sql);
    await client.query(
      `INSERT INTO "_prisma_migrations" (id, checksum, migration_name, started_at, finished_at, applied_steps_count)
       VALUES ($1, $2, $3, now(), clock_timestamp(), 1)`,
      [randomUUID(), migration.checksum, migration.name],
    );
    await client.query("COMMIT");
  } catch (error) {
    await client.query("ROLLBACK");
    throw new MigrationError(`migration ${migration.name} failed and was rolled back: ${(error as Error).message}`);
  }
}
