import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { type BlobStore, LocalDiskStore } from "@arbor/storage";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openSignedBlob } from "./open-signed-blob.ts";

async function readAll(stream: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.from(chunk as Buffer));
  return Buffer.concat(chunks).toString("utf8");
}

/** The query of a presigned URL, as the route hands it over. */
function queryOf(url: string) {
  const params = new URL(url).searchParams;
  return { expires: Number(params.get("expires")), signature: params.get("signature") ?? undefined };
}

describe("openSignedBlob (a presigned URL of the local blob store)", () => {
  let rootDir: string;
  let blobs: LocalDiskStore;

  beforeAll(async () => {
    rootDir = await mkdtemp(path.join(tmpdir(), "arbor-signed-"));
    blobs = new LocalDiskStore(rootDir, { signingSecret: "s".repeat(32), publicBaseUrl: "http://arbor.test" });
    await blobs.put("exports/3/export.json", Buffer.from('{"ok":true}'));
  });
  afterAll(async () => rm(rootDir, { recursive: true, force: true }));

  it("opens the object for a valid link, with its type, size and file name", async () => {
    const url = await blobs.presignedUrl("exports/3/export.json", { expiresInSeconds: 60 });
    const blob = await openSignedBlob({ blobs }, "exports/3/export.json", queryOf(url));
    expect(blob).toMatchObject({ contentType: "application/json", bytes: 11, fileName: "export.json" });
    expect(await readAll(blob.stream)).toBe('{"ok":true}');
  });

  it("refuses a missing, forged, expired or other key's signature as forbidden", async () => {
    const url = await blobs.presignedUrl("exports/3/export.json", { expiresInSeconds: 60 });
    const query = queryOf(url);
    const refused = { name: "UseCaseError", kind: "forbidden" };
    await expect(openSignedBlob({ blobs }, "exports/3/export.json", {})).rejects.toMatchObject(refused);
    const forged = {
      ...query,
      signature: `${query.signature?.startsWith("0") ? "1" : "0"}${query.signature?.slice(1)}`,
    };
    await expect(openSignedBlob({ blobs }, "exports/3/export.json", forged)).rejects.toMatchObject(refused);
    await expect(openSignedBlob({ blobs }, "exports/3/other.json", query)).rejects.toMatchObject(refused);
    const later = new Date((query.expires + 1) * 1000);
    await expect(openSignedBlob({ blobs }, "exports/3/export.json", query, later)).rejects.toMatchObject(refused);
  });

  it("answers invalid for a malformed key and not-found for a missing object", async () => {
    await expect(openSignedBlob({ blobs }, "../secret", {})).rejects.toMatchObject({ kind: "invalid" });
    const url = await blobs.presignedUrl("exports/3/gone.json", { expiresInSeconds: 60 });
    await expect(openSignedBlob({ blobs }, "exports/3/gone.json", queryOf(url))).rejects.toMatchObject({
      kind: "not-found",
      message: "no such object",
    });
  });

  it("answers not-found where the store serves its own links (S3), whatever the link", async () => {
    // A store without the capability: everything a BlobStore must do, delegated, and nothing more.
    const s3Like: BlobStore = {
      kind: "s3",
      put: (...args) => blobs.put(...args),
      getStream: (key) => blobs.getStream(key),
      head: (key) => blobs.head(key),
      delete: (key) => blobs.delete(key),
      list: (prefix, options) => blobs.list(prefix, options),
      presignedUrl: (key, options) => blobs.presignedUrl(key, options),
    };
    const url = await blobs.presignedUrl("exports/3/export.json", { expiresInSeconds: 60 });
    await expect(openSignedBlob({ blobs: s3Like }, "exports/3/export.json", queryOf(url))).rejects.toMatchObject({
      kind: "not-found",
      message: "blobs are not served here (they are in S3)",
    });
  });
});
