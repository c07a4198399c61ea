// s3rver ships no types; the storage package's declaration of it (as packages/usecases's tsconfig includes it).
/// <reference path="../../packages/storage/src/testing/s3rver.d.ts" />
/**
 * The scale-out harness's S3 server, in a process of its own as S3 is a service of its own: s3rver (the storage
 * tests' server) with `argv[2]` fresh buckets, its data in a temporary folder removed when it stops. Prints one
 * JSON line, {"endpoint", "buckets"}, once it listens; stops on SIGTERM or SIGINT, or when its stdin closes (the
 * harness died). Run it with `node --openssl-legacy-provider`: s3rver encrypts the continuation tokens of
 * truncated listings (more than 1000 keys) with DES, which OpenSSL 3 only has in its legacy provider.
 */
import { startTestS3Server } from "@arbor/storage/testing";

const s3 = await startTestS3Server();
const buckets: string[] = [];
for (let i = 0; i < Number(process.argv[2] ?? "1"); i++) buckets.push(await s3.createBucket());
let stopping = false;
const stop = () => {
  if (stopping) return;
  stopping = true;
  void s3.stop().finally(() => process.exit(0));
};
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
process.stdin.on("end", stop);
process.stdin.resume();
console.log(JSON.stringify({ endpoint: s3.endpoint, buckets }));
