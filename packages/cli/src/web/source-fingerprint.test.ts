import { mkdir, mkdtemp, rm, utimes, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { sourceFingerprint } from "./source-fingerprint.ts";

const dir = await mkdtemp(path.join(tmpdir(), "arbor-fingerprint-"));
afterAll(() => rm(dir, { recursive: true, force: true }));

describe("sourceFingerprint", () => {
  it("is stable while nothing changes and moves when a source file does", async () => {
    await mkdir(path.join(dir, "src"));
    await mkdir(path.join(dir, ".next"));
    await mkdir(path.join(dir, "node_modules"));
    const file = path.join(dir, "src", "page.tsx");
    await writeFile(file, "export default 1;");
    const first = await sourceFingerprint([dir]);
    expect(await sourceFingerprint([dir])).toBe(first);

    // Build output and dependencies are not sources.
    await writeFile(path.join(dir, ".next", "BUILD_ID"), "x");
    await writeFile(path.join(dir, "node_modules", "dep.js"), "x");
    expect(await sourceFingerprint([dir])).toBe(first);

    const later = new Date(Date.now() + 5_000);
    await utimes(file, later, later);
    const touched = await sourceFingerprint([dir]);
    expect(touched).not.toBe(first);

    await writeFile(path.join(dir, "src", "new.ts"), "");
    expect(await sourceFingerprint([dir])).not.toBe(touched);
  });

  it("accepts missing roots and single files", async () => {
    const file = path.join(dir, "schema.prisma");
    await writeFile(file, "model A {}");
    expect(await sourceFingerprint([file, path.join(dir, "missing")])).toMatch(/^[0-9a-f]{64}$/);
  });
});
