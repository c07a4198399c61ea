import { describe, expect, it } from "vitest";
import { INVALID_KEYS } from "./blob-store.contract.ts";
import { assertValidKey, assertValidPrefix, blobKeySchema, contentKey, InvalidBlobKeyError } from "./keys.ts";

const SHA = "ab".repeat(32);

describe("assertValidKey", () => {
  it.each([
    "a",
    "originals/ab/cd/file.jpg",
    "exports/run=2024-01-01/part_0001.tar",
    "A-Z.0_9=x",
    "a..b",
    `${"x/".repeat(511)}xx`,
  ])("accepts %j", (key) => {
    expect(() => assertValidKey(key)).not.toThrow();
    expect(blobKeySchema.safeParse(key).success).toBe(true);
  });

  it.each(INVALID_KEYS.concat(["..", ".", "a/.hidden", "-dash", "_under", "a b", "ünï", "a/b?c", "a%2Fb"]))(
    "rejects %j",
    (key) => {
      expect(() => assertValidKey(key)).toThrow(InvalidBlobKeyError);
      expect(blobKeySchema.safeParse(key).success).toBe(false);
    },
  );

  it("explains what is wrong", () => {
    expect(() => assertValidKey("../x")).toThrow(/invalid blob key "\.\.\/x": must not contain a "\.\." segment/);
    expect(() => assertValidKey("a//b")).toThrow(/empty segments/);
    expect(() => assertValidKey("/abs")).toThrow(/no leading \//);
    expect(() => assertValidKey("a\\b")).toThrow(/backslash/);
    expect(() => assertValidKey("")).toThrow(/must not be empty/);
    expect(() => assertValidKey("x".repeat(1025))).toThrow(/at most 1024 characters \(got 1025\)/);
    expect(() => assertValidKey("a\0b")).toThrow(/NUL/);
    expect(() => assertValidKey("a/b c")).toThrow(/segment "b c" must start with a letter or digit/);
    expect(() => assertValidKey(42 as unknown as string)).toThrow(InvalidBlobKeyError);
  });

  it("accepts exactly 1024 characters", () => {
    expect(() => assertValidKey("x".repeat(1024))).not.toThrow();
  });
});

describe("assertValidPrefix", () => {
  it.each(["", "a", "a/", "originals/ab/", "originals/a"])("accepts %j", (prefix) => {
    expect(() => assertValidPrefix(prefix)).not.toThrow();
  });
  it.each(["/", "../", "a//", "/a", "a\\", "a/../"])("rejects %j", (prefix) => {
    expect(() => assertValidPrefix(prefix)).toThrow(InvalidBlobKeyError);
  });
});

describe("contentKey", () => {
  it("fans out by the first two bytes of the hash", () => {
    expect(contentKey("originals", SHA, "jpg")).toBe(`originals/ab/ab/${SHA}.jpg`);
    const sha = `0123${"f".repeat(60)}`;
    expect(contentKey("thumbnails", sha, "webp")).toBe(`thumbnails/01/23/${sha}.webp`);
    expect(() => assertValidKey(contentKey("thumbnails", sha, "webp"))).not.toThrow();
  });

  it.each([
    ["originals", SHA.toUpperCase(), "jpg", /64 lowercase hex/],
    ["originals", SHA.slice(1), "jpg", /64 lowercase hex/],
    ["originals", `../${SHA.slice(3)}`, "jpg", /64 lowercase hex/],
    ["originals", SHA, ".jpg", /extension/],
    ["originals", SHA, "JPG", /extension/],
    ["originals", SHA, "toolongext", /extension/],
    ["originals", SHA, "", /extension/],
    ["exports", SHA, "jpg", /invalid content key parts/],
  ])("rejects %s / %s / %j", (kind, sha, extension, message) => {
    expect(() => contentKey(kind as "originals", sha, extension)).toThrow(InvalidBlobKeyError);
    expect(() => contentKey(kind as "originals", sha, extension)).toThrow(message);
  });
});
