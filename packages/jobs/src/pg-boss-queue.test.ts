import { createDatabaseFrom } from "@arbor/db/testing";
import { afterAll, describe, expect, inject, it } from "vitest";
import { z } from "zod";
import { defineJob } from "./job-queue.ts";
import { PgBossQueue } from "./pg-boss-queue.ts";

const echo = defineJob("test-echo", z.object({ value: z.number().int() }));

describe("PgBossQueue (real PostgreSQL)", () => {
  const cleanups: Array<() => Promise<void>> = [];
  afterAll(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
  });

  it("delivers each job once to a worker, with a validated payload", async () => {
    const database = await createDatabaseFrom(inject("arborTestAdminUrl"), "template0");
    cleanups.push(database.drop);
    const producer = new PgBossQueue({ connectionString: database.url });
    const consumer = new PgBossQueue({ connectionString: database.url });
    cleanups.push(
      () => producer.stop(),
      () => consumer.stop(),
    );

    const seen: number[] = [];
    const done = new Promise<void>((resolve) => {
      void consumer.work(echo, async ({ value }) => {
        seen.push(value);
        if (seen.length === 3) resolve();
      });
    });
    for (const value of [1, 2, 3]) await producer.send(echo, { value });
    await done;
    expect(seen.sort()).toEqual([1, 2, 3]);
    await expect(producer.send(echo, { value: 1.5 })).rejects.toThrow();
  });
});
