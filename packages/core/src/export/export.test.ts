import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { formatChecksums, parseChecksums } from "./checksums.ts";
import { buildHierarchyFile } from "./hierarchy-file.ts";
import { TAR_END, tarHeader, tarPadding, writeTarHeader } from "./tar.ts";

describe("tar framing", () => {
  it("keeps the header bytes of earlier exports, in place or not (a resumed export must match a clean one)", () => {
    const sha = (bytes: Uint8Array) => createHash("sha256").update(bytes).digest("hex");
    // Digests of the headers as first released: a change here changes every shard ever exported.
    const golden: Array<[string, number, number, string]> = [
      [`${"a".repeat(64)}.jpg`, 123456, 0, "55db65e2763d9a8a1fb4d17ee603c3f48b2732487d3bebd501e0c486af580b3c"],
      ["é.json", 0, 0, "dadb92dd60f45d4ef8730beaf37aaec31ac5dec467f8e25d44acb0fa46c81175"],
      ["x", 8 ** 11 - 1, 1700000000, "074ecc8cda14fe51839af10d17e0e9f664796e67763b98eeb032edbc71e35ba8"],
    ];
    for (const [name, size, mtime, digest] of golden) {
      expect(sha(tarHeader(name, size, mtime))).toBe(digest);
      const target = new Uint8Array(2048).fill(0xff);
      writeTarHeader(target, 700, name, size, mtime);
      expect(sha(target.subarray(700, 1212))).toBe(digest);
      expect(target[699]).toBe(0xff);
      expect(target[1212]).toBe(0xff);
    }
  });

  it("makes archives that plain tar lists and extracts", () => {
    const dir = mkdtempSync(path.join(tmpdir(), "arbor-tar-"));
    const members = [
      { name: `${"a".repeat(64)}.jpg`, data: new Uint8Array([1, 2, 3]) },
      { name: `${"a".repeat(64)}.cls`, data: new TextEncoder().encode("7") },
      { name: "empty.json", data: new Uint8Array(0) },
      { name: "block.bin", data: new Uint8Array(512).fill(9) },
    ];
    const parts: Uint8Array[] = [];
    for (const m of members) parts.push(tarHeader(m.name, m.data.length), m.data, tarPadding(m.data.length));
    parts.push(TAR_END);
    const file = path.join(dir, "shard.tar");
    writeFileSync(file, Buffer.concat(parts));
    const listing = execFileSync("tar", ["-tvf", file], { encoding: "utf8" });
    expect(listing.trim().split("\n")).toHaveLength(4);
    expect(listing).toContain("block.bin");
    execFileSync("tar", ["-xf", file, "-C", dir]);
    expect(execFileSync("cat", [path.join(dir, `${"a".repeat(64)}.cls`)], { encoding: "utf8" })).toBe("7");
  });

  it("refuses names tar cannot hold", () => {
    expect(() => tarHeader("x".repeat(101), 1)).toThrow(RangeError);
  });
});

describe("SHA256SUMS", () => {
  it("round-trips, sorted by path", () => {
    const text = formatChecksums([
      { path: "b.txt", sha256: "1".repeat(64) },
      { path: "a/c.txt", sha256: "2".repeat(64) },
    ]);
    expect(text.split("\n")[0]).toBe(`${"2".repeat(64)}  a/c.txt`);
    expect(parseChecksums(text)).toHaveLength(2);
    expect(() => parseChecksums("nonsense\n")).toThrow(/line 1/);
  });
});

describe("hierarchy file", () => {
  it("numbers classes first and sums images up the tree", () => {
    const synsets = ["n00000001", "n00000002", "n00000003", "n00000004"].map((wnid) => ({
      wnid,
      lemmas: [wnid],
      gloss: "",
    }));
    const file = buildHierarchyFile({
      classes: [
        { wnid: "n00000003", trainImages: 5 },
        { wnid: "n00000004", trainImages: 7 },
      ],
      synsets,
      edges: [
        { parent: "n00000001", child: "n00000002" },
        { parent: "n00000002", child: "n00000003" },
        { parent: "n00000002", child: "n00000004" },
      ],
    });
    expect(file.map((s) => s.wnid)).toEqual(["n00000003", "n00000004", "n00000001", "n00000002"]);
    const root = file.find((s) => s.wnid === "n00000001");
    expect(root).toMatchObject({ id: 3, children: [4], wordnetHeight: 2, numTrainImages: 12 });
  });
});
