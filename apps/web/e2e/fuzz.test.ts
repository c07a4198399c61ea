import type { Role } from "@arbor/usecases";
import { describe, expect, inject, it } from "vitest";
import { openApiDocument } from "../src/server/api/openapi-document";

/**
 * Every documented route, called by a user it admits, with malformed, deep, huge-number, NUL and unicode
 * input in its path, query and body: the answer is always a 4xx (or a success), never a 5xx.
 */

const base = () => inject("arborBaseUrl");
const doc = openApiDocument();

type Schema = { $ref?: string; type?: string; properties?: Record<string, Schema>; allOf?: Schema[] };
interface Parameter {
  name: string;
  in: "path" | "query";
}
interface Operation {
  "x-access": "public" | "signed-in" | Role[];
  parameters?: Parameter[];
  requestBody?: { content: Record<string, { schema?: Schema }> };
}

const HUGE = 2 ** 40;
const NASTY_STRINGS = [
  "dog\u0000",
  "%00",
  "\u202e\ud83d\udc36 ünïcödé",
  "../../etc/passwd",
  "x".repeat(10_000),
  "-1",
  String(HUGE),
  "1e308",
  "NaN",
];
const NASTY_VALUES: unknown[] = [
  "dog\u0000",
  "\u202e\ud83d\udc36",
  "x".repeat(10_000),
  HUGE,
  -1,
  1e308,
  0.5,
  null,
  [],
  {},
  [HUGE],
  { nested: { deeper: [HUGE, "\u0000"] } },
];

const deep = (depth: number) => `${"[".repeat(depth)}${"]".repeat(depth)}`;
const deepObject = (depth: number) => `${'{"a":'.repeat(depth)}1${"}".repeat(depth)}`;

function resolve(schema: Schema | undefined): Schema | undefined {
  if (!schema?.$ref) return schema;
  const name = schema.$ref.split("/").pop() as string;
  return (doc.components.schemas as Record<string, Schema>)[name];
}

function bodyProperties(op: Operation): string[] {
  const schema = resolve(op.requestBody?.content["application/json"]?.schema);
  const parts = [schema, ...(schema?.allOf ?? []).map(resolve)];
  return [...new Set(parts.flatMap((s) => Object.keys(s?.properties ?? {})))];
}

/** Who to call as: the route's first admitted role (admin first), or anonymous for public routes. */
function tokenFor(op: Operation): string | undefined {
  const access = op["x-access"];
  if (access === "public") return undefined;
  const role: Role = access === "signed-in" ? "admin" : access.includes("admin") ? "admin" : (access[0] as Role);
  return inject("arborUsers")[role].token;
}

function concretePath(path: string, override?: { name: string; value: string }): string {
  return `/api/v1${path}`.replace(/\{(\w+)\}/g, (_, name: string) => {
    if (override?.name === name) return encodeURIComponent(override.value);
    if (name === "wnid") return "n02084071";
    if (name === "taskId") return "00000000-0000-4000-8000-000000000000";
    if (name === "name") return "model.json";
    if (name === "key") return "e2e/hello.txt";
    return "1";
  });
}

const operations = Object.entries(doc.paths).flatMap(([path, ops]) =>
  Object.entries(ops as Record<string, Operation>).map(([method, op]) => ({ method: method.toUpperCase(), path, op })),
);

describe("no input makes any route answer 5xx", () => {
  for (const { method, path, op } of operations) {
    it(`${method} ${path}`, async () => {
      const token = tokenFor(op);
      const headers: Record<string, string> = { "content-type": "application/json" };
      if (token) headers.authorization = `Bearer ${token}`;
      const call = async (url: string, body?: string, type?: string) => {
        const response = await fetch(`${base()}${url}`, {
          method,
          headers: type ? { ...headers, "content-type": type } : headers,
          body: method === "GET" ? undefined : body,
        });
        await response.arrayBuffer();
        return { url: url.slice(0, 200), body: body?.slice(0, 120), status: response.status };
      };
      const answers = [];
      for (const param of (op.parameters ?? []).filter((p) => p.in === "path")) {
        for (const value of NASTY_STRINGS)
          answers.push(await call(concretePath(path, { name: param.name, value }), "{}"));
      }
      for (const param of (op.parameters ?? []).filter((p) => p.in === "query")) {
        for (const value of NASTY_STRINGS) {
          const url = `${concretePath(path)}?${param.name}=${encodeURIComponent(value)}&${param.name}=2`;
          answers.push(await call(url, "{}"));
        }
      }
      // A streamed upload stores whatever bytes it gets (its cap is tested elsewhere): only its path is fuzzed.
      const streamed = Object.keys(op.requestBody?.content ?? {}).includes("application/octet-stream");
      if (method !== "GET" && !streamed) {
        const url = concretePath(path);
        for (const raw of ["", "not json", "[]", "null", '"\u0000"', deep(5000), deepObject(5000), "{".repeat(100)])
          answers.push(await call(url, raw));
        for (const property of bodyProperties(op)) {
          for (const value of NASTY_VALUES) answers.push(await call(url, JSON.stringify({ [property]: value })));
        }
        answers.push(await call(url, "a,b\n\u0000", "text/plain"));
        answers.push(await call(url, "--x\r\n\r\n", "multipart/form-data; boundary=x"));
      }
      const failures = answers.filter((a) => a.status >= 500);
      expect(failures).toEqual([]);
    });
  }
});

describe("no URL makes any page answer 5xx", () => {
  const pages = [
    "/search?q=dog%00",
    "/search?q=%F0%9F%90%B6%E2%80%AE",
    `/search?q=${"x".repeat(5000)}`,
    "/synsets?open=n0208%00",
    "/synsets/n99999999",
    "/synsets/dog%00",
    `/images/${2 ** 40}`,
    "/images/-1",
    "/images/abc",
    "/login?next=%00",
    "/login?next=/%5Cevil.example",
    "/datasets/abc",
    `/models/${2 ** 40}`,
    "/campaigns/%00",
    "/ingest/1e308",
    "/account?userId=abc",
  ];
  for (const path of pages) {
    it(`GET ${path.slice(0, 60)}`, async () => {
      const admin = inject("arborUsers").admin;
      const login = await fetch(`${base()}/api/v1/auth/login`, {
        method: "POST",
        headers: { "content-type": "application/json", origin: base() },
        body: JSON.stringify({ email: admin.email, password: admin.password }),
      });
      const cookie = (login.headers.get("set-cookie") ?? "").split(";")[0] as string;
      for (const headers of [{} as Record<string, string>, { cookie }]) {
        const response = await fetch(`${base()}${path}`, { headers, redirect: "manual" });
        await response.arrayBuffer();
        expect(response.status, `${path} ${Object.keys(headers).length ? "as admin" : "anonymous"}`).toBeLessThan(500);
      }
    });
  }
});
