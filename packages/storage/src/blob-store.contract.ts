import { randomBytes } from "node:crypto";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { BlobNotFoundError, type BlobStore } from "./blob-store.ts";
import { InvalidBlobKeyError } from "./keys.ts";
import { chunkedStream, collect, failingStream, pausedStream, readAll, sha256 } from "./testing/streams.ts";

export interface BlobStoreFixture {
  store: BlobStore;
  cleanup(): Promise<void>;
}

const MIB = 1024 * 1024;

/** Keys no store may accept: traversal, absolute, empty segments, backslashes, NUL, too long. */
export const INVALID_KEYS = ["../x", "a/../b", "/abs", "a//b", "a\\b", "", "x".repeat(1025), "a/", "./a", "a\0b"];

/**
 * The behaviour every BlobStore must share, run against each implementation so local development and
 * production S3 cannot drift apart. Each test gets a fresh, empty store.
 */
export function describeBlobStoreContract(name: string, makeStore: () => Promise<BlobStoreFixture>): void {
  describe(`BlobStore contract: ${name}`, () => {
    let fixture: BlobStoreFixture;
    let store: BlobStore;

    beforeEach(async () => {
      fixture = await makeStore();
      store = fixture.store;
    });
    afterEach(async () => {
      await fixture.cleanup();
    });

    it("round-trips a Buffer byte for byte", async () => {
      const bytes = randomBytes(100_000);
      expect(await store.put("round/trip.bin", bytes)).toMatchObject({ key: "round/trip.bin", bytes: 100_000 });
      expect((await readAll(await store.getStream("round/trip.bin"))).equals(bytes)).toBe(true);
    });

    it("round-trips an empty object", async () => {
      await store.put("empty.txt", Buffer.alloc(0));
      expect(await store.head("empty.txt")).toMatchObject({ bytes: 0 });
      expect((await readAll(await store.getStream("empty.txt"))).length).toBe(0);
    });

    it("stores a 12 MiB stream (multipart on S3) and reads back the same sha256", async () => {
      const bytes = randomBytes(12 * MIB);
      const info = await store.put("big/stream.bin", chunkedStream(bytes));
      expect(info.bytes).toBe(12 * MIB);
      expect(await store.head("big/stream.bin")).toMatchObject({ bytes: 12 * MIB });
      expect(sha256(await readAll(await store.getStream("big/stream.bin")))).toBe(sha256(bytes));
    });

    it("replaces an existing object on put", async () => {
      await store.put("same/key.txt", Buffer.from("first version"));
      await store.put("same/key.txt", Buffer.from("second"));
      expect((await readAll(await store.getStream("same/key.txt"))).toString()).toBe("second");
      expect(await store.head("same/key.txt")).toMatchObject({ bytes: 6 });
    });

    it("heads: null when missing, size and content type when present", async () => {
      expect(await store.head("missing/thing.jpg")).toBeNull();
      await store.put("photos/cat.jpg", Buffer.from("jpeg bytes"), { contentType: "image/jpeg" });
      expect(await store.head("photos/cat.jpg")).toEqual({
        key: "photos/cat.jpg",
        bytes: 10,
        contentType: "image/jpeg",
      });
      // A "directory" of other keys is not an object.
      expect(await store.head("photos")).toBeNull();
    });

    it("rejects getStream of a missing key with BlobNotFoundError", async () => {
      await expect(store.getStream("missing/thing.bin")).rejects.toBeInstanceOf(BlobNotFoundError);
      await store.put("dir/child.bin", Buffer.from("x"));
      await expect(store.getStream("dir")).rejects.toBeInstanceOf(BlobNotFoundError);
    });

    it("deletes idempotently", async () => {
      await store.put("doomed.bin", Buffer.from("bye"));
      await store.delete("doomed.bin");
      expect(await store.head("doomed.bin")).toBeNull();
      await store.delete("doomed.bin");
      await store.delete("never/existed.bin");
    });

    it("lists keys under a prefix in ascending order, with startAfter and limit", async () => {
      // Sibling names where one is a prefix of the other followed by a character below "/" ("a" vs "a-c") are
      // ordered wrongly by s3rver; LocalDiskStore's own tests cover them.
      const keys = ["list/c", "list/a/2", "list/b/1", "list/a/1", "list/b0", "lis", "other/x"];
      for (const key of keys) await store.put(key, Buffer.from(key));
      const keysOf = async (prefix: string, options?: { startAfter?: string; limit?: number }) =>
        (await collect(store.list(prefix, options))).map((info) => info.key);

      expect(await keysOf("list/")).toEqual(["list/a/1", "list/a/2", "list/b/1", "list/b0", "list/c"]);
      expect(await keysOf("list/b")).toEqual(["list/b/1", "list/b0"]);
      expect(await keysOf("list/", { startAfter: "list/a/1" })).toEqual(["list/a/2", "list/b/1", "list/b0", "list/c"]);
      expect(await keysOf("list/", { startAfter: "list/a/" })).toEqual([
        "list/a/1",
        "list/a/2",
        "list/b/1",
        "list/b0",
        "list/c",
      ]);
      expect(await keysOf("list/", { startAfter: "list/a/9" })).toEqual(["list/b/1", "list/b0", "list/c"]);
      expect(await keysOf("list/", { startAfter: "list/b/1", limit: 1 })).toEqual(["list/b0"]);
      expect(await keysOf("list/", { limit: 3 })).toEqual(["list/a/1", "list/a/2", "list/b/1"]);
      expect(await keysOf("list/", { startAfter: "list/c" })).toEqual([]);
      expect(await keysOf("nothing/here/")).toEqual([]);
      expect(await keysOf("")).toEqual([...keys].sort());
      expect((await collect(store.list("list/a/1")))[0]).toMatchObject({ key: "list/a/1", bytes: 8 });
    });

    it("leaves nothing at the key when the body stream fails half-way", async () => {
      await expect(store.put("broken/small.bin", failingStream(MIB, "source dropped"))).rejects.toThrow(
        "source dropped",
      );
      expect(await store.head("broken/small.bin")).toBeNull();
      // Past one part, so S3 has started (and must abort) a multipart upload.
      await expect(store.put("broken/large.bin", failingStream(10 * MIB, "source dropped late"))).rejects.toThrow(
        "source dropped late",
      );
      expect(await store.head("broken/large.bin")).toBeNull();
      expect(await collect(store.list("broken/"))).toEqual([]);
    });

    it("shows nothing at the key until the put completes", async () => {
      const { stream, paused, release } = pausedStream(Buffer.alloc(1000, 1), Buffer.alloc(1000, 2));
      const putting = store.put("slow/upload.bin", stream);
      await paused;
      expect(await store.head("slow/upload.bin")).toBeNull();
      release();
      await putting;
      expect(await store.head("slow/upload.bin")).toMatchObject({ bytes: 2000 });
    });

    it("rejects invalid keys in every method", async () => {
      for (const key of INVALID_KEYS) {
        await expect(store.put(key, Buffer.from("x")), key).rejects.toBeInstanceOf(InvalidBlobKeyError);
        await expect(store.getStream(key), key).rejects.toBeInstanceOf(InvalidBlobKeyError);
        await expect(store.head(key), key).rejects.toBeInstanceOf(InvalidBlobKeyError);
        await expect(store.delete(key), key).rejects.toBeInstanceOf(InvalidBlobKeyError);
        await expect(store.presignedUrl(key, { expiresInSeconds: 60 }), key).rejects.toBeInstanceOf(
          InvalidBlobKeyError,
        );
      }
      for (const prefix of ["../", "/abs", "a//", "a\\b"]) {
        await expect(collect(store.list(prefix)), prefix).rejects.toBeInstanceOf(InvalidBlobKeyError);
      }
    });

    it("rejects nonsensical options", async () => {
      await expect(store.presignedUrl("a.bin", { expiresInSeconds: 0 })).rejects.toBeInstanceOf(RangeError);
      await expect(store.presignedUrl("a.bin", { expiresInSeconds: 8 * 86_400 })).rejects.toBeInstanceOf(RangeError);
      await expect(collect(store.list("", { limit: 0 }))).rejects.toBeInstanceOf(RangeError);
    });

    it("presigns a GET URL that serves the bytes", async () => {
      const bytes = randomBytes(5000);
      await store.put("shared/photo.png", bytes, { contentType: "image/png" });
      const url = await store.presignedUrl("shared/photo.png", { expiresInSeconds: 300 });
      const response = await fetch(url);
      expect(response.status).toBe(200);
      expect(Buffer.from(await response.arrayBuffer()).equals(bytes)).toBe(true);
    });

    it("presigns a PUT URL that stores the bytes", async () => {
      const url = await store.presignedUrl("uploads/from-browser.bin", { expiresInSeconds: 300, method: "PUT" });
      const response = await fetch(url, { method: "PUT", body: Buffer.from("uploaded directly") });
      expect(response.ok).toBe(true);
      expect((await readAll(await store.getStream("uploads/from-browser.bin"))).toString()).toBe("uploaded directly");
    });
  });
}
