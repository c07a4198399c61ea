import { readFile, realpath } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { WEB_DIR, webBuildInputs, webConfig } from "./web-app.ts";

const ROOT = fileURLToPath(new URL("../../../../", import.meta.url));
const manifestSchema = z.object({ dependencies: z.record(z.string(), z.string()).default({}) });

/** The @arbor packages a package's dependencies reach, directly or through one another (not itself). */
async function internalDependencies(packageDir: string): Promise<Map<string, string>> {
  const reached = new Map<string, string>();
  const visit = async (dir: string) => {
    const manifest = manifestSchema.parse(JSON.parse(await readFile(path.join(dir, "package.json"), "utf8")));
    for (const name of Object.keys(manifest.dependencies).filter((dep) => dep.startsWith("@arbor/"))) {
      if (reached.has(name)) continue;
      const linked = await realpath(path.join(ROOT, "node_modules", ...name.split("/")));
      reached.set(name, linked);
      await visit(linked);
    }
  };
  await visit(packageDir);
  return reached;
}

describe("the web build's inputs", () => {
  it("transpile every internal package the web app depends on, directly or not, and no other", async () => {
    const reached = await internalDependencies(WEB_DIR);
    expect(reached.size).toBeGreaterThan(0);
    expect([...(await webConfig()).transpilePackages].sort()).toEqual([...reached.keys()].sort());
  });

  it("are all in the fingerprint that decides when `arbor start` rebuilds", async () => {
    const inputs = await webBuildInputs();
    const covered = (dir: string) => inputs.some((input) => dir === input || dir.startsWith(`${input}${path.sep}`));
    const needed = [
      path.join(WEB_DIR, "src"),
      path.join(WEB_DIR, "package.json"),
      path.join(ROOT, "prisma", "schema.prisma"),
    ];
    // Each package's sources and its package.json (the exports map the build resolves through).
    for (const dir of (await internalDependencies(WEB_DIR)).values())
      needed.push(path.join(dir, "src"), path.join(dir, "package.json"));
    expect(needed.filter((file) => !covered(file)).map((file) => path.relative(ROOT, file))).toEqual([]);
  });
});
