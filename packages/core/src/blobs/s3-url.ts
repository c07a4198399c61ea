import { blobPrefixProblem, describeKey } from "./blob-key.ts";

export interface S3Location {
  bucket: string;
  /** Key prefix inside the bucket, as written (may be empty; a trailing "/" is kept). */
  prefix: string;
}

/** An `s3://` URL that is malformed, names an impossible bucket, or has a prefix that is no valid key. */
export class InvalidS3UrlError extends Error {
  override readonly name = "InvalidS3UrlError";
}

/** Why `bucket` breaks the S3 general-purpose bucket naming rules, or undefined when it follows them. */
function bucketProblem(bucket: string): string | undefined {
  if (bucket.length < 3 || bucket.length > 63) return "must be 3-63 characters long";
  if (!/^[a-z0-9][a-z0-9.-]*[a-z0-9]$/.test(bucket)) {
    return "must use only lowercase letters, digits, dots and hyphens, and start and end with a letter or digit";
  }
  if (bucket.includes("..")) return "must not contain two adjacent dots";
  if (/^\d{1,3}(\.\d{1,3}){3}$/.test(bucket)) return "must not be formatted as an IP address";
  if (/^(xn--|sthree-|amzn-s3-demo-)/.test(bucket)) return "must not start with xn--, sthree- or amzn-s3-demo-";
  if (/(-s3alias|--ol-s3|\.mrap|--x-s3|--table-s3)$/.test(bucket)) return "must not end with a reserved S3 suffix";
  return undefined;
}

/**
 * `s3://bucket/some/prefix/` → `{ bucket: "bucket", prefix: "some/prefix/" }`, or an InvalidS3UrlError
 * naming what is wrong. The one parser of S3 URLs: the platform (exports, ingest) and the trainer use it.
 */
export function parseS3Url(url: string): S3Location {
  const match = /^s3:\/\/([^/]*)(?:\/(.*))?$/s.exec(url);
  if (!match) throw new InvalidS3UrlError(`invalid S3 URL ${describeKey(url)}: expected s3://bucket/optional/prefix`);
  const bucket = match[1] ?? "";
  const prefix = match[2] ?? "";
  const problem = bucketProblem(bucket);
  if (problem) throw new InvalidS3UrlError(`invalid S3 URL ${describeKey(url)}: bucket name ${problem}`);
  const prefixProblem = blobPrefixProblem(prefix);
  if (prefixProblem) {
    throw new InvalidS3UrlError(
      `invalid S3 URL ${describeKey(url)}: invalid blob key prefix ${describeKey(prefix)}: ${prefixProblem}`,
    );
  }
  return { bucket, prefix };
}
