import { PassThrough, Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { copyOut, copyOutLines, inlineSql } from "./copy-out.ts";
import { Prisma } from "./generated/prisma/client.ts";
import { useTestDatabase } from "./testing/use-test-database.ts";

const collect = () => {
  const chunks: Buffer[] = [];
  const out = new Writable({
    write(chunk: Buffer, _encoding, done) {
      chunks.push(chunk);
      done();
    },
  });
  return { out, text: () => Buffer.concat(chunks).toString() };
};

describe("copyOut (real PostgreSQL)", () => {
  const t = useTestDatabase("arbor_migrated");

  it("streams COPY's bytes through the stages into the destination", async () => {
    const { out, text } = collect();
    const select = `SELECT '{"n":' || n || ',"s":"a\\b"}' FROM generate_series(1, 50000) n`;
    await copyOut(t.db, select, "FORMAT csv, DELIMITER E'\\x01', QUOTE E'\\x02'", new PassThrough(), out);
    const lines = text().split("\n");
    expect(lines).toHaveLength(50_001);
    expect(lines[0]).toBe('{"n":1,"s":"a\\b"}'); // no COPY escaping: the backslash comes through as it is
    expect(lines[49_999]).toBe('{"n":50000,"s":"a\\b"}');
  });

  it("rejects on a failing query and leaves the pool usable", async () => {
    const { out } = collect();
    await expect(copyOut(t.db, "SELECT 1 / (n - 3) FROM generate_series(1, 5) n", "FORMAT csv", out)).rejects.toThrow(
      /division by zero/,
    );
    for (let i = 0; i < 6; i++) {
      const { out: again, text } = collect();
      await copyOut(t.db, "SELECT 42", "FORMAT csv", again);
      expect(text()).toBe("42\n");
    }
    expect(await t.db.$queryRaw<{ one: number }[]>`SELECT 1 AS one`).toEqual([{ one: 1 }]);
  });

  it("refuses a client that createDb did not make", async () => {
    await expect(copyOut({}, "SELECT 1", "FORMAT csv", collect().out)).rejects.toThrow(/createDb/);
  });
});

describe("copyOutLines (real PostgreSQL)", () => {
  const t = useTestDatabase("arbor_migrated");

  it("hands over every row as its tab-separated line, whatever the chunk boundaries", async () => {
    const rows: string[] = [];
    // 200,000 rows of multi-byte text: COPY's chunks (64 kB) end inside lines and inside characters.
    const n = await copyOutLines(t.db, "SELECT n, 'äöü→' || n FROM generate_series(1, 200000) n", (line) =>
      rows.push(line),
    );
    expect(n).toBe(200_000);
    expect(rows).toHaveLength(200_000);
    expect(rows[0]).toBe("1\täöü→1");
    expect(rows.every((line, i) => line === `${i + 1}\täöü→${i + 1}`)).toBe(true);
  });

  it("rejects with what onRow threw, and leaves the pool usable", async () => {
    const refuse = (line: string) => {
      if (line === "70000") throw new Error("row 70000 refused");
    };
    await expect(copyOutLines(t.db, "SELECT n FROM generate_series(1, 200000) n", refuse)).rejects.toThrow(
      /row 70000 refused/,
    );
    expect(await copyOutLines(t.db, "SELECT 1", () => {})).toBe(1);
  });
});

describe("inlineSql", () => {
  it("writes integers, integer arrays and lower-case words in, and refuses anything else", () => {
    expect(inlineSql(Prisma.sql`SELECT ${3}, ${"train"}, ${[1, -2]}::int[]`)).toBe(
      "SELECT 3, 'train', '{1,-2}'::int[]",
    );
    expect(() => inlineSql(Prisma.sql`SELECT ${"x' OR true --"}`)).toThrow(/cannot inline/);
    expect(() => inlineSql(Prisma.sql`SELECT ${1.5}`)).toThrow(/cannot inline/);
    expect(() => inlineSql(Prisma.sql`SELECT ${[1, 2.5]}`)).toThrow(/cannot inline/);
    expect(() => inlineSql(Prisma.sql`SELECT ${[1, "2}'); DROP TABLE x; --"]}`)).toThrow(/cannot inline/);
  });
});
