import { describe, expect, it } from "vitest";
import { ustarHeader, writeTar } from "../testing/tar-writer.ts";
import { readTar } from "./tar-reader.ts";

async function* chunks(buf: Buffer, size: number): AsyncGenerator<Uint8Array> {
  for (let i = 0; i < buf.length; i += size) yield buf.subarray(i, i + size);
}

async function collect(buf: Buffer, chunkSize: number) {
  const out: { name: string; data: string }[] = [];
  for await (const e of readTar(chunks(buf, chunkSize))) out.push({ name: e.name, data: e.data.toString() });
  return out;
}

describe("readTar", () => {
  const entries = [
    { name: "a.jpg", data: Buffer.from("x".repeat(700)) },
    { name: "a.cls", data: Buffer.from("3") },
    { name: "empty.txt", data: Buffer.alloc(0) },
    { name: "b.json", data: Buffer.from('{"k":1}') },
  ];
  const tar = writeTar(entries);

  it("reads every entry whatever the chunking of the stream", async () => {
    const expected = entries.map((e) => ({ name: e.name, data: e.data.toString() }));
    for (const size of [1, 7, 512, 1000, tar.length]) expect(await collect(tar, size)).toEqual(expected);
  });

  it("uses pax path records for long names", async () => {
    const long = `${"d/".repeat(60)}file.jpg`;
    const record = ` path=${long}\n`;
    let len = record.length + 3;
    len = `${len}${record}`.length;
    const pax = Buffer.from(`${len}${record}`);
    const paxHeader = ustarHeader("PaxHeader", pax.length);
    paxHeader.write("x", 156, 1, "ascii");
    // Recompute the checksum after changing the type flag.
    paxHeader.write("        ", 148, 8, "ascii");
    let sum = 0;
    for (const b of paxHeader) sum += b;
    paxHeader.write(`${sum.toString(8).padStart(6, "0")}\0 `, 148, 8, "ascii");
    const body = writeTar([{ name: "short.jpg", data: Buffer.from("img") }]);
    const archive = Buffer.concat([paxHeader, pax, Buffer.alloc(512 - pax.length), body]);
    expect(await collect(archive, 100)).toEqual([{ name: long, data: "img" }]);
  });

  it("rejects a corrupted header and a truncated archive", async () => {
    const bad = Buffer.from(tar);
    bad[10] = 0x41;
    await expect(collect(bad, 512)).rejects.toThrow(/checksum/);
    await expect(collect(tar.subarray(0, 800), 512)).rejects.toThrow(/truncated/);
  });
});
