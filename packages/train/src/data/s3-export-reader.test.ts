import { GetObjectCommand, HeadObjectCommand, ListObjectsV2Command } from "@aws-sdk/client-s3";
import { describe, expect, it } from "vitest";
import { S3ExportReader, type S3Like } from "./s3-export-reader.ts";

/** An in-memory bucket answering the three commands the reader sends. */
function fakeS3(objects: Record<string, string>): S3Like {
  return {
    async send(command) {
      const input = command.input as { Key?: string; Prefix?: string };
      if (command instanceof ListObjectsV2Command) {
        const keys = Object.keys(objects).filter((k) => k.startsWith(input.Prefix ?? ""));
        return { Contents: keys.map((Key) => ({ Key })), IsTruncated: false };
      }
      const body = objects[input.Key ?? ""];
      if (body === undefined)
        throw Object.assign(new Error("NotFound"), { name: "NotFound", $metadata: { httpStatusCode: 404 } });
      if (command instanceof HeadObjectCommand) return {};
      if (command instanceof GetObjectCommand) {
        const bytes = Buffer.from(body);
        return {
          Body: {
            async *[Symbol.asyncIterator]() {
              yield bytes.subarray(0, 3);
              yield bytes.subarray(3);
            },
            transformToByteArray: async () => new Uint8Array(bytes),
          },
        };
      }
      throw new Error("unexpected command");
    },
  };
}

describe("S3 export reader", () => {
  it("opens s3:// URLs with or without a trailing slash, and refuses anything else", () => {
    expect(S3ExportReader.fromUrl("s3://bucket/some/prefix/").location).toBe("s3://bucket/some/prefix");
    expect(S3ExportReader.fromUrl("s3://bucket/some/prefix").location).toBe("s3://bucket/some/prefix");
    expect(S3ExportReader.fromUrl("s3://bucket").location).toBe("s3://bucket");
    expect(() => S3ExportReader.fromUrl("s3:/bucket")).toThrow(/expected s3:\/\/bucket/);
  });

  it("reads, streams, lists and checks files under the prefix", async () => {
    const reader = new S3ExportReader(
      fakeS3({
        "exp/export.json": '{"a":1}',
        "exp/train-000000.tar": "shard0",
        "exp/train-000001.tar": "shard1",
        "other/x": "no",
      }),
      "bucket",
      "exp",
    );
    expect(reader.location).toBe("s3://bucket/exp");
    expect((await reader.readBytes("export.json")).toString()).toBe('{"a":1}');
    const chunks: Buffer[] = [];
    for await (const c of reader.stream("train-000001.tar")) chunks.push(Buffer.from(c));
    expect(Buffer.concat(chunks).toString()).toBe("shard1");
    expect(await reader.list("train-")).toEqual(["train-000000.tar", "train-000001.tar"]);
    expect(await reader.exists("export.json")).toBe(true);
    expect(await reader.exists("missing.json")).toBe(false);
  });
});
