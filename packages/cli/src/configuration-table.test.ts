import { existsSync } from "node:fs";
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";
import { z } from "zod";

/**
 * Every package reads its environment in one module, `src/env.ts`, which exports its zod `envSchema`
 * (CONTRIBUTING.md: Configuration; lint refuses `process.env` anywhere else). The README's configuration
 * table must list exactly the variables those schemas read.
 */
const ROOT = fileURLToPath(new URL("../../../", import.meta.url));

/** `packages/<name>/src/env.ts` and `apps/<name>/src/env.ts`, relative to the checkout. */
async function envModules(): Promise<string[]> {
  const found: string[] = [];
  for (const group of ["packages", "apps"]) {
    for (const entry of await readdir(path.join(ROOT, group), { withFileTypes: true })) {
      const file = path.join(group, entry.name, "src", "env.ts");
      if (entry.isDirectory() && existsSync(path.join(ROOT, file))) found.push(file);
    }
  }
  return found.sort();
}

/** The variables in the first column of the README's "## Configuration" table. */
async function documentedVariables(): Promise<string[]> {
  const readme = await readFile(path.join(ROOT, "README.md"), "utf8");
  const section = readme.split(/^## /m).find((part) => part.startsWith("Configuration\n"));
  if (!section) throw new Error("README.md has no ## Configuration section");
  return [...section.matchAll(/^\|\s*`([A-Za-z0-9_]+)`\s*\|/gm)].map((match) => match[1] as string);
}

const modules = await envModules();
const schemas = await Promise.all(
  modules.map(async (file) => {
    const loaded = (await import(pathToFileURL(path.join(ROOT, file)).href)) as { envSchema?: unknown };
    return { file, schema: loaded.envSchema };
  }),
);

describe("the README's configuration table", () => {
  it("finds the env module of every package that reads the environment", () => {
    // A floor, so a broken search cannot make the comparison below vacuous.
    expect(modules).toEqual(
      expect.arrayContaining([
        "apps/web/src/env.ts",
        "packages/cli/src/env.ts",
        "packages/db/src/env.ts",
        "packages/storage/src/env.ts",
        "packages/train/src/env.ts",
        "packages/usecases/src/env.ts",
      ]),
    );
    for (const { file, schema } of schemas) {
      expect(schema instanceof z.ZodObject, `${file} exports its zod object as envSchema`).toBe(true);
    }
  });

  it("lists every variable an env schema reads, and nothing else", async () => {
    const documented = await documentedVariables();
    const readBy = new Map<string, string[]>();
    for (const { file, schema } of schemas) {
      for (const key of Object.keys((schema as z.ZodObject).shape)) readBy.set(key, [...(readBy.get(key) ?? []), file]);
    }
    const undocumented = [...readBy]
      .filter(([key]) => !documented.includes(key))
      .map(([key, files]) => ({ key, files }));
    expect(undocumented, "read by an env schema but missing from README.md's configuration table").toEqual([]);
    expect(
      documented.filter((key) => !readBy.has(key)),
      "in README.md's configuration table but read by no env schema",
    ).toEqual([]);
    expect(new Set(documented).size, "each variable has one row").toBe(documented.length);
  });
});
