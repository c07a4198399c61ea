import { PutObjectCommand } from "@aws-sdk/client-s3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { describeBlobStoreContract } from "./blob-store.contract.ts";
import { S3Store } from "./s3-store.ts";
import { startTestS3Server, type TestS3Server } from "./testing/s3rver-server.ts";
import { collect } from "./testing/streams.ts";

let s3: TestS3Server;

beforeAll(async () => {
  s3 = await startTestS3Server();
});
afterAll(async () => {
  await s3?.stop();
});

// A bucket per test keeps tests independent; pageSize 2 makes every listing paginate.
describeBlobStoreContract("S3Store (s3rver)", async () => {
  const store = new S3Store({
    client: s3.client,
    bucket: await s3.createBucket(),
    partSize: 5 * 1024 * 1024,
    pageSize: 2,
  });
  return { store, cleanup: async () => {} };
});

describe("S3Store specifics", () => {
  it("skips objects whose names are not valid blob keys (written by other tools)", async () => {
    const bucket = await s3.createBucket();
    const store = new S3Store({ client: s3.client, bucket, pageSize: 1 });
    await s3.client.send(new PutObjectCommand({ Bucket: bucket, Key: "x/has space.txt", Body: "x" }));
    await store.put("x/ok.txt", Buffer.from("ok"));
    expect((await collect(store.list("x/"))).map((info) => info.key)).toEqual(["x/ok.txt"]);
  });

  it("refuses options S3 would reject later", () => {
    expect(() => new S3Store({ client: s3.client, bucket: "b", partSize: 1024 })).toThrow(/partSize/);
    expect(() => new S3Store({ client: s3.client, bucket: "b", queueSize: 0 })).toThrow(/queueSize/);
    expect(() => new S3Store({ client: s3.client, bucket: "b", pageSize: 1001 })).toThrow(/pageSize/);
  });

  it("presigns URLs for the configured endpoint and bucket", async () => {
    const store = new S3Store({ client: s3.client, bucket: "signed-bucket" });
    const url = new URL(await store.presignedUrl("a/b.jpg", { expiresInSeconds: 60 }));
    expect(`${url.origin}${url.pathname}`).toBe(`${s3.endpoint}/signed-bucket/a/b.jpg`);
    expect(url.searchParams.get("X-Amz-Expires")).toBe("60");
  });
});
