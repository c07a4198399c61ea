import { mkdir, mkdtemp, symlink } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import type { Services } from "../services.ts";
import { resolveAllowedPath } from "./allowed-paths.ts";
import { startWebIngest } from "./start-web-ingest.ts";

describe("paths the web app may ingest from", () => {
  it("accepts a folder inside a root and refuses relative, missing and outside paths as forbidden", async () => {
    const base = await mkdtemp(path.join(tmpdir(), "arbor-roots-"));
    const root = path.join(base, "imports");
    const outside = path.join(base, "elsewhere");
    await mkdir(path.join(root, "cats"), { recursive: true });
    await mkdir(outside);
    await symlink(outside, path.join(root, "escape"));
    const roots = [root];
    expect(await resolveAllowedPath(path.join(root, "cats"), roots)).toMatch(/imports[/\\]cats$/);
    for (const requested of ["cats", path.join(root, "missing"), outside, path.join(root, "escape"), "/etc"]) {
      await expect(resolveAllowedPath(requested, roots), requested).rejects.toMatchObject({
        name: "UseCaseError",
        kind: "forbidden",
      });
    }
  });

  it("sends uploads to the synset's upload route (invalid here), before touching anything", async () => {
    const services = {} as Services;
    await expect(
      startWebIngest(services, { kind: "upload", synset: "n02084071", files: [{ key: "k", name: "n" }] }),
    ).rejects.toMatchObject({ kind: "invalid" });
  });
});
