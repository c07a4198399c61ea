import { MIGRATIONS_DIR, runMigrations } from "@arbor/db/migrate";
import type { Command } from "commander";
import { withDatabase } from "../database.ts";

export function registerDbCommands(program: Command): void {
  const db = program.command("db").description("database administration");
  db.command("migrate")
    .description("apply pending SQL migrations from prisma/migrations")
    .action(async () => {
      await withDatabase(async (_db, url) => {
        const result = await runMigrations(url, MIGRATIONS_DIR, { onApply: (name) => console.log(`applying ${name}`) });
        console.log(
          result.applied.length
            ? `applied ${result.applied.length} migration(s)`
            : `database is up to date (${result.alreadyApplied} migrations applied)`,
        );
      });
    });
}
