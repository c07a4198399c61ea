import { createHash } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { type ShardSample, shardStream } from "./webdataset-shard.ts";

const dir = mkdtempSync(path.join(tmpdir(), "arbor-shard-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Samples of awkward sizes (empty, block edges, past the 1 MiB chunk), each file also reachable as bytes(). */
function samples(declared: (size: number, i: number) => number): ShardSample[] {
  return [0, 1, 511, 512, 513, 900, (1 << 20) - 512, (1 << 20) + 1, 3000].map((size, i) => {
    const data = Buffer.alloc(size, i + 1);
    const file = path.join(dir, `f${i}`);
    writeFileSync(file, data);
    const key = createHash("sha256").update(data).digest("hex");
    return {
      key,
      extension: "jpg",
      classIndex: i % 2 === 0 ? i : null,
      json: JSON.stringify({ i }),
      bytes: async () => ({ body: Buffer.from(data), sha256: key }),
      file: { path: file, size: declared(size, i) },
    };
  });
}

async function collect(shard: ReturnType<typeof shardStream>): Promise<{ bytes: Buffer; sha256: string }> {
  const parts: Buffer[] = [];
  for await (const chunk of shard.stream) parts.push(chunk as Buffer);
  return { bytes: Buffer.concat(parts), sha256: shard.sha256() };
}

describe("shardStream", () => {
  it("gives the same bytes and hash reading local files in place as through bytes(), even when a file's size is not the declared one", async () => {
    const viaBytes = await collect(shardStream(samples((s) => s).map(({ file: _file, ...rest }) => rest)));
    const inPlace = await collect(shardStream(samples((s) => s)));
    // Declared one byte too long or too short: the shard must carry the file's real bytes (from bytes()).
    const wrongSize = await collect(shardStream(samples((s, i) => (i % 2 === 0 ? s + 1 : Math.max(0, s - 1)))));
    expect(viaBytes.sha256).toBe(createHash("sha256").update(viaBytes.bytes).digest("hex"));
    expect(inPlace.bytes.equals(viaBytes.bytes)).toBe(true);
    expect(inPlace.sha256).toBe(viaBytes.sha256);
    expect(wrongSize.bytes.equals(viaBytes.bytes)).toBe(true);
    expect(viaBytes.bytes.length % 512).toBe(0);
  });
});
