import { mkdir, mkdtemp, realpath, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import type { Services } from "../services.ts";
import { resolveAllowedPath, resolveExportDestination, resolveInsideRoots } from "./allowed-paths.ts";
import { startWebIngest } from "./start-web-ingest.ts";

/** base/imports (a root, with cats/ and links out of it), base/elsewhere (outside), base/link-to-imports. */
async function makeTree() {
  const base = await realpath(await mkdtemp(path.join(tmpdir(), "arbor-roots-")));
  const root = path.join(base, "imports");
  const outside = path.join(base, "elsewhere");
  await mkdir(path.join(root, "cats"), { recursive: true });
  await mkdir(outside);
  await writeFile(path.join(root, "notes.txt"), "x");
  await symlink(outside, path.join(root, "escape"));
  await symlink(path.join(base, "nowhere"), path.join(root, "dangling"));
  await symlink(path.join(root, "cats"), path.join(root, "kittens"));
  await symlink(root, path.join(base, "link-to-imports"));
  return { base, root, outside };
}

describe("paths the web app may ingest from", () => {
  it("accepts a folder inside a root and refuses relative, missing and outside paths as forbidden", async () => {
    const { root, outside } = await makeTree();
    const roots = [root];
    expect(await resolveAllowedPath(path.join(root, "cats"), roots)).toMatch(/imports[/\\]cats$/);
    for (const requested of ["cats", path.join(root, "missing"), outside, path.join(root, "escape"), "/etc"]) {
      await expect(resolveAllowedPath(requested, roots), requested).rejects.toMatchObject({
        name: "UseCaseError",
        kind: "forbidden",
      });
    }
  });

  it("answers a missing path and an existing one outside the roots alike, so existence is not revealed", async () => {
    const { root, outside } = await makeTree();
    const refusal = async (requested: string) =>
      (await resolveAllowedPath(requested, [root]).catch((error: Error) => error)) as Error;
    const missing = await refusal("/no/such/arbor/path");
    const existing = await refusal(outside);
    const escaping = await refusal(path.join(root, "escape"));
    expect(missing.message.replace("/no/such/arbor/path", "P")).toBe(existing.message.replace(outside, "P"));
    expect(escaping.message.replace(path.join(root, "escape"), "P")).toBe(existing.message.replace(outside, "P"));
    expect(missing.message).toMatch(/not found inside the ingest folders .*ARBOR_INGEST_ROOTS/);
    // what the e2e suite (roles, images-api) expects of this refusal, whichever the case
    expect(missing.message).toMatch(/outside the ingest folders/);
    expect(missing.message).not.toMatch(/does not exist/);
  });

  it("follows symlinks inside the roots, the roots' own included, and answers the real path", async () => {
    const { base, root } = await makeTree();
    expect(await resolveAllowedPath(path.join(root, "kittens"), [root])).toBe(path.join(root, "cats"));
    // a root configured through a symlink: paths typed either way resolve to the same real folder
    const viaLink = [path.join(base, "link-to-imports")];
    expect(await resolveAllowedPath(path.join(root, "cats"), viaLink)).toBe(path.join(root, "cats"));
    expect(await resolveAllowedPath(path.join(base, "link-to-imports", "cats"), viaLink)).toBe(path.join(root, "cats"));
  });

  it("sends uploads to the synset's upload route (invalid here), before touching anything", async () => {
    const services = {} as Services;
    await expect(
      startWebIngest(services, { kind: "upload", synset: "n02084071", files: [{ key: "k", name: "n" }] }),
    ).rejects.toMatchObject({ kind: "invalid" });
  });
});

describe("folders the web app may export into (real symlinks)", () => {
  it("accepts a new folder below a root, resolved through its nearest existing ancestor", async () => {
    const { base, root } = await makeTree();
    expect(await resolveExportDestination(path.join(root, "v1", "imagefolder"), [root])).toBe(
      path.join(root, "v1", "imagefolder"),
    );
    expect(await resolveExportDestination(path.join(root, "kittens", "v1"), [root])).toBe(
      path.join(root, "cats", "v1"),
    );
    // through a symlinked root, or under a root that does not exist yet
    expect(await resolveExportDestination(path.join(base, "link-to-imports", "v2"), [root])).toBe(
      path.join(root, "v2"),
    );
    const later = path.join(base, "exports-not-yet");
    expect(await resolveExportDestination(path.join(later, "v1"), [later])).toBe(path.join(later, "v1"));
  });

  it("refuses a symlink inside a root that points outside it, at any depth, and dangling ones", async () => {
    const { root } = await makeTree();
    for (const destination of [
      path.join(root, "escape"),
      path.join(root, "escape", "new-folder"),
      path.join(root, "escape", "a", "b"),
      path.join(root, "dangling"),
      path.join(root, "dangling", "x"),
    ]) {
      await expect(resolveExportDestination(destination, [root]), destination).rejects.toMatchObject({
        kind: "forbidden",
        message: expect.stringMatching(/ARBOR_EXPORT_ROOTS/),
      });
    }
  });

  it("refuses the root itself, relative paths, dot segments, a file used as a folder, and outside paths", async () => {
    const { root, outside } = await makeTree();
    for (const destination of [
      root,
      "relative/folder",
      path.join(root, "..", "elsewhere"),
      `${root}/x/../../elsewhere`,
      `${root}/./x`,
      path.join(root, "notes.txt", "x"),
      path.join(outside, "x"),
      "/etc/arbor-export",
    ]) {
      await expect(resolveExportDestination(destination, [root]), destination).rejects.toMatchObject({
        kind: "forbidden",
      });
    }
  });

  it("is one check for both: a destination resolves like a source, only it need not exist", async () => {
    const { root } = await makeTree();
    const exists = { mustExist: true };
    const mayNotExist = { mustExist: false };
    expect(await resolveInsideRoots(path.join(root, "new"), [root], exists)).toBeNull();
    expect(await resolveInsideRoots(path.join(root, "new"), [root], mayNotExist)).toBe(path.join(root, "new"));
    expect(await resolveInsideRoots(path.join(root, "escape"), [root], exists)).toBeNull();
    expect(await resolveInsideRoots(path.join(root, "escape"), [root], mayNotExist)).toBeNull();
  });
});
