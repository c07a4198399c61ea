import { fileURLToPath } from "node:url";

/** prisma/migrations of this checkout. */
export const MIGRATIONS_DIR = fileURLToPath(new URL("../../../prisma/migrations", import.meta.url));
