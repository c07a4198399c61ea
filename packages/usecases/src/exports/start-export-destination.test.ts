import { mkdir, mkdtemp, realpath, symlink } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { useTestDatabase } from "@arbor/db/testing";
import { InlineQueue } from "@arbor/jobs";
import { beforeAll, describe, expect, it, vi } from "vitest";
import { OPERATOR } from "../restrictions/viewer.ts";
import { exportJob } from "./export-job.ts";
import { startExport } from "./start-export.ts";

// Before anything reads the configuration (it is cached per process, and each test file has its own).
const base = await realpath(await mkdtemp(path.join(tmpdir(), "arbor-export-roots-")));
const root = path.join(base, "exports");
const outside = path.join(base, "elsewhere");
vi.stubEnv("ARBOR_EXPORT_ROOTS", root);

describe("a web export's destination, with real symlinks in ARBOR_EXPORT_ROOTS", () => {
  const t = useTestDatabase("arbor_wordnet");
  const jobs = new InlineQueue();
  let versionId: number;

  beforeAll(async () => {
    await mkdir(path.join(root, "shared"), { recursive: true });
    await mkdir(outside);
    await symlink(outside, path.join(root, "escape"));
    await symlink(path.join(root, "shared"), path.join(root, "team"));
    await jobs.work(exportJob, async () => {});
    const dataset = await t.db.dataset.create({ data: { name: "destinations" } });
    const version = await t.db.datasetVersion.create({
      data: { datasetId: dataset.id, number: 1, definition: {}, report: {}, classCount: 0, imageCount: 0 },
    });
    versionId = version.id;
  });

  const start = (destination: string) =>
    startExport({ db: t.db, jobs }, { versionId, request: { format: "jsonl", destination }, actor: OPERATOR });

  it("refuses a symlink inside the root that points outside it, and records nothing", async () => {
    const before = await t.db.export.count();
    for (const destination of [path.join(root, "escape"), path.join(root, "escape", "v1")]) {
      await expect(start(destination), destination).rejects.toMatchObject({
        kind: "forbidden",
        message: expect.stringMatching(/ARBOR_EXPORT_ROOTS/),
      });
    }
    expect(await t.db.export.count()).toBe(before);
  });

  it("accepts a symlink that stays inside, and records the real path", async () => {
    const started = await start(path.join(root, "team", "v1"));
    const row = await t.db.export.findUniqueOrThrow({ where: { id: started.id } });
    expect(row.destination).toBe(path.join(root, "shared", "v1"));
    await jobs.idle();
  });
});
