import { appendFile, cp, mkdir, mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import { afterEach, describe, expect, inject, it } from "vitest";
import { MIGRATIONS_DIR } from "../migrations-dir.ts";
import { createDatabaseFrom } from "../testing/templates.ts";
import { readMigrations } from "./read-migrations.ts";
import { runMigrations } from "./run-migrations.ts";

const dropAfter: Array<() => Promise<void>> = [];
afterEach(async () => {
  await Promise.all(dropAfter.splice(0).map((drop) => drop()));
});

async function emptyDatabase(): Promise<string> {
  const created = await createDatabaseFrom(inject("arborTestAdminUrl"), "template0");
  dropAfter.push(created.drop);
  return created.url;
}

async function query<T extends pg.QueryResultRow>(url: string, sql: string): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(sql)).rows;
  } finally {
    await client.end();
  }
}

async function copyOfMigrations(): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), "arbor-migrations-"));
  await cp(MIGRATIONS_DIR, dir, { recursive: true });
  return dir;
}

describe("runMigrations", () => {
  it("applies every migration once and records it like Prisma does", async () => {
    const url = await emptyDatabase();
    const first = await runMigrations(url, MIGRATIONS_DIR);
    expect(first.applied.length).toBeGreaterThan(0);
    const second = await runMigrations(url, MIGRATIONS_DIR);
    expect(second.applied).toEqual([]);
    const rows = await query<{ migration_name: string; checksum: string; finished_at: Date | null }>(
      url,
      `SELECT migration_name, checksum, finished_at FROM "_prisma_migrations"`,
    );
    expect(rows.map((r) => r.migration_name)).toEqual(first.applied);
    for (const row of rows) {
      expect(row.checksum).toMatch(/^[0-9a-f]{64}$/);
      expect(row.finished_at).not.toBeNull();
    }
  });

  it("is safe when two processes migrate at once", async () => {
    const url = await emptyDatabase();
    const [a, b] = await Promise.all([runMigrations(url, MIGRATIONS_DIR), runMigrations(url, MIGRATIONS_DIR)]);
    expect([...a.applied, ...b.applied].sort()).toEqual((a.applied.length ? a : b).applied.sort());
    const rows = await query<{ n: number }>(url, `SELECT count(*)::int AS n FROM "_prisma_migrations"`);
    expect(rows[0]?.n).toBe(a.applied.length + b.applied.length);
  });

  it("refuses to run when an applied migration was edited", async () => {
    const url = await emptyDatabase();
    const dir = await copyOfMigrations();
    await runMigrations(url, dir);
    const migrations = await readMigrations(dir);
    await appendFile(path.join(dir, migrations[0]?.name as string, "migration.sql"), "\n-- edited\n");
    await expect(runMigrations(url, dir)).rejects.toThrow(/was edited after it was applied/);
  });

  it("rolls a failing migration back entirely and records nothing", async () => {
    const url = await emptyDatabase();
    const dir = await copyOfMigrations();
    await mkdir(path.join(dir, "29991231000000_broken"));
    await writeFile(
      path.join(dir, "29991231000000_broken", "migration.sql"),
      "CREATE TABLE half_done (id int);\nSELECT * FROM no_such_table;",
    );
    await expect(runMigrations(url, dir)).rejects.toThrow(/29991231000000_broken failed and was rolled back/);
    const tables = await query(url, `SELECT 1 FROM information_schema.tables WHERE table_name = 'half_done'`);
    expect(tables).toHaveLength(0);
    const recorded = await query(
      url,
      `SELECT 1 FROM "_prisma_migrations" WHERE migration_name = '29991231000000_broken'`,
    );
    expect(recorded).toHaveLength(0);
  });
});
