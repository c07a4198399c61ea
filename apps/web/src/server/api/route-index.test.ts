import { readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
// @ts-expect-error: a plain .mjs script without types (it runs before tsc, so it cannot be TypeScript).
import { renderIndex, routeFiles } from "../../../scripts/generate-route-index.mjs";
import type { DefinedRoute } from "./define-route";
import { openApiDocument } from "./openapi-document";
import { API_ROUTES } from "./route-index";

const METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"] as const;

describe("every API route is defined once", () => {
  it("indexes every route file on disk (run `npm run routes -w @arbor/web` after adding one)", async () => {
    const onDisk = await readFile(fileURLToPath(new URL("./route-index.ts", import.meta.url)), "utf8");
    expect(onDisk).toBe(await renderIndex());
    const paths = (await routeFiles()).map((r: { openApiPath: string }) => r.openApiPath);
    expect(Object.keys(API_ROUTES).sort()).toEqual([...paths].sort());
  });

  for (const [path, module] of Object.entries(API_ROUTES)) {
    it(`${path}: each method is a defineRoute whose params match the path`, () => {
      const exported = Object.entries(module).filter(([name]) => (METHODS as readonly string[]).includes(name));
      expect(exported.length).toBeGreaterThan(0);
      const inPath = [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
      for (const [, handler] of exported) {
        const { definition } = handler as DefinedRoute;
        expect(definition, "export it as defineRoute({...})").toBeDefined();
        expect(Object.keys(definition.params?.shape ?? {}).sort()).toEqual(inPath);
        expect(Object.keys(definition.responses).length).toBeGreaterThan(0);
      }
    });
  }

  it("publishes every route in the OpenAPI document with its access rule", () => {
    const doc = openApiDocument();
    const documented = Object.entries(doc.paths).flatMap(([p, ops]) =>
      Object.entries(ops as Record<string, { "x-access"?: unknown }>).map(([m, op]) => {
        expect(op["x-access"], `${m} ${p}`).toBeDefined();
        return `${m.toUpperCase()} ${p}`;
      }),
    );
    const defined = Object.entries(API_ROUTES).flatMap(([p, module]) =>
      Object.keys(module)
        .filter((name) => (METHODS as readonly string[]).includes(name))
        .map((m) => `${m} ${p}`),
    );
    expect(documented.sort()).toEqual(defined.sort());
    // Every $ref points at a component that exists.
    const refs = [...JSON.stringify(doc).matchAll(/"\$ref":"#\/components\/schemas\/([^"]+)"/g)].map((m) => m[1]);
    for (const ref of new Set(refs)) expect(doc.components.schemas, ref).toHaveProperty(ref as string);
  });
});
