import { describe, expect, it } from "vitest";
import { InvalidS3UrlError, parseS3Url } from "./s3-url.ts";

describe("parseS3Url", () => {
  it.each([
    ["s3://bucket/some/prefix/", { bucket: "bucket", prefix: "some/prefix/" }],
    ["s3://bucket", { bucket: "bucket", prefix: "" }],
    ["s3://my-bucket.data", { bucket: "my-bucket.data", prefix: "" }],
    ["s3://abc/", { bucket: "abc", prefix: "" }],
    ["s3://abc/exports/run-1", { bucket: "abc", prefix: "exports/run-1" }],
  ])("parses %s", (url, expected) => {
    expect(parseS3Url(url)).toEqual(expected);
  });

  it.each([
    ["https://bucket/prefix", /expected s3:\/\/bucket/],
    ["bucket/prefix", /expected s3:\/\/bucket/],
    ["s3:/bucket", /expected s3:\/\/bucket/],
    ["s3://", /3-63 characters/],
    ["s3://ab", /3-63 characters/],
    [`s3://${"a".repeat(64)}`, /3-63 characters/],
    ["s3://My_Bucket", /lowercase letters/],
    ["s3://-bucket", /start and end/],
    ["s3://bucket-", /start and end/],
    ["s3://a..b", /adjacent dots/],
    ["s3://192.168.1.1", /IP address/],
    ["s3://xn--bucket", /xn--/],
    ["s3://bucket-s3alias", /reserved/],
    ["s3://bucket/../x", /"\.\."/],
    ["s3://bucket//x", /no leading \//],
  ])("rejects %s", (url, message) => {
    expect(() => parseS3Url(url)).toThrow(InvalidS3UrlError);
    expect(() => parseS3Url(url)).toThrow(message);
  });
});
