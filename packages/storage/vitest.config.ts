import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    // The contract moves tens of MiB through a real (emulated) S3 server.
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // s3rver encrypts ListObjectsV2 continuation tokens with DES, which OpenSSL 3 only offers through its legacy
    // provider; without it every truncated listing (i.e. pagination) fails with InternalError.
    execArgv: ["--openssl-legacy-provider"],
  },
});
