import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { checkAccess, type Principal, ROLES, ROUTE_POLICY } from "@arbor/usecases";
import { describe, expect, inject, it } from "vitest";

const API_DIR = fileURLToPath(new URL("../src/app/api/", import.meta.url));
const base = () => inject("arborBaseUrl");
const callers = ["anonymous", ...ROLES] as const;

/** Every route handler on disk, as "METHOD /api/v1/path/{param}". */
async function routesOnDisk(): Promise<string[]> {
  const files = (await readdir(API_DIR, { recursive: true })).filter((f) => f.endsWith("route.ts"));
  const keys: string[] = [];
  for (const file of files) {
    const url = `/api/${path.dirname(file)}`.replace(/\[(?:\.\.\.)?(\w+)\]/g, "{$1}");
    const source = await readFile(path.join(API_DIR, file), "utf8");
    for (const [, method] of source.matchAll(/export const (GET|POST|PUT|PATCH|DELETE) =/g))
      keys.push(`${method} ${url}`);
  }
  return keys.sort();
}

describe("roles are enforced on every API route", () => {
  it("has a policy for every route handler, and every policy names a route the OpenAPI document lists", async () => {
    expect(await routesOnDisk()).toEqual(Object.keys(ROUTE_POLICY).sort());
    const doc = await (await fetch(`${base()}/api/v1/openapi.json`)).json();
    const documented = Object.entries(doc.paths as Record<string, Record<string, unknown>>)
      .flatMap(([p, ops]) => Object.keys(ops).map((method) => `${method.toUpperCase()} /api/v1${p}`))
      .sort();
    expect(documented).toEqual(
      Object.keys(ROUTE_POLICY)
        .filter((k) => !k.endsWith("/openapi.json"))
        .sort(),
    );
  });

  for (const [key, access] of Object.entries(ROUTE_POLICY)) {
    const [method, route] = key.split(" ") as [string, string];
    // The blob route is public because its presigned URL's signature authorises: call it with a signed one.
    const url = () =>
      route.endsWith("/blobs/{key}")
        ? inject("arborSignedBlobPath")
        : route.replace("{wnid}", "n02084071").replace("{id}", "1");
    for (const caller of callers) {
      const principal: Principal | null =
        caller === "anonymous" ? null : { id: 0, email: "", name: null, roles: [caller] };
      const verdict = checkAccess(access, principal);
      it(`${key} as ${caller}: ${verdict}`, async () => {
        const headers: Record<string, string> = { "content-type": "application/json" };
        if (caller !== "anonymous") headers.authorization = `Bearer ${inject("arborUsers")[caller].token}`;
        const response = await fetch(`${base()}${url()}`, {
          method,
          headers,
          body: method === "GET" ? undefined : "{}",
        });
        if (verdict === "unauthenticated") expect(response.status).toBe(401);
        else if (verdict === "forbidden") expect(response.status).toBe(403);
        else expect([401, 403]).not.toContain(response.status);
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
