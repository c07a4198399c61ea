export { MIGRATIONS_DIR } from "../migrations-dir.ts";
export { readMigrations } from "./read-migrations.ts";
export { type MigrateResult, MigrationError, runMigrations } from "./run-migrations.ts";
