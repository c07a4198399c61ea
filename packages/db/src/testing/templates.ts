import { createHash } from "node:crypto";
import pg from "pg";
import { readMigrations } from "../migrate/read-migrations.ts";
import { runMigrations } from "../migrate/run-migrations.ts";
import { MIGRATIONS_DIR } from "../migrations-dir.ts";
import { databaseUrl } from "./test-server.ts";

/**
 * Builds (once) a template database that test databases are cloned from, e.g. "migrated" or "migrated and
 * WordNet imported". The template is rebuilt when its fingerprint (migrations + caller's version) changes,
 * and kept between runs otherwise, so a test run does not re-import WordNet each time.
 */
export async function ensureTemplate(
  adminUrl: string,
  name: string,
  version: string,
  build?: (url: string) => Promise<void>,
): Promise<void> {
  const migrations = await readMigrations(MIGRATIONS_DIR);
  const fingerprint = createHash("sha256")
    .update(migrations.map((m) => m.checksum).join())
    .update(version)
    .digest("hex");
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query("SELECT pg_advisory_lock(hashtext($1))", [name]);
    const { rows } = await admin.query<{ comment: string | null }>(
      "SELECT shobj_description(oid, 'pg_database') AS comment FROM pg_database WHERE datname = $1",
      [name],
    );
    if (rows[0]?.comment === fingerprint) return;
    await admin.query(`DROP DATABASE IF EXISTS ${pg.escapeIdentifier(name)} WITH (FORCE)`);
    await admin.query(`CREATE DATABASE ${pg.escapeIdentifier(name)}`);
    const url = databaseUrl(adminUrl, name);
    await runMigrations(url, MIGRATIONS_DIR);
    await build?.(url);
    // The comment is written last: a build killed half-way leaves no fingerprint and is redone.
    await admin.query(`COMMENT ON DATABASE ${pg.escapeIdentifier(name)} IS ${pg.escapeLiteral(fingerprint)}`);
  } finally {
    await admin.query("SELECT pg_advisory_unlock(hashtext($1))", [name]).catch(() => {});
    await admin.end();
  }
}

/** A fresh database cloned from a template; drop it when done. */
export async function createDatabaseFrom(
  adminUrl: string,
  template: string,
): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `test_${process.pid}_${Math.random().toString(36).slice(2, 10)}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${pg.escapeIdentifier(name)} TEMPLATE ${pg.escapeIdentifier(template)}`);
  } finally {
    await admin.end();
  }
  return {
    url: databaseUrl(adminUrl, name),
    drop: async () => {
      const client = new pg.Client({ connectionString: adminUrl });
      await client.connect();
      await client
        .query(`DROP DATABASE IF EXISTS ${pg.escapeIdentifier(name)} WITH (FORCE)`)
        .finally(() => client.end());
    },
  };
}
