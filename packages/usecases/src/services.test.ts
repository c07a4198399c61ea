import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { useTestDatabase } from "@arbor/db/testing";
import { defineJob } from "@arbor/jobs";
import { afterAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { createServices } from "./services.ts";

const t = useTestDatabase("arbor_wordnet");
const work = await mkdtemp(path.join(tmpdir(), "arbor-services-"));
afterAll(() => rm(work, { recursive: true, force: true }));

/** Connections to the test's database, from any client. */
async function connections(): Promise<number> {
  const rows = await t.db.$queryRaw<{ n: number }[]>`
    SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database()`;
  return rows[0]?.n ?? 0;
}

describe("createServices", () => {
  it("builds the database pool, blob store and job queue on the given database and blob folder", async () => {
    const blobDir = path.join(work, "blobs");
    const services = await createServices({ databaseUrl: t.url, blobDir, poolSize: 2 });
    try {
      expect(services.databaseUrl).toBe(t.url);
      expect(await services.db.synset.count()).toBe(82_115);

      await services.blobs.put("e2e/hello.txt", Buffer.from("hello\n"));
      expect(services.blobs.localPath?.("e2e/hello.txt")).toBe(path.join(blobDir, "e2e", "hello.txt"));
      expect(existsSync(path.join(blobDir, "e2e", "hello.txt"))).toBe(true);

      const job = defineJob("services-test", z.object({ n: z.number() }));
      const seen = new Promise<number>((resolve) => void services.jobs.work(job, async ({ n }) => resolve(n)));
      await services.jobs.send(job, { n: 7 });
      expect(await seen).toBe(7);
    } finally {
      const before = await connections();
      await services.close();
      // The pool's and the job queue's connections are gone (the test's own client remains).
      expect(await connections()).toBeLessThanOrEqual(before - 2);
    }
    // Closing twice is harmless (a command's error path and its normal end may both close).
    await services.close();
  });
});
