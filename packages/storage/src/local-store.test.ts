import { mkdir, mkdtemp, readdir, readFile, rm, stat, utimes, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { describeBlobStoreContract } from "./blob-store.contract.ts";
import { verifyLocalSignature } from "./local-signature.ts";
import { LocalDiskStore, STALE_TEMP_MS, TEMP_DIR } from "./local-store.ts";
import { SIGNING_SECRET_FILE } from "./signing-secret.ts";
import { startLocalBlobServer } from "./testing/local-blob-server.ts";
import { collect, failingStream } from "./testing/streams.ts";

describeBlobStoreContract("LocalDiskStore", async () => {
  const server = await startLocalBlobServer();
  return { store: server.store, cleanup: server.stop };
});

const SECRET = "0123456789abcdef0123456789abcdef";

describe("LocalDiskStore on disk", () => {
  let rootDir: string;
  let store: LocalDiskStore;

  beforeEach(async () => {
    rootDir = await mkdtemp(path.join(tmpdir(), "arbor-local-"));
    store = new LocalDiskStore(rootDir, { signingSecret: SECRET, publicBaseUrl: "https://arbor.example/" });
  });
  afterEach(async () => {
    await rm(rootDir, { recursive: true, force: true });
  });

  it("keeps each blob as a plain file at <root>/<key>", async () => {
    await store.put("originals/ab/cd/file.jpg", Buffer.from("bytes"));
    expect(await readFile(path.join(rootDir, "originals", "ab", "cd", "file.jpg"), "utf8")).toBe("bytes");
    expect(await readdir(path.join(rootDir, TEMP_DIR))).toEqual([]);
    expect(store.localPath("originals/ab/cd/file.jpg")).toBe(path.join(rootDir, "originals", "ab", "cd", "file.jpg"));
    expect(() => store.localPath("../escape")).toThrow();
  });

  it("cleans its temp folder after a failed put", async () => {
    await expect(store.put("broken.bin", failingStream(100_000, "boom"))).rejects.toThrow("boom");
    expect(await readdir(path.join(rootDir, TEMP_DIR))).toEqual([]);
    expect(await store.head("broken.bin")).toBeNull();
  });

  it("never lists its own bookkeeping or stray files", async () => {
    await LocalDiskStore.open(rootDir, { publicBaseUrl: "http://localhost:3000" });
    await store.put("real.txt", Buffer.from("x"));
    await rm(path.join(rootDir, "real.txt"));
    await store.put("kept/one.txt", Buffer.from("x"));
    await writeFile(path.join(rootDir, "kept", ".DS_Store"), "");
    await writeFile(path.join(rootDir, "kept", "has space.txt"), "");
    expect((await collect(store.list(""))).map((info) => info.key)).toEqual(["kept/one.txt"]);
  });

  it("lists in S3 byte order where a naive directory walk would not", async () => {
    // "-" < "/" < "0": the directory `list/a` must sort as "list/a/", after list/a-c and before list/a0.
    const keys = ["list/a0", "list/b", "list/a/2", "list/a-c", "list/a/1", "lis", "list-other", "other/x"];
    for (const key of keys) await store.put(key, Buffer.from(key));
    const keysOf = async (prefix: string, startAfter?: string) =>
      (await collect(store.list(prefix, { startAfter }))).map((info) => info.key);
    expect(await keysOf("")).toEqual([...keys].sort());
    expect(await keysOf("list/a")).toEqual(["list/a-c", "list/a/1", "list/a/2", "list/a0"]);
    expect(await keysOf("", "list-other")).toEqual([
      "list/a-c",
      "list/a/1",
      "list/a/2",
      "list/a0",
      "list/b",
      "other/x",
    ]);
    expect(await keysOf("", "list/a/2")).toEqual(["list/a0", "list/b", "other/x"]);
  });

  it("infers content types from the extension", async () => {
    await store.put("a.webp", Buffer.from("x"), { contentType: "text/plain" });
    await store.put("b.unknown", Buffer.from("x"));
    expect((await store.head("a.webp"))?.contentType).toBe("image/webp");
    expect((await store.head("b.unknown"))?.contentType).toBe("application/octet-stream");
  });

  it("signs URLs that verify with their own parameters and nothing else", async () => {
    const url = new URL(await store.presignedUrl("originals/cat.jpg", { expiresInSeconds: 600 }));
    expect(url.origin + url.pathname).toBe("https://arbor.example/api/v1/blobs/originals/cat.jpg");
    const params = {
      key: url.pathname.replace("/api/v1/blobs/", ""),
      expires: url.searchParams.get("expires") ?? "",
      signature: url.searchParams.get("signature") ?? "",
      method: "GET",
    };
    const expires = Number(params.expires);
    const before = new Date((expires - 1) * 1000);
    expect(verifyLocalSignature(params, SECRET, before)).toBe(true);
    expect(store.verifySignedRequest(params, before)).toBe(true);
    expect(verifyLocalSignature({ ...params, key: "originals/dog.jpg" }, SECRET, before)).toBe(false);
    expect(verifyLocalSignature({ ...params, method: "PUT" }, SECRET, before)).toBe(false);
    expect(verifyLocalSignature({ ...params, expires: expires + 60 }, SECRET, before)).toBe(false);
    const flipped = (params.signature[0] === "0" ? "1" : "0") + params.signature.slice(1);
    expect(verifyLocalSignature({ ...params, signature: flipped }, SECRET, before)).toBe(false);
    expect(verifyLocalSignature(params, `${SECRET}x`, before)).toBe(false);
    expect(verifyLocalSignature(params, SECRET, new Date((expires + 1) * 1000))).toBe(false);
  });

  it("builds presigned URLs on the request's origin when no public URL is configured", async () => {
    const unconfigured = new LocalDiskStore(rootDir, { signingSecret: SECRET });
    const url = new URL(
      await unconfigured.presignedUrl("originals/cat.jpg", {
        expiresInSeconds: 600,
        origin: "https://arbor.lab.example:8443/ignored/path?q=1",
      }),
    );
    expect(url.origin + url.pathname).toBe("https://arbor.lab.example:8443/api/v1/blobs/originals/cat.jpg");
    expect(
      unconfigured.verifySignedRequest({
        key: "originals/cat.jpg",
        expires: url.searchParams.get("expires") ?? "",
        signature: url.searchParams.get("signature") ?? "",
        method: "GET",
      }),
    ).toBe(true);
    // a configured address wins; nothing at all is an error rather than a localhost link that cannot work
    const configured = new URL(await store.presignedUrl("a.bin", { expiresInSeconds: 60, origin: "http://10.0.0.1" }));
    expect(configured.origin).toBe("https://arbor.example");
    await expect(unconfigured.presignedUrl("a.bin", { expiresInSeconds: 60 })).rejects.toThrow(/ARBOR_PUBLIC_URL/);
    await expect(
      unconfigured.presignedUrl("a.bin", { expiresInSeconds: 60, origin: "javascript:alert(1)" }),
    ).rejects.toBeInstanceOf(RangeError);
  });

  it("sweeps staged files that killed puts left behind when it opens, and keeps fresh ones", async () => {
    const tempDir = path.join(rootDir, TEMP_DIR);
    await mkdir(tempDir, { recursive: true });
    const old = new Date(Date.now() - STALE_TEMP_MS - 60_000);
    for (const name of ["killed-put-1", "killed-put-2"]) {
      await writeFile(path.join(tempDir, name), "partial");
      await utimes(path.join(tempDir, name), old, old);
    }
    await writeFile(path.join(tempDir, "put-in-progress"), "partial");
    await LocalDiskStore.open(rootDir, { publicBaseUrl: "http://localhost:3000" });
    expect(await readdir(tempDir)).toEqual(["put-in-progress"]);
    // a shorter threshold can be asked for
    await LocalDiskStore.open(rootDir, { staleTempMs: 0 });
    expect(await readdir(tempDir)).toEqual([]);
  });

  it("rejects malformed signature parameters without throwing", () => {
    const good = { key: "a.bin", expires: "99999999999", signature: "a".repeat(64), method: "GET" };
    for (const bad of [
      { ...good, signature: "xyz" },
      { ...good, signature: "A".repeat(64) },
      { ...good, expires: "soon" },
      { ...good, expires: "-1" },
      { ...good, key: "../etc/passwd" },
      { ...good, method: "DELETE" },
    ]) {
      expect(verifyLocalSignature(bad, SECRET)).toBe(false);
    }
  });

  it("persists a generated signing secret (mode 0600) and reuses it", async () => {
    const first = await LocalDiskStore.open(rootDir, { publicBaseUrl: "http://localhost:3000" });
    const secretFile = path.join(rootDir, SIGNING_SECRET_FILE);
    const secret = await readFile(secretFile, "utf8");
    expect(secret).toMatch(/^[0-9a-f]{64}$/);
    if (process.platform !== "win32") expect((await stat(secretFile)).mode & 0o777).toBe(0o600);

    const second = await LocalDiskStore.open(rootDir, { publicBaseUrl: "http://localhost:3000" });
    expect(await readFile(secretFile, "utf8")).toBe(secret);
    const url = new URL(await first.presignedUrl("k.bin", { expiresInSeconds: 60 }));
    const params = {
      key: "k.bin",
      expires: url.searchParams.get("expires") ?? "",
      signature: url.searchParams.get("signature") ?? "",
      method: "GET",
    };
    expect(second.verifySignedRequest(params)).toBe(true);
    expect(verifyLocalSignature(params, secret)).toBe(true);
    expect((await readdir(rootDir)).filter((name) => name.startsWith(SIGNING_SECRET_FILE))).toEqual([
      SIGNING_SECRET_FILE,
    ]);
  });

  it("agrees on one secret when many processes create it at once", async () => {
    const stores = await Promise.all(
      Array.from({ length: 8 }, () => LocalDiskStore.open(rootDir, { publicBaseUrl: "http://localhost:3000" })),
    );
    const url = new URL((await stores[0]?.presignedUrl("k.bin", { expiresInSeconds: 60 })) ?? "");
    const params = {
      key: "k.bin",
      expires: url.searchParams.get("expires") ?? "",
      signature: url.searchParams.get("signature") ?? "",
      method: "GET",
    };
    expect(stores.every((other) => other.verifySignedRequest(params))).toBe(true);
  });
});
