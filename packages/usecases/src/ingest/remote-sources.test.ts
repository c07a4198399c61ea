import { mkdtemp, readFile, writeFile } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import { tmpdir } from "node:os";
import path from "node:path";
import { useTestDatabase } from "@arbor/db/testing";
import { InlineQueue } from "@arbor/jobs";
import { LocalDiskStore, S3Store } from "@arbor/storage";
import { startTestS3Server, type TestS3Server } from "@arbor/storage/testing";
import { PutObjectCommand } from "@aws-sdk/client-s3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createIngestRun } from "./create-ingest-run.ts";
import { executeIngestRun, type IngestDeps } from "./execute-ingest-run.ts";
import { getIngestRun } from "./get-ingest-run.ts";
import { CHIHUAHUA, SAMPLES, SPANIEL, TABBY } from "./ingest-fixtures.ts";
import { ingestRunJob } from "./ingest-job.ts";
import type { IngestOptionsInput } from "./ingest-options.ts";
import { stageUploads } from "./start-web-ingest.ts";

describe("ingest from URL lists, S3 and browser uploads", () => {
  const t = useTestDatabase("arbor_wordnet");
  let blobs: LocalDiskStore;
  let http: Server;
  let base: string;
  let s3: TestS3Server;
  let deps: IngestDeps;

  beforeAll(async () => {
    blobs = await LocalDiskStore.open(await mkdtemp(path.join(tmpdir(), "arbor-blobs-")), {
      publicBaseUrl: "http://x",
    });
    const chihuahua = await readFile(path.join(SAMPLES, CHIHUAHUA));
    http = createServer((request, response) => {
      switch (request.url) {
        case "/chihuahua.jpg":
          return response.end(chihuahua);
        case "/slow.jpg":
          return; // never answers
        case "/big.jpg":
          response.writeHead(200, { "content-length": String(100 * 1024 * 1024) });
          return response.end();
        case "/liar.jpg": // no content-length, then more bytes than allowed
          response.write(Buffer.alloc(600 * 1024));
          return response.end(Buffer.alloc(600 * 1024));
        default:
          response.writeHead(404);
          return response.end();
      }
    });
    await new Promise<void>((resolve) => http.listen(0, "127.0.0.1", resolve));
    base = `http://127.0.0.1:${(http.address() as { port: number }).port}`;
    s3 = await startTestS3Server();
    deps = {
      db: t.db,
      blobs,
      fetchLimits: { timeoutMs: 500, maxBytes: 1024 * 1024 },
      openBucket: (bucket) => new S3Store({ client: s3.client, bucket }),
    };
  });
  afterAll(async () => {
    http?.closeAllConnections();
    http?.close();
    await s3?.stop();
  });

  const ingest = async (options: IngestOptionsInput) => {
    const run = await createIngestRun(t.db, options);
    await executeIngestRun(deps, run.id);
    return getIngestRun(t.db, run.id, { allSkips: true });
  };

  it("fetches a CSV's URLs with a timeout and a size cap, reporting every failure", async () => {
    const csv = path.join(await mkdtemp(path.join(tmpdir(), "arbor-csv-")), "urls.csv");
    await writeFile(
      csv,
      [
        "url,wnid",
        `${base}/chihuahua.jpg,n02085620`,
        `${base}/missing.jpg,n02085620`,
        `${base}/slow.jpg,n02085620`,
        `${base}/big.jpg,n02085620`,
        `${base}/liar.jpg,n02085620`,
        `${base}/chihuahua.jpg,dog`,
        "file:///etc/passwd,n02085620",
      ].join("\n"),
    );
    const run = await ingest({ kind: "csv", path: csv });
    expect(run).toMatchObject({ status: "succeeded", total: 7, added: 1, skipped: 6 });
    const byItem = Object.fromEntries(
      run.skips.map((s) => [s.item.replace(base, "").replace(csv, "csv"), [s.reason, s.message]]),
    );
    expect(byItem["/missing.jpg"]).toEqual(["fetch-failed", "HTTP 404 Not Found"]);
    expect(byItem["/slow.jpg"]).toEqual(["fetch-failed", "timed out after 500 ms"]);
    expect(byItem["/big.jpg"]?.[0]).toBe("too-large");
    expect(byItem["/liar.jpg"]?.[0]).toBe("too-large");
    expect(byItem["csv:7"]).toEqual(["no-synset", 'line 7: "dog" is not a wnid (n + 8 digits)']);
    expect(byItem["csv:8"]?.[1]).toMatch(/only http and https/);
  });

  it("ingests an S3 prefix incrementally: a re-run downloads only new keys", async () => {
    const bucket = await s3.createBucket();
    const put = async (key: string, file: string) =>
      s3.client.send(
        new PutObjectCommand({ Bucket: bucket, Key: key, Body: await readFile(path.join(SAMPLES, file)) }),
      );
    await put("photos/n02084071/a.jpg", CHIHUAHUA); // dog (the CSV test linked these bytes to Chihuahua)
    await put("photos/n02085782/b.jpg", SPANIEL);
    await put("other/n02123045/c.jpg", TABBY); // outside the prefix

    const first = await ingest({ kind: "s3", url: `s3://${bucket}/photos/` });
    expect(first).toMatchObject({ status: "succeeded", processed: 2, skipped: 0, linked: 2 });
    await put("photos/n02123045/c.jpg", TABBY);
    const second = await ingest({ kind: "s3", url: `s3://${bucket}/photos/` });
    expect(second).toMatchObject({ status: "succeeded", processed: 1, linked: 1, warning: null });
    // nothing new: the run says so, rather than a bare "0 items"
    const third = await ingest({ kind: "s3", url: `s3://${bucket}/photos/` });
    expect(third).toMatchObject({ status: "succeeded", processed: 0 });
    expect(third.warning).toBe(
      `nothing to ingest: all 3 objects under s3://${bucket}/photos/ were ingested by earlier runs (a re-run takes only new keys)`,
    );
    const sources = await t.db.imageSource.findMany({ where: { kind: "s3" }, select: { locator: true } });
    expect(sources.map((s) => s.locator).sort()).toEqual([
      `s3://${bucket}/photos/n02084071/a.jpg`,
      `s3://${bucket}/photos/n02085782/b.jpg`,
      `s3://${bucket}/photos/n02123045/c.jpg`,
    ]);
  });

  it("queues browser uploads as a background run, then removes the staged files", async () => {
    const jobs = new InlineQueue();
    await jobs.work(ingestRunJob, ({ runId }) => executeIngestRun(deps, runId));
    const { runId } = await stageUploads({ db: t.db, blobs, jobs }, "n02123045", [
      new File([await readFile(path.join(SAMPLES, TABBY))], "tabby.jpg"),
      new File(["hello"], "readme.txt"),
    ]);
    await jobs.idle();
    const report = await getIngestRun(t.db, runId);
    expect(report).toMatchObject({ status: "succeeded", kind: "upload", processed: 2, skipped: 1 });
    expect(report.skips[0]).toMatchObject({ item: "upload:readme.txt", reason: "not-an-image" });
    const staged = [];
    for await (const blob of blobs.list("uploads/")) staged.push(blob.key);
    expect(staged).toEqual([]);
  });

  it("refuses an upload to an unknown synset, without files, or with too many or too large ones, storing nothing", async () => {
    const services = { db: t.db, blobs, jobs: new InlineQueue() };
    const runsBefore = await t.db.ingestRun.count();
    const one = [new File(["x"], "x.jpg")];
    await expect(stageUploads(services, "n99999999", one)).rejects.toMatchObject({
      kind: "not-found",
      message: "no synset n99999999",
    });
    await expect(stageUploads(services, "n02123045", [])).rejects.toMatchObject({ kind: "invalid" });
    const many = Array.from({ length: 201 }, (_, i) => new File(["x"], `${i}.jpg`));
    await expect(stageUploads(services, "n02123045", many)).rejects.toMatchObject({
      kind: "too-large",
      message: "at most 200 files per upload",
    });
    const huge = { name: "huge.jpg", size: 1024 ** 3, arrayBuffer: async () => new ArrayBuffer(0) };
    await expect(stageUploads(services, "n02123045", [one[0] as File, huge])).rejects.toMatchObject({
      kind: "too-large",
      message: expect.stringMatching(/^huge\.jpg is over the \d+ MB limit$/),
    });
    const staged = [];
    for await (const blob of blobs.list("uploads/")) staged.push(blob.key);
    expect(staged).toEqual([]);
    expect(await t.db.ingestRun.count()).toBe(runsBefore);
  });
});
