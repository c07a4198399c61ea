import { TAR_BLOCK } from "@arbor/core";

/** Member names and sizes of a tar stream, read block by block (a shard never sits in memory whole). */
export async function* tarEntries(stream: AsyncIterable<Buffer>): AsyncGenerator<{ name: string; size: number }> {
  let buffered = Buffer.alloc(0);
  let skip = 0;
  for await (const chunk of stream) {
    buffered = Buffer.concat([buffered, chunk as Buffer]);
    for (;;) {
      if (skip > 0) {
        const n = Math.min(skip, buffered.length);
        buffered = buffered.subarray(n);
        skip -= n;
        if (skip > 0) break;
      }
      if (buffered.length < TAR_BLOCK) break;
      const header = buffered.subarray(0, TAR_BLOCK);
      buffered = buffered.subarray(TAR_BLOCK);
      if (header.every((byte) => byte === 0)) continue;
      const name = header.subarray(0, 100).toString("utf8").replace(/\0.*$/s, "");
      const size = Number.parseInt(header.subarray(124, 136).toString("ascii").replace(/\0.*$/s, "").trim() || "0", 8);
      if (!Number.isFinite(size)) throw new Error(`corrupt tar header for ${JSON.stringify(name)}`);
      yield { name, size };
      skip = Math.ceil(size / TAR_BLOCK) * TAR_BLOCK;
    }
  }
  if (skip > 0) throw new Error("tar stream ends inside a member");
}
