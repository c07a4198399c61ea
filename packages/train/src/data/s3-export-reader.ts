import { parseS3Url } from "@arbor/core";
import { GetObjectCommand, HeadObjectCommand, ListObjectsV2Command, S3Client } from "@aws-sdk/client-s3";
import { z } from "zod";
import { trainEnv } from "../env.ts";
import type { ExportReader } from "./export-reader.ts";

/** The one method of S3Client this reader uses, so tests can hand in a fake. */
export interface S3Like {
  send(command: GetObjectCommand | HeadObjectCommand | ListObjectsV2Command): Promise<unknown>;
}

const getBodySchema = z.object({
  Body: z.custom<AsyncIterable<Uint8Array> & { transformToByteArray(): Promise<Uint8Array> }>(
    (b) => typeof b === "object" && b !== null && Symbol.asyncIterator in b,
    "S3 GetObject returned no streamable body",
  ),
});
const listSchema = z.object({
  Contents: z.array(z.object({ Key: z.string() })).optional(),
  NextContinuationToken: z.string().optional(),
  IsTruncated: z.boolean().optional(),
});

/**
 * Reads an export under s3://bucket/prefix. Credentials, region and endpoint (AWS_ENDPOINT_URL, for MinIO and
 * friends) come from the SDK's standard environment chain, so nothing Arbor-specific has to be configured.
 */
export class S3ExportReader implements ExportReader {
  readonly location: string;
  constructor(
    private readonly client: S3Like,
    private readonly bucket: string,
    private readonly prefix: string,
  ) {
    this.location = `s3://${bucket}${prefix ? `/${prefix}` : ""}`;
  }

  static fromUrl(url: string): S3ExportReader {
    const { bucket, prefix } = parseS3Url(url);
    // Path-style addressing works with every S3-compatible server; AWS itself still accepts it.
    const client = new S3Client({ forcePathStyle: Boolean(trainEnv().awsEndpointUrl) });
    // Keys are joined as `${prefix}/${rel}`, so the prefix is kept without its trailing slash.
    return new S3ExportReader(client, bucket, prefix.replace(/\/$/, ""));
  }

  private key(rel: string): string {
    return this.prefix ? `${this.prefix}/${rel}` : rel;
  }

  private async get(rel: string) {
    const out = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: this.key(rel) }));
    return getBodySchema.parse(out).Body;
  }

  async readBytes(rel: string): Promise<Buffer> {
    return Buffer.from(await (await this.get(rel)).transformToByteArray());
  }

  async *stream(rel: string): AsyncIterable<Uint8Array> {
    yield* await this.get(rel);
  }

  async exists(rel: string): Promise<boolean> {
    try {
      await this.client.send(new HeadObjectCommand({ Bucket: this.bucket, Key: this.key(rel) }));
      return true;
    } catch (err) {
      const status = (err as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
      if (status === 404 || (err as { name?: string }).name === "NotFound") return false;
      throw err;
    }
  }

  async list(prefix: string): Promise<string[]> {
    const base = this.prefix ? `${this.prefix}/` : "";
    const out: string[] = [];
    let token: string | undefined;
    do {
      const page = listSchema.parse(
        await this.client.send(
          new ListObjectsV2Command({
            Bucket: this.bucket,
            Prefix: base + prefix,
            Delimiter: "/",
            ContinuationToken: token,
          }),
        ),
      );
      for (const { Key } of page.Contents ?? []) out.push(Key.slice(base.length));
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
    return out.sort();
  }
}
