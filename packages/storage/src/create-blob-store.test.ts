import { mkdir, mkdtemp, readdir, readFile, rm, utimes, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { GetObjectCommand } from "@aws-sdk/client-s3";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createBlobStore, createS3Client } from "./create-blob-store.ts";
import { parseStorageEnv } from "./env.ts";
import { LocalDiskStore, TEMP_DIR } from "./local-store.ts";
import { S3Store } from "./s3-store.ts";
import { SIGNING_SECRET_FILE } from "./signing-secret.ts";
import { S3RVER_CREDENTIALS, startTestS3Server, type TestS3Server } from "./testing/s3rver-server.ts";

let arborHome: string;

beforeEach(async () => {
  arborHome = await mkdtemp(path.join(tmpdir(), "arbor-home-"));
});
afterEach(async () => {
  await rm(arborHome, { recursive: true, force: true });
});

describe("createBlobStore: local", () => {
  it("defaults to a LocalDiskStore in <arborHome>/blobs with a persisted secret", async () => {
    const store = await createBlobStore(arborHome, parseStorageEnv({}));
    expect(store).toBeInstanceOf(LocalDiskStore);
    expect(store.kind).toBe("local");
    await store.put("hello.txt", Buffer.from("hi"));
    expect(await readFile(path.join(arborHome, "blobs", "hello.txt"), "utf8")).toBe("hi");
    expect(await readFile(path.join(arborHome, "blobs", SIGNING_SECRET_FILE), "utf8")).toMatch(/^[0-9a-f]{64}$/);
    // No ARBOR_PUBLIC_URL: links are built on the origin the request came in on, never a guessed localhost.
    expect(await store.presignedUrl("hello.txt", { expiresInSeconds: 60, origin: "http://10.1.2.3:8080" })).toMatch(
      /^http:\/\/10\.1\.2\.3:8080\/api\/v1\/blobs\/hello\.txt\?expires=\d+&signature=[0-9a-f]{64}$/,
    );
    await expect(store.presignedUrl("hello.txt", { expiresInSeconds: 60 })).rejects.toThrow(/ARBOR_PUBLIC_URL/);
  });

  it("honours ARBOR_BLOB_DIR, ARBOR_PUBLIC_URL and ARBOR_BLOB_SIGNING_SECRET", async () => {
    const blobDir = path.join(arborHome, "elsewhere");
    const secret = "k".repeat(40);
    const env = parseStorageEnv({
      ARBOR_BLOB_DIR: blobDir,
      ARBOR_PUBLIC_URL: "https://arbor.example",
      ARBOR_BLOB_SIGNING_SECRET: secret,
    });
    const store = (await createBlobStore(arborHome, env)) as LocalDiskStore;
    expect(store.rootDir).toBe(blobDir);
    const url = new URL(await store.presignedUrl("a.txt", { expiresInSeconds: 60 }));
    expect(url.origin).toBe("https://arbor.example");
    // the configured address wins over the request's (a proxy's internal host, say)
    const viaProxy = new URL(
      await store.presignedUrl("a.txt", { expiresInSeconds: 60, origin: "http://10.0.0.7:3000" }),
    );
    expect(viaProxy.origin).toBe("https://arbor.example");
    const verifier = new LocalDiskStore(blobDir, { signingSecret: secret, publicBaseUrl: "https://x" });
    expect(
      verifier.verifySignedRequest({
        key: "a.txt",
        expires: url.searchParams.get("expires") ?? "",
        signature: url.searchParams.get("signature") ?? "",
        method: "GET",
      }),
    ).toBe(true);
    await expect(readFile(path.join(blobDir, SIGNING_SECRET_FILE))).rejects.toThrow(/ENOENT/);
  });
});

describe("createBlobStore: the local store's staging folder", () => {
  it("deletes what killed puts left when it opens, on the threshold it is given", async () => {
    const tempDir = path.join(arborHome, "blobs", TEMP_DIR);
    await mkdir(tempDir, { recursive: true });
    const tenMinutesAgo = new Date(Date.now() - 10 * 60_000);
    await writeFile(path.join(tempDir, "killed"), "partial");
    await utimes(path.join(tempDir, "killed"), tenMinutesAgo, tenMinutesAgo);
    await writeFile(path.join(tempDir, "live"), "partial");
    await createBlobStore(arborHome, parseStorageEnv({}));
    expect((await readdir(tempDir)).sort()).toEqual(["killed", "live"]); // the default waits an hour
    await createBlobStore(arborHome, parseStorageEnv({}), { staleTempMs: 120_000 });
    expect(await readdir(tempDir)).toEqual(["live"]);
  });
});

describe("createBlobStore: s3", () => {
  let s3: TestS3Server;

  beforeAll(async () => {
    s3 = await startTestS3Server();
  });
  afterAll(async () => {
    await s3?.stop();
  });

  it("builds an S3Store from configuration alone that talks to the endpoint", async () => {
    const bucket = await s3.createBucket();
    const env = parseStorageEnv({
      ARBOR_STORAGE: "s3",
      S3_BUCKET: bucket,
      S3_ENDPOINT: s3.endpoint,
      S3_FORCE_PATH_STYLE: "1",
      S3_ACCESS_KEY_ID: S3RVER_CREDENTIALS.accessKeyId,
      S3_SECRET_ACCESS_KEY: S3RVER_CREDENTIALS.secretAccessKey,
    });
    const store = await createBlobStore(arborHome, env);
    expect(store).toBeInstanceOf(S3Store);
    expect(store.kind).toBe("s3");
    await store.put("from/factory.txt", Buffer.from("via env"), { contentType: "text/plain" });
    const object = await s3.client.send(new GetObjectCommand({ Bucket: bucket, Key: "from/factory.txt" }));
    expect(await object.Body?.transformToString()).toBe("via env");
  });

  it("rejects ARBOR_STORAGE=s3 without S3_BUCKET before touching the network", async () => {
    await expect(async () =>
      createBlobStore(arborHome, parseStorageEnv({ ARBOR_STORAGE: "s3", S3_ENDPOINT: s3.endpoint })),
    ).rejects.toThrow(/invalid storage environment:[\s\S]*S3_BUCKET is required when ARBOR_STORAGE=s3/);
  });
});

describe("createS3Client", () => {
  it("applies endpoint, region, path style and credentials", async () => {
    const client = createS3Client({
      endpoint: "http://127.0.0.1:9",
      region: "eu-central-1",
      forcePathStyle: true,
      credentials: { accessKeyId: "id", secretAccessKey: "secret" },
    });
    expect(await client.config.region()).toBe("eu-central-1");
    expect(client.config.forcePathStyle).toBe(true);
    expect(await client.config.requestChecksumCalculation()).toBe("WHEN_REQUIRED");
    expect(await client.config.credentials()).toMatchObject({ accessKeyId: "id", secretAccessKey: "secret" });
    client.destroy();
  });

  it("keeps the SDK's defaults for plain AWS", async () => {
    const client = createS3Client({
      endpoint: undefined,
      region: "us-east-1",
      forcePathStyle: false,
      credentials: undefined,
    });
    expect(await client.config.requestChecksumCalculation()).toBe("WHEN_SUPPORTED");
    client.destroy();
  });
});
