import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

/** CONTRIBUTING.md, "The web's browser code": what review would otherwise have to catch. */
const here = path.dirname(fileURLToPath(import.meta.url));

async function sources(): Promise<Array<{ file: string; text: string }>> {
  const entries = await readdir(here, { recursive: true, withFileTypes: true });
  const files = entries
    .filter((e) => e.isFile() && /\.tsx?$/.test(e.name) && !/\.test\.tsx?$/.test(e.name))
    .map((e) => path.relative(here, path.join(e.parentPath, e.name)));
  return Promise.all(files.map(async (file) => ({ file, text: await readFile(path.join(here, file), "utf8") })));
}

/** The files whose text matches `pattern`. */
const matching = (all: Array<{ file: string; text: string }>, pattern: RegExp) =>
  all.filter(({ text }) => pattern.test(text)).map(({ file }) => file);

describe("the components' browser code", () => {
  it("calls the API only through api-client.ts", async () => {
    const all = await sources();
    expect(all.length).toBeGreaterThan(20);
    expect(matching(all, /\bfetch\s*\(/)).toEqual(["api-client.ts"]);
    expect(matching(all, /\bXMLHttpRequest\b/)).toEqual([]);
  });

  it("imports the server's packages for types only, so no server code reaches the browser bundle", async () => {
    const all = await sources();
    expect(matching(all, /^\s*import\s+type\s[^;]*from\s*["']@arbor\//m).length).toBeGreaterThan(5);
    // A value import, a side-effect import, a re-export or a dynamic import of @arbor/*.
    expect(matching(all, /^\s*import\s+(?!type\s)[^;]*from\s*["']@arbor\//m)).toEqual([]);
    expect(matching(all, /^\s*import\s*["']@arbor\//m)).toEqual([]);
    expect(matching(all, /^\s*export\s+(?!type\s)[^;]*from\s*["']@arbor\//m)).toEqual([]);
    expect(matching(all, /import\(\s*["']@arbor\//)).toEqual([]);
  });
});
