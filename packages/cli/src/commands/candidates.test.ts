import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { startCandidateRunSchema } from "@arbor/usecases";
import { describe, expect, it } from "vitest";
import { proposeInput } from "./candidates.ts";

const BIN = fileURLToPath(new URL("../../bin/arbor.mjs", import.meta.url));
const arbor = (...args: string[]) => spawnSync(process.execPath, [BIN, ...args], { encoding: "utf8" });

describe("arbor candidates propose", () => {
  it("maps its flags onto the run's input", () => {
    const input = proposeInput({ model: "7", wnid: "n02084071", subtree: true, minScore: "0.8", topK: "5" });
    expect(input).toEqual({ modelId: 7, wnid: "n02084071", subtree: true, minScore: 0.8, topK: 5 });
    expect(startCandidateRunSchema.safeParse(input).success).toBe(true);
    expect(proposeInput({ model: "7", wnid: "n02084071", topK: "3" })).toEqual({
      modelId: 7,
      wnid: "n02084071",
      subtree: false,
      minScore: undefined,
      topK: 3,
    });
  });

  it("refuses flags that are no numbers, naming them; range checks are left to the use-case", () => {
    const cases: [Parameters<typeof proposeInput>[0], string][] = [
      [{ wnid: "n02084071", minScore: "0.5" }, "candidates propose needs --model <id> and --wnid <wnid>"],
      [{ model: "7", minScore: "0.5" }, "candidates propose needs --model <id> and --wnid <wnid>"],
      [{ model: "seven", wnid: "n02084071" }, '--model must be a whole number, not "seven"'],
      [{ model: "7", wnid: "n02084071", minScore: "high" }, '--min-score must be a number, not "high"'],
      [{ model: "7", wnid: "n02084071", topK: "2.5" }, '--top-k must be a whole number, not "2.5"'],
      [{ model: "7", wnid: "n02084071", topK: "" }, '--top-k must be a whole number, not ""'],
    ];
    for (const [flags, message] of cases) expect(() => proposeInput(flags), JSON.stringify(flags)).toThrow(message);
    // A number out of range passes here, and the use-case refuses it (`minScore: …`).
    const far = proposeInput({ model: "7", wnid: "n02084071", minScore: "1.5" });
    expect(startCandidateRunSchema.safeParse(far).success).toBe(false);
  });

  it("is a registered command that refuses a missing flag before touching a database", () => {
    const result = arbor("candidates", "propose", "--wnid", "n02084071", "--min-score", "0.5");
    expect(result.status).toBe(1);
    expect(result.stderr).toContain("arbor: candidates propose needs --model <id> and --wnid <wnid>");
    expect(arbor("candidates", "propose", "--help").stdout).toContain("--top-k <k>");
  });
});
