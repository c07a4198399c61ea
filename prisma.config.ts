import { defineConfig } from "prisma/config";

// Only `prisma generate` uses this: migrations are applied by @arbor/db's own runner (see README).
export default defineConfig({
  schema: "prisma/schema.prisma",
  migrations: { path: "prisma/migrations" },
});
