import { checkAccess, type Principal, ROLES } from "@arbor/usecases";
import { describe, expect, inject, it } from "vitest";
import { openApiDocument } from "../src/server/api/openapi-document";

const base = () => inject("arborBaseUrl");
const callers = ["anonymous", ...ROLES] as const;

interface Operation {
  "x-access": Parameters<typeof checkAccess>[0];
  responses: Record<string, unknown>;
}

/** Every route with its access rule, as the served OpenAPI document publishes them. */
const operations = Object.entries(openApiDocument().paths).flatMap(([path, ops]) =>
  Object.entries(ops as Record<string, Operation>).map(([method, op]) => ({ method: method.toUpperCase(), path, op })),
);

/** A concrete URL for a templated path (ids that may or may not exist: the answer must be documented either way). */
function urlFor(path: string): string {
  // The blob route is public because its presigned URL's signature authorises: call it with a signed one.
  if (path === "/blobs/{key}") return inject("arborSignedBlobPath");
  return `/api/v1${path}`
    .replace("{wnid}", "n02084071")
    .replace("{id}", "1")
    .replace("{taskId}", "00000000-0000-4000-8000-000000000000")
    .replace("{name}", "model.json");
}

describe("roles are enforced on every API route", () => {
  it("serves the same document the route definitions generate", async () => {
    const served = await (await fetch(`${base()}/api/v1/openapi.json`)).json();
    expect(Object.keys(served.paths).sort()).toEqual(Object.keys(openApiDocument().paths).sort());
  });

  for (const { method, path, op } of operations) {
    const access = op["x-access"];
    for (const caller of callers) {
      const principal: Principal | null =
        caller === "anonymous" ? null : { id: 0, email: "", name: null, roles: [caller] };
      const verdict = checkAccess(access, principal);
      it(`${method} ${path} as ${caller}: ${verdict}`, async () => {
        const headers: Record<string, string> = { "content-type": "application/json" };
        if (caller !== "anonymous") headers.authorization = `Bearer ${inject("arborUsers")[caller].token}`;
        const response = await fetch(`${base()}${urlFor(path)}`, {
          method,
          headers,
          body: method === "GET" ? undefined : "{}",
        });
        if (verdict === "unauthenticated") expect(response.status).toBe(401);
        else if (verdict === "forbidden") expect(response.status).toBe(403);
        else {
          // Allowed through: the answer is one the route documents, and never a server error.
          expect(response.status).toBeLessThan(500);
          expect(Object.keys(op.responses)).toContain(String(response.status));
        }
      });
    }
  }
});

describe("sessions", () => {
  it("signs in with a cookie that is httpOnly and SameSite, and refuses cross-site mutations", async () => {
    const admin = inject("arborUsers").admin;
    const wrong = await fetch(`${base()}/api/v1/auth/login`, {
      method: "POST",
      headers: { "content-type": "application/json", origin: base() },
      body: JSON.stringify({ email: admin.email, password: "not-the-password" }),
    });
    expect(wrong.status).toBe(401);
    const login = await fetch(`${base()}/api/v1/auth/login`, {
      method: "POST",
      headers: { "content-type": "application/json", origin: base() },
      body: JSON.stringify({ email: admin.email.toUpperCase(), password: admin.password }),
    });
    expect(login.status).toBe(200);
    const cookie = login.headers.get("set-cookie") ?? "";
    expect(cookie).toMatch(/arbor_session=as_/);
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=lax/i);
    const session = cookie.split(";")[0] as string;

    const me = await (await fetch(`${base()}/api/v1/auth/me`, { headers: { cookie: session } })).json();
    expect(me.user).toMatchObject({ email: admin.email, roles: ["admin"] });

    const post = (origin?: string) =>
      fetch(`${base()}/api/v1/ingest-runs`, {
        method: "POST",
        headers: { cookie: session, "content-type": "application/json", ...(origin ? { origin } : {}) },
        body: JSON.stringify({ kind: "folder", path: "/nowhere" }),
      });
    expect((await post("https://evil.example")).status).toBe(403);
    expect((await post()).status).toBe(403);
    expect((await post(base())).status).toBe(403); // same origin: allowed through, then refused for the path
    expect((await (await post(base())).json()).error.message).toMatch(/does not exist|outside/);

    await fetch(`${base()}/api/v1/auth/logout`, { method: "POST", headers: { cookie: session, origin: base() } });
    expect((await fetch(`${base()}/api/v1/auth/me`, { headers: { cookie: session } })).status).toBe(401);
  });

  it("refuses the first-run setup once users exist", async () => {
    const response = await fetch(`${base()}/api/v1/auth/setup`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ email: "intruder@example.org", password: "long-enough-password" }),
    });
    expect(response.status).toBe(409);
  });
});
