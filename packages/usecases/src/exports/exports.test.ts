import { execFileSync, spawnSync } from "node:child_process";
import { mkdtemp, readdir, readFile, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { manifestRecordSchema } from "@arbor/core";
import { useTestDatabase } from "@arbor/db/testing";
import { InlineQueue } from "@arbor/jobs";
import { type BlobStore, LocalDiskStore, S3Store } from "@arbor/storage";
import { startTestS3Server, type TestS3Server } from "@arbor/storage/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDatasetVersion } from "../datasets/create-dataset-version.ts";
import { ingestCifarSubset } from "../datasets/dataset-fixtures.ts";
import { OPERATOR } from "../restrictions/viewer.ts";
import { createExport } from "./create-export.ts";
import { executeExport } from "./execute-export.ts";
import { exportJob } from "./export-job.ts";
import type { ExportOptionsInput } from "./export-options.ts";
import type { StartExportRequest } from "./export-schemas.ts";
import { openDestination } from "./export-target.ts";
import { getExport, listExportFiles } from "./get-export.ts";
import { startExport } from "./start-export.ts";
import { verifyExport } from "./verify-export.ts";

/** Every file under dir (relative path → bytes), for byte-for-byte comparison of two exports. */
async function snapshot(dir: string): Promise<Map<string, Buffer>> {
  const files = new Map<string, Buffer>();
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const full = path.join(entry.parentPath, entry.name);
    files.set(path.relative(dir, full), await readFile(full));
  }
  return files;
}

describe("exports (real PostgreSQL, real CIFAR-10 images)", () => {
  const t = useTestDatabase("arbor_wordnet");
  let blobs: BlobStore;
  let versionId: number;
  let s3: TestS3Server | undefined;
  const workDir = async () => mkdtemp(path.join(tmpdir(), "arbor-export-"));

  beforeAll(async () => {
    ({ blobs } = await ingestCifarSubset(t.db, 20));
    const version = await createDatasetVersion(
      t.db,
      {
        name: "cifar-export",
        classes: { kind: "wnids", wnids: ["n02691156", "n02958343", "n01503061", "n02121808"] },
        seed: 5,
        splits: { mode: "fractions", train: 0.6, val: 0.2, test: 0.2 },
      },
      OPERATOR,
    );
    versionId = version.id;
  }, 120_000);
  afterAll(async () => s3?.stop());

  const exportTo = async (destination: string, options: ExportOptionsInput, openBucket?: (b: string) => BlobStore) => {
    const { id } = await createExport(t.db, { versionId, options, destination, createdById: null });
    await executeExport({ db: t.db, blobs, ...(openBucket ? { openBucket } : {}) }, id);
    return id;
  };

  it("writes ImageFolder byte-identically twice, and it verifies", async () => {
    const [a, b] = [await workDir(), await workDir()];
    await exportTo(a, { format: "imagefolder" });
    await exportTo(b, { format: "imagefolder" });
    const [sa, sb] = [await snapshot(a), await snapshot(b)];
    expect([...sa.keys()].sort()).toEqual([...sb.keys()].sort());
    for (const [file, bytes] of sa) expect(bytes.equals(sb.get(file) as Buffer), file).toBe(true);
    // 81 images, 3 manifests, classes.json, hierarchy.json, README.md, SHA256SUMS, export.json
    expect(sa.size).toBe(81 + 3 + 5);
    const train = (await readFile(path.join(a, "train.jsonl"), "utf8"))
      .trim()
      .split("\n")
      .map((l) => manifestRecordSchema.parse(JSON.parse(l)));
    for (const r of train) expect(r.path).toBe(`train/${r.wnid}/${r.sha256}.jpg`);
    // coreutils can check the checksums on its own
    expect(spawnSync("sha256sum", ["--quiet", "-c", "SHA256SUMS"], { cwd: a }).status).toBe(0);
    expect(await verifyExport(await openDestination(a))).toMatchObject({
      ok: true,
      images: { train: 49, val: 16, test: 16 },
    });
  });

  it("writes WebDataset shards that plain tar opens, with no image in two splits", async () => {
    const dir = await workDir();
    await exportTo(dir, { format: "webdataset", shardSize: 16 });
    const shards = (await readdir(dir)).filter((f) => f.endsWith(".tar")).sort();
    expect(shards).toEqual([
      "test-000000.tar",
      "train-000000.tar",
      "train-000001.tar",
      "train-000002.tar",
      "train-000003.tar",
      "val-000000.tar",
    ]);
    const listing = execFileSync("tar", ["-tf", path.join(dir, "train-000000.tar")], { encoding: "utf8" })
      .trim()
      .split("\n");
    expect(listing).toHaveLength(48);
    expect(listing[0]).toMatch(/^[0-9a-f]{64}\.jpg$/);
    expect(listing[1]).toMatch(/^[0-9a-f]{64}\.cls$/);
    const check = await verifyExport(await openDestination(dir));
    expect(check).toMatchObject({ ok: true, images: { train: 49, val: 16, test: 16 } });
  });

  it("withholds test labels and re-encodes on request", async () => {
    const dir = await workDir();
    await exportTo(dir, { format: "jsonl", resize: 16, quality: 80, withholdTestLabels: true });
    const test = (await readFile(path.join(dir, "test.jsonl"), "utf8"))
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    expect(test).toHaveLength(16);
    for (const r of test) {
      expect(r.wnid).toBeUndefined();
      expect(r.classIndex).toBeUndefined();
      expect(r.path).toBe(`images/${r.sha256}.jpg`);
      expect([r.width, r.height]).toEqual([16, 16]);
    }
    const readme = await readFile(path.join(dir, "README.md"), "utf8");
    expect(readme).toContain("Test labels are withheld");
    expect(JSON.stringify(test)).not.toMatch(/n0\d{7}/);
    expect((await verifyExport(await openDestination(dir))).ok).toBe(true);
  });

  it("finishes an export killed with SIGKILL half-way, byte-identical to a clean run", async () => {
    const [clean, killed] = [await workDir(), await workDir()];
    const options = { format: "imagefolder" as const };
    await exportTo(clean, options);
    const { id } = await createExport(t.db, { versionId, options, destination: killed, createdById: null });
    const blobDir = (blobs as LocalDiskStore).rootDir;
    const script = fileURLToPath(new URL("./testing/export-then-die.ts", import.meta.url));
    const child = spawnSync(process.execPath, ["--import", "tsx", script, t.url, blobDir, String(id)], {
      encoding: "utf8",
    });
    expect(child.signal).toBe("SIGKILL");
    const check = await verifyExport(await openDestination(killed));
    expect(check.ok).toBe(false);
    expect(check.problems[0]).toMatch(/incomplete/);
    // running the same export again resumes the same row and finishes it
    const again = await createExport(t.db, { versionId, options, destination: killed, createdById: null });
    expect(again).toEqual({ id, resumed: true });
    await executeExport({ db: t.db, blobs }, id);
    const [sa, sb] = [await snapshot(clean), await snapshot(killed)];
    expect([...sb.keys()].sort()).toEqual([...sa.keys()].sort());
    for (const [file, bytes] of sa) expect(bytes.equals(sb.get(file) as Buffer), file).toBe(true);
    await expect(stat(path.join(killed, ".tmp"))).rejects.toThrow();
  });

  it("exports to S3 and verifies there", async () => {
    s3 = await startTestS3Server();
    const bucket = await s3.createBucket();
    const client = s3.client;
    const openBucket = (name: string) => new S3Store({ client, bucket: name });
    const id = await exportTo(`s3://${bucket}/cifar/v1`, { format: "webdataset", shardSize: 32 }, openBucket);
    const row = await t.db.export.findUniqueOrThrow({ where: { id } });
    expect(row.status).toBe("succeeded");
    const check = await verifyExport(await openDestination(`s3://${bucket}/cifar/v1`, openBucket));
    expect(check).toMatchObject({ ok: true, images: { train: 49, val: 16, test: 16 } });
  });

  it("refuses bad options with a clear message", async () => {
    await expect(
      createExport(t.db, { versionId, options: { format: "zip" as "jsonl" }, destination: null, createdById: null }),
    ).rejects.toMatchObject({ kind: "invalid", message: expect.stringMatching(/format/) });
    await expect(
      createExport(t.db, { versionId: 999999, options: { format: "jsonl" }, destination: null, createdById: null }),
    ).rejects.toMatchObject({ kind: "not-found", message: "no dataset version 999999" });
  });

  it("starts an export from a request, and refuses a bad one without recording anything", async () => {
    const jobs = new InlineQueue();
    const sent: number[] = [];
    await jobs.work(exportJob, async ({ exportId }) => {
      sent.push(exportId);
    });
    const start = (request: StartExportRequest, version = versionId) =>
      startExport({ db: t.db, jobs }, { versionId: version, request, actor: OPERATOR });
    const before = await t.db.export.count();
    await expect(start({ format: "jsonl", destination: "/etc/arbor-export" })).rejects.toMatchObject({
      kind: "forbidden",
      message: expect.stringMatching(/ARBOR_EXPORT_ROOTS/),
    });
    await expect(start({ format: "jsonl", destination: "relative/folder" })).rejects.toMatchObject({
      kind: "forbidden",
    });
    await expect(start({ format: "jsonl", destination: "s3://My_Bucket/x" })).rejects.toMatchObject({
      kind: "invalid",
      message: expect.stringMatching(/^destination: invalid S3 URL .*lowercase/),
    });
    await expect(start({ format: "zip" as "jsonl" })).rejects.toMatchObject({ kind: "invalid" });
    await expect(start({ format: "jsonl" }, 999999)).rejects.toMatchObject({ kind: "not-found" });
    expect(await t.db.export.count()).toBe(before);
    expect(sent).toEqual([]);

    const started = await start({ format: "jsonl", destination: "  " });
    expect(started).toEqual({ id: expect.any(Number), resumed: false });
    await jobs.idle();
    expect(sent).toEqual([started.id]);
    expect(await getExport(t.db, started.id)).toMatchObject({ id: started.id, destination: null, status: "queued" });
    expect(await listExportFiles({ db: t.db, blobs }, started.id, { viewer: OPERATOR })).toEqual([]);
  });

  it("links a blob-store export's files on the request's origin unless ARBOR_PUBLIC_URL is set", async () => {
    const { id } = await createExport(t.db, {
      versionId,
      options: { format: "webdataset", shardSize: 100 },
      destination: null,
      createdById: null,
    });
    await executeExport({ db: t.db, blobs }, id);
    // The same blobs, as a server without ARBOR_PUBLIC_URL opens them.
    const unconfigured = new LocalDiskStore((blobs as LocalDiskStore).rootDir, { signingSecret: "test" });
    const origin = "https://gpu-box.lab:8443";
    const files = await listExportFiles({ db: t.db, blobs: unconfigured }, id, { origin, viewer: OPERATOR });
    expect(files.map((f) => f.path)).toContain("export.json");
    for (const file of files)
      expect(file.url?.startsWith(`${origin}/api/v1/blobs/exports/${id}/`), file.path).toBe(true);
    // a configured public URL wins over the request's origin
    const configured = await listExportFiles({ db: t.db, blobs }, id, { origin, viewer: OPERATOR });
    for (const file of configured) expect(new URL(file.url ?? "").origin).toBe("http://x");
  });

  it("answers not-found for an export that does not exist", async () => {
    await expect(getExport(t.db, 999999)).rejects.toMatchObject({ kind: "not-found", message: "no export 999999" });
    await expect(listExportFiles({ db: t.db, blobs }, 999999)).rejects.toMatchObject({ kind: "not-found" });
  });
});
