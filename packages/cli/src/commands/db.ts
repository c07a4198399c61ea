import type { Command } from "commander";
import { withServices } from "../services.ts";

export function registerDbCommands(program: Command): void {
  const db = program.command("db").description("database administration");
  db.command("migrate")
    .description("apply pending SQL migrations from prisma/migrations")
    .action(async () => {
      // withServices applies the pending migrations before anything else; this command only reports them.
      const result = await withServices(async (_services, { migrated }) => migrated, {
        onMigration: (name) => console.log(`applying ${name}`),
      });
      console.log(
        result.applied.length
          ? `applied ${result.applied.length} migration(s)`
          : `database is up to date (${result.alreadyApplied} migrations applied)`,
      );
    });
}
