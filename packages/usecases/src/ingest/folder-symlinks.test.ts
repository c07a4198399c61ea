import { mkdir, mkdtemp, realpath, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { useTestDatabase } from "@arbor/db/testing";
import { InlineQueue } from "@arbor/jobs";
import { LocalDiskStore } from "@arbor/storage";
import { beforeAll, describe, expect, it, vi } from "vitest";
import { createIngestRun } from "./create-ingest-run.ts";
import { executeIngestRun } from "./execute-ingest-run.ts";
import { getIngestRun } from "./get-ingest-run.ts";
import { CHIHUAHUA, reencoded, SAMPLES, SPANIEL, TABBY } from "./ingest-fixtures.ts";
import { ingestRunJob } from "./ingest-job.ts";
import type { IngestOptionsInput } from "./ingest-options.ts";
import { startWebIngest } from "./start-web-ingest.ts";

// Before anything reads the configuration (cached per process; each test file has its own).
const base = await realpath(await mkdtemp(path.join(tmpdir(), "arbor-symlinks-")));
const root = path.join(base, "imports");
vi.stubEnv("ARBOR_INGEST_ROOTS", root);

/** Fresh image bytes (never ingested before in this database), as a file. */
let serial = 0;
async function photo(file: string, sample = [CHIHUAHUA, SPANIEL, TABBY][serial % 3] as string) {
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, await reencoded(path.join(SAMPLES, sample), 20 + (serial++ % 70)));
}

describe("folder ingest follows symlinks (real PostgreSQL, real images)", () => {
  const t = useTestDatabase("arbor_wordnet");
  let blobs: LocalDiskStore;

  beforeAll(async () => {
    blobs = await LocalDiskStore.open(await mkdtemp(path.join(tmpdir(), "arbor-blobs-")), { signingSecret: "test" });
    await mkdir(root, { recursive: true });
  });

  const ingest = async (options: IngestOptionsInput) => {
    const run = await createIngestRun(t.db, options);
    await executeIngestRun({ db: t.db, blobs }, run.id);
    return getIngestRun(t.db, run.id, { allSkips: true });
  };
  const reasons = (run: Awaited<ReturnType<typeof ingest>>, folder: string) =>
    Object.fromEntries(run.skips.map((s) => [path.relative(folder, s.item), s.reason]));

  it("the CLI follows symlinked files and folders, labels by the link's path, and stops at loops", async () => {
    // The common ML layout: class folders of symlinks into a store elsewhere, and a symlinked class folder.
    const store = path.join(base, "store");
    await photo(path.join(store, "a.jpg"));
    await photo(path.join(store, "b.jpg"));
    await photo(path.join(store, "cats", "c.jpg"));
    const folder = path.join(base, "cli-layout");
    await mkdir(path.join(folder, "n02084071"), { recursive: true });
    await symlink(path.join(store, "a.jpg"), path.join(folder, "n02084071", "a.jpg"));
    await symlink(path.join(store, "b.jpg"), path.join(folder, "n02084071", "b.jpg"));
    await symlink(path.join(store, "cats"), path.join(folder, "n02121808"));
    await symlink(folder, path.join(folder, "n02084071", "loop"));
    await symlink(path.join(store, "gone.jpg"), path.join(folder, "n02084071", "gone.jpg"));

    const run = await ingest({ kind: "folder", path: folder });
    expect(run).toMatchObject({ status: "succeeded", total: 5, processed: 5, added: 3, skipped: 2, warning: null });
    expect(reasons(run, folder)).toEqual({ "n02084071/loop": "symlink-loop", "n02084071/gone.jpg": "broken-symlink" });
    const linked = async (wnid: string) => t.db.imageLink.count({ where: { synset: { wnid } } });
    expect(await linked("n02084071")).toBe(2);
    expect(await linked("n02121808")).toBe(1);
    // The report names the files as the folder shows them (the links), not their targets.
    const sources = await t.db.imageSource.findMany({ where: { runId: run.id }, select: { locator: true } });
    expect(sources.map((s) => path.relative(folder, s.locator)).sort()).toEqual([
      "n02084071/a.jpg",
      "n02084071/b.jpg",
      "n02121808/c.jpg",
    ]);
  });

  it("a web ingest follows symlinks only inside the roots, and says why it ingested nothing", async () => {
    const jobs = new InlineQueue();
    await jobs.work(ingestRunJob, ({ runId }) => executeIngestRun({ db: t.db, blobs }, runId));
    const services = { db: t.db, blobs, jobs };
    const outside = path.join(base, "outside");
    await photo(path.join(outside, "secret-1.jpg"));
    await photo(path.join(outside, "secret-2.jpg"));
    await photo(path.join(root, "pool", "inside.jpg"));
    const folder = path.join(root, "web-layout", "n02084071");
    await mkdir(folder, { recursive: true });
    await symlink(path.join(root, "pool", "inside.jpg"), path.join(folder, "inside.jpg"));
    await symlink(path.join(outside, "secret-1.jpg"), path.join(folder, "secret-1.jpg"));
    await symlink(outside, path.join(folder, "more"));

    // Whatever roots a client sends, the server's are used.
    const started = await startWebIngest(services, {
      kind: "folder",
      path: path.dirname(folder),
      roots: ["/"],
    } as IngestOptionsInput);
    await jobs.idle();
    const run = await getIngestRun(t.db, started.runId, { allSkips: true });
    expect(run).toMatchObject({ status: "succeeded", added: 1, skipped: 2, warning: null });
    expect(reasons(run, folder)).toEqual({ "secret-1.jpg": "symlink-outside-roots", more: "symlink-outside-roots" });
    expect(run.skips[0]?.message).toMatch(/outside the ingest roots/);
    expect(await t.db.imageSource.count({ where: { locator: { contains: "secret" } } })).toBe(0);

    // A folder of nothing but such links: "0 items" is a warning that says why.
    const onlyOutside = path.join(root, "only-outside");
    await mkdir(onlyOutside);
    await symlink(path.join(outside, "secret-1.jpg"), path.join(onlyOutside, "n02084071_1.jpg"));
    await symlink(path.join(outside, "secret-2.jpg"), path.join(onlyOutside, "n02084071_2.jpg"));
    const none = await startWebIngest(services, { kind: "folder", path: onlyOutside });
    await jobs.idle();
    const empty = await getIngestRun(t.db, none.runId);
    expect(empty).toMatchObject({ status: "succeeded", added: 0, skipped: 2 });
    expect(empty.warning).toBe(
      "nothing ingested: all 2 items were skipped (2 symlinks pointing outside the ingest roots); " +
        "the report lists each with its reason",
    );
  });

  it("warns when a non-empty folder has nothing to ingest, and when it is empty", async () => {
    const hidden = path.join(base, "hidden-only");
    await mkdir(path.join(hidden, "n02084071"), { recursive: true });
    await writeFile(path.join(hidden, ".DS_Store"), "");
    await writeFile(path.join(hidden, "n02084071", ".cat.jpg"), "");
    const run = await ingest({ kind: "folder", path: hidden });
    expect(run).toMatchObject({ status: "succeeded", total: 0, processed: 0 });
    expect(run.warning).toBe(
      'nothing to ingest: 3 entries, none an image file: 2 hidden (name starting with "."), 1 folder with no file in it',
    );
    const empty = path.join(base, "empty");
    await mkdir(empty);
    expect((await ingest({ kind: "folder", path: empty })).warning).toBe(`nothing to ingest: ${empty} is empty`);
    // and every item skipped, for a reason worth reading
    const unlabelled = path.join(base, "unlabelled");
    await photo(path.join(unlabelled, "cat.jpg"));
    expect((await ingest({ kind: "folder", path: unlabelled })).warning).toBe(
      "nothing ingested: the one item was skipped (1 file whose synset could not be told); " +
        "the report lists each with its reason",
    );
  });
});
