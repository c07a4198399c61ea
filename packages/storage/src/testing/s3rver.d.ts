/** The slice of s3rver 3.x (which ships no types) that the tests use; see node_modules/s3rver/lib/s3rver.js. */
declare module "s3rver" {
  import type { AddressInfo } from "node:net";

  interface S3rverOptions {
    address?: string;
    port?: number;
    silent?: boolean;
    directory?: string;
    resetOnClose?: boolean;
    allowMismatchedSignatures?: boolean;
    vhostBuckets?: boolean;
    configureBuckets?: { name: string; configs?: (string | Buffer)[] }[];
  }

  export default class S3rver {
    constructor(options?: S3rverOptions);
    /** Starts listening; resolves with the bound address (so port 0 works). */
    run(): Promise<AddressInfo>;
    close(): Promise<void>;
  }
}
