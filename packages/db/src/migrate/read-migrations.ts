import { createHash } from "node:crypto";
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";

export interface MigrationFile {
  /** Folder name, `<timestamp>_<name>`, as Prisma records it in `_prisma_migrations.migration_name`. */
  name: string;
  sql: string;
  /** sha256 of migration.sql in hex, as Prisma computes it. */
  checksum: string;
}

const MIGRATION_DIR = /^\d{14}_[a-z0-9_]+$/;

/** The migrations of a Prisma migrations folder, oldest first. */
export async function readMigrations(dir: string): Promise<MigrationFile[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const names = entries.filter((e) => e.isDirectory() && MIGRATION_DIR.test(e.name)).map((e) => e.name);
  names.sort();
  return Promise.all(
    names.map(async (name) => {
      const sql = await readFile(path.join(dir, name, "migration.sql"), "utf8");
      return { name, sql, checksum: createHash("sha256").update(sql).digest("hex") };
    }),
  );
}
