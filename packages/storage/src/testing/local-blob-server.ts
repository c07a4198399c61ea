import { mkdtemp, rm } from "node:fs/promises";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { pipeline } from "node:stream/promises";
import { BlobNotFoundError } from "../blob-store.ts";
import { contentTypeForKey } from "../content-type.ts";
import { LocalDiskStore } from "../local-store.ts";

/**
 * A LocalDiskStore in a temp dir behind a minimal stand-in for the web app's `/api/v1/blobs/<key>` route, so
 * the shared contract can fetch() local presigned URLs exactly as it does S3 ones.
 */
export interface LocalBlobServer {
  store: LocalDiskStore;
  rootDir: string;
  stop(): Promise<void>;
}

const ROUTE = /^\/api\/v1\/blobs\/(.+)$/;

export async function startLocalBlobServer(signingSecret = "test-secret-".repeat(4)): Promise<LocalBlobServer> {
  const rootDir = await mkdtemp(path.join(tmpdir(), "arbor-local-store-"));
  let store: LocalDiskStore | undefined;
  const server = createServer(async (request, response) => {
    try {
      const url = new URL(request.url ?? "/", "http://127.0.0.1");
      const key = ROUTE.exec(url.pathname)?.[1] ?? "";
      const allowed = store?.verifySignedRequest({
        key,
        expires: url.searchParams.get("expires") ?? "",
        signature: url.searchParams.get("signature") ?? "",
        method: request.method ?? "",
      });
      if (!store || !allowed) {
        response.writeHead(403).end();
      } else if (request.method === "PUT") {
        await store.put(key, request);
        response.writeHead(204).end();
      } else {
        const body = await store.getStream(key);
        response.writeHead(200, { "content-type": contentTypeForKey(key) });
        await pipeline(body, response);
      }
    } catch (error) {
      if (!response.headersSent) response.writeHead(error instanceof BlobNotFoundError ? 404 : 500);
      response.end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  store = new LocalDiskStore(rootDir, { signingSecret, publicBaseUrl: `http://127.0.0.1:${port}` });
  return {
    store,
    rootDir,
    async stop() {
      server.closeAllConnections();
      await new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
      await rm(rootDir, { recursive: true, force: true });
    },
  };
}
