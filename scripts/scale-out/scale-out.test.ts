import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { expect, it } from "vitest";

const SCRIPT = fileURLToPath(new URL("./scale-out.ts", import.meta.url));

/** Runs `npm run scale-out` (its output goes to the test log) and reads its last line. */
function runScaleOut(): Promise<{ code: number | null; lastLine: string }> {
  return new Promise((resolve, reject) => {
    // SIGTERM after 9 minutes: the harness stops its processes and removes its folders before it exits.
    const child = spawn(process.execPath, ["--import", "tsx", SCRIPT], {
      stdio: ["ignore", "pipe", "inherit"],
      timeout: 540_000,
    });
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => {
      output += chunk.toString();
      process.stdout.write(chunk);
    });
    child.on("error", reject);
    child.on("exit", (code) => resolve({ code, lastLine: output.trim().split("\n").at(-1) ?? "" }));
  });
}

it("scales out: two web processes and two workers on one PostgreSQL and one S3, exactly", async () => {
  const { code, lastLine } = await runScaleOut();
  expect(code, "npm run scale-out failed (its output is above)").toBe(0);
  const result: unknown = JSON.parse(lastLine);
  expect(result).toMatchObject({
    webProcesses: 2,
    workers: 2,
    votesLost: 0,
    votesDoubled: 0,
    countsExact: true,
    exportIdentical: true,
  });
  expect((result as { votes: number }).votes).toBeGreaterThan(0);
}, 600_000);
