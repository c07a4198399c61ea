import { describe, expect, inject, it } from "vitest";

const base = () => inject("arborBaseUrl");

/** A body that streams `total` bytes in 64 KB chunks without declaring its length (chunked). */
function chunked(total: number): ReadableStream<Uint8Array> {
  let sent = 0;
  return new ReadableStream({
    pull(controller) {
      if (sent >= total) return controller.close();
      const chunk = new Uint8Array(Math.min(65_536, total - sent)).fill(0x20);
      sent += chunk.byteLength;
      controller.enqueue(chunk);
    },
  });
}

describe("every route caps its body while it streams", () => {
  it("refuses a declared 10 MB body to the anonymous login route with 413", async () => {
    const response = await fetch(`${base()}/api/v1/auth/login`, {
      method: "POST",
      headers: { "content-type": "application/json", origin: base() },
      body: JSON.stringify({ email: "a@b.c", password: "x".repeat(10 * 1024 * 1024) }),
    });
    expect(response.status).toBe(413);
    expect((await response.json()).error.message).toMatch(/over the 64 KB limit/);
  });

  it("refuses an undeclared (chunked) body once it passes the cap", async () => {
    const response = await fetch(`${base()}/api/v1/auth/login`, {
      method: "POST",
      headers: { "content-type": "application/json", origin: base() },
      body: chunked(2 * 1024 * 1024),
      duplex: "half",
    } as RequestInit);
    expect(response.status).toBe(413);
  });

  it("refuses a large body to a route that takes none", async () => {
    const response = await fetch(`${base()}/api/v1/auth/logout`, {
      method: "POST",
      headers: { "content-type": "application/json", origin: base() },
      body: "x".repeat(100_000),
    });
    expect(response.status).toBe(413);
  });

  it("refuses a model registration over its 8 MB cap, as a researcher", async () => {
    const response = await fetch(`${base()}/api/v1/models`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${inject("arborUsers").researcher.token}` },
      body: chunked(9 * 1024 * 1024),
      duplex: "half",
    } as RequestInit);
    expect(response.status).toBe(413);
  });
});
