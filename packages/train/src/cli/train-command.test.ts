import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { Command } from "commander";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { makeExportFixture } from "../testing/make-export-fixture.ts";
import { tempDir } from "../testing/temp-dir.ts";
import { registerTrainCommand } from "./train-command.ts";

async function run(...args: string[]): Promise<void> {
  const program = new Command("arbor-train").exitOverride();
  registerTrainCommand(program);
  await program.parseAsync(["node", "arbor-train", ...args]);
}

describe("arbor-train train --init", () => {
  const tmp = tempDir("cli-init");
  const data = path.join(tmp.dir, "export");
  const pre = path.join(tmp.dir, "pre");
  const common = ["--backend", "wasm", "--workers", "0", "--epochs", "1", "--batch-size", "8", "--val-split", "none"];
  const logged: string[] = [];
  const err = vi.spyOn(console, "error");
  beforeAll(() => {
    err.mockImplementation((line: unknown) => void logged.push(String(line)));
    makeExportFixture({ out: data, format: "jsonl", classes: ["cat", "ship"], perClass: { train: 8 } });
  });
  afterAll(() => {
    err.mockRestore();
    tmp.cleanup();
  });

  it("fine-tunes a checkpoint with its architecture by default; refuses another one", async () => {
    await run("train", "--data", data, "--out", pre, "--model", "resnet8", "--width", "0.25", ...common);
    const ft = path.join(tmp.dir, "ft");
    await run(
      "train",
      "--data",
      data,
      "--out",
      ft,
      "--init",
      pre,
      "--freeze",
      "1",
      "--body-lr-scale",
      "0.2",
      ...common,
    );
    const latest = JSON.parse(readFileSync(path.join(ft, "latest.json"), "utf8")).checkpoint;
    const config = JSON.parse(readFileSync(path.join(ft, latest, "config.json"), "utf8"));
    expect(config).toMatchObject({ model: "resnet8", width: 0.25, init: { from: pre, freeze: 1, bodyLrScale: 0.2 } });
    expect(JSON.parse(readFileSync(path.join(ft, latest, "parent.json"), "utf8")).name).toBe("pre");
    expect(logged.some((l) => /2 class rows kept, 0 fresh/.test(l))).toBe(true);
    await expect(
      run("train", "--data", data, "--out", path.join(tmp.dir, "x"), "--init", pre, "--model", "vgg-small", ...common),
    ).rejects.toThrow(/architecture mismatch: it is resnet8 width 0.25 at 32 px, this run builds vgg-small/);
  });

  it("refuses --freeze without --init, and a negative --freeze", async () => {
    await expect(run("train", "--data", data, "--out", tmp.dir, "--freeze", "1")).rejects.toThrow(
      "--freeze and --body-lr-scale need --init <model dir>",
    );
    await expect(run("train", "--data", data, "--out", tmp.dir, "--init", pre, "--freeze", "-1")).rejects.toThrow(
      /--freeze/,
    );
  });

  it("exits 1 with the reason for an --init directory that does not exist", () => {
    const bin = fileURLToPath(new URL("../../bin/arbor-train.mjs", import.meta.url));
    const missing = path.join(tmp.dir, "no-such-model");
    const res = spawnSync(
      process.execPath,
      [bin, "train", "--data", data, "--out", tmp.dir, "--init", missing, ...common],
      {
        encoding: "utf8",
        timeout: 120_000,
      },
    );
    expect(res.status).toBe(1);
    expect(res.stderr).toContain(`arbor-train: --init ${missing}: no such directory`);
  }, 130_000);
});
