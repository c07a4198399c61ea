import { describe, expect, it } from "vitest";
import { parseStorageEnv } from "./env.ts";

describe("parseStorageEnv", () => {
  it("defaults to local storage", () => {
    expect(parseStorageEnv({})).toEqual({
      storage: "local",
      blobDir: undefined,
      // no guessed address: presigned URLs then take the requesting origin (not a localhost that breaks links)
      publicUrl: undefined,
      signingSecret: undefined,
      s3Connection: { endpoint: undefined, region: "us-east-1", forcePathStyle: false, credentials: undefined },
    });
  });

  it("treats empty values as unset", () => {
    expect(parseStorageEnv({ ARBOR_STORAGE: "", ARBOR_PUBLIC_URL: "", S3_ENDPOINT: "" })).toMatchObject({
      storage: "local",
      publicUrl: undefined,
    });
  });

  it("reads local settings", () => {
    const secret = "s".repeat(32);
    expect(
      parseStorageEnv({
        ARBOR_BLOB_DIR: "/data/blobs",
        ARBOR_PUBLIC_URL: "https://arbor.example.org/",
        ARBOR_BLOB_SIGNING_SECRET: secret,
      }),
    ).toMatchObject({
      storage: "local",
      blobDir: "/data/blobs",
      publicUrl: "https://arbor.example.org",
      signingSecret: secret,
    });
  });

  it("reads the S3 connection for s3:// sources even when blobs stay local", () => {
    expect(parseStorageEnv({ S3_ENDPOINT: "http://127.0.0.1:9000", S3_FORCE_PATH_STYLE: "1" })).toMatchObject({
      storage: "local",
      s3Connection: { endpoint: "http://127.0.0.1:9000", forcePathStyle: true },
    });
  });

  it("reads S3 settings with defaults", () => {
    expect(parseStorageEnv({ ARBOR_STORAGE: "s3", S3_BUCKET: "arbor" })).toMatchObject({
      storage: "s3",
      s3: { endpoint: undefined, region: "us-east-1", bucket: "arbor", forcePathStyle: false, credentials: undefined },
    });
    expect(
      parseStorageEnv({
        ARBOR_STORAGE: "s3",
        S3_BUCKET: "arbor",
        S3_ENDPOINT: "http://127.0.0.1:9000",
        S3_REGION: "eu-west-1",
        S3_FORCE_PATH_STYLE: "true",
        S3_ACCESS_KEY_ID: "id",
        S3_SECRET_ACCESS_KEY: "secret",
      }),
    ).toMatchObject({
      storage: "s3",
      s3: {
        endpoint: "http://127.0.0.1:9000",
        region: "eu-west-1",
        bucket: "arbor",
        forcePathStyle: true,
        credentials: { accessKeyId: "id", secretAccessKey: "secret" },
      },
    });
  });

  it("requires S3_BUCKET for s3 storage", () => {
    expect(() => parseStorageEnv({ ARBOR_STORAGE: "s3" })).toThrow(/S3_BUCKET is required when ARBOR_STORAGE=s3/);
  });

  it("lists every problem in one error", () => {
    let message = "";
    try {
      parseStorageEnv({
        ARBOR_STORAGE: "gcs",
        ARBOR_PUBLIC_URL: "not a url",
        ARBOR_BLOB_SIGNING_SECRET: "short",
        S3_ENDPOINT: "ftp://example.com",
        S3_FORCE_PATH_STYLE: "maybe",
        S3_ACCESS_KEY_ID: "only-id",
      });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toMatch(/^invalid storage environment:/);
    for (const expected of [
      'ARBOR_STORAGE must be "local" or "s3"',
      "ARBOR_PUBLIC_URL must be an http(s) URL",
      "ARBOR_BLOB_SIGNING_SECRET must be at least 32 characters",
      "S3_ENDPOINT must be an http(s) URL",
      "S3_FORCE_PATH_STYLE must be true or false",
      "set both S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY",
    ]) {
      expect(message).toContain(expected);
    }
  });
});
