import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { addPhaseSchema, createChallengeSchema } from "@arbor/usecases";
import { afterAll, describe, expect, it } from "vitest";
import { challengeCreateInput, phaseAddInput, scoreChallengeFiles } from "./challenge.ts";

const BIN = fileURLToPath(new URL("../../bin/arbor.mjs", import.meta.url));
const META = fileURLToPath(new URL("../../../../../shared/data/imagenet-meta/", import.meta.url));
const dir = mkdtempSync(path.join(tmpdir(), "arbor-challenge-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const file = (name: string, text: string) => {
  const full = path.join(dir, name);
  writeFileSync(full, text);
  return full;
};
const arbor = (...args: string[]) => spawnSync(process.execPath, [BIN, ...args], { encoding: "utf8" });

// A toy challenge with hand-computed costs: R → A → {c1, c2}, R → B → {C → c3, c5}; root height 3.
const [R, A, B, C, c1, c2, c3, c5] = [
  "n00000001",
  "n00000002",
  "n00000003",
  "n00000004",
  "n00000011",
  "n00000012",
  "n00000013",
  "n00000015",
];
const classes = file("classes.txt", `${c3} 1 three\n${c1} 2 one\n${c5} 3 five\n${c2} 4 two\n`);
const isA = file(
  "is_a.txt",
  [
    [R, A],
    [R, B],
    [A, c1],
    [A, c2],
    [B, C],
    [B, c5],
    [C, c3],
  ]
    .map((e) => e.join(" "))
    .join("\n"),
);
const truth = file("truth.txt", "2\n1\n3\n4\n"); // images 1..4: c1 c3 c5 c2
// image 1: c2 then c1 (top-1 wrong, d 0); 2: c5 (wrong, d 2); 3: c5 (right); 4: missing (d 3)
const submission = file("sub.txt", "4 2\n3\n3\n");

describe("arbor challenge score", () => {
  it("scores a devkit submission: top-1, top-5, both hierarchical errors, JSON last", async () => {
    const out = await scoreChallengeFiles(submission, { truth, classes, hierarchy: isA });
    expect(out.scores).toEqual({ top1: 0.75, top5: 0.5, hier2010: 1.25, hier2011: 1.25 / 3, images: 4 });
    expect(JSON.parse(out.lines.at(-1) as string)).toEqual(out.scores);
    expect(out.warnings).toEqual(["warning: 1 of 4 test images have no prediction; they count as wrong"]);
  });

  it("gives null hierarchical errors without --hierarchy, and the same flat ones from CSV and JSONL", async () => {
    const csv = file("sub.csv", `image_id,predictions\n1,${c2} ${c1}\n2,${c5}\n3,3\n`);
    const jsonl = file(
      "sub.jsonl",
      [
        `{"imageId":"1","wnids":["${c2}","${c1}"]}`,
        `{"imageId":"2","wnids":["${c5}"]}`,
        `{"imageId":"3","wnids":["${c5}"]}`,
      ].join("\n"),
    );
    for (const s of [submission, csv, jsonl]) {
      const out = await scoreChallengeFiles(s, { truth, classes });
      expect(out.lines.at(-1)).toBe('{"top1":0.75,"top5":0.5,"hier2010":null,"hier2011":null,"images":4}');
    }
    const withHierarchy = await scoreChallengeFiles(jsonl, { truth, classes, hierarchy: isA, format: "jsonl" });
    expect(withHierarchy.scores.hier2010).toBe(1.25);
  });

  it("takes the hierarchy as is-a lines, a stored {edges} value or an export's hierarchy.json", async () => {
    const edges = [
      [R, A],
      [R, B],
      [A, c1],
      [A, c2],
      [B, C],
      [B, c5],
      [C, c3],
    ];
    const stored = file("stored.json", JSON.stringify({ edges }));
    const ids = new Map([c3, c1, c5, c2, R, A, B, C].map((w, i) => [w, i + 1]));
    const synsets = [...ids].map(([wnid, id]) => ({
      id,
      wnid,
      words: "",
      gloss: "",
      children: edges.filter(([p]) => p === wnid).map(([, c]) => ids.get(c as string) as number),
      wordnetHeight: 0,
      numTrainImages: 0,
    }));
    const exported = file("hierarchy.json", JSON.stringify({ synsets }));
    const fingerprints = new Set<string | null>();
    for (const hierarchy of [isA, stored, exported]) {
      const out = await scoreChallengeFiles(submission, { truth, classes, hierarchy });
      expect(out.scores.hier2010).toBe(1.25);
      fingerprints.add(out.report.hierarchy);
    }
    expect(fingerprints.size).toBe(1);
    await expect(scoreChallengeFiles(submission, { truth, classes, hierarchy: file("h.json", "{}") })).rejects.toThrow(
      /h\.json: expected `parent child` lines/,
    );
  });

  it("reads a CSV ground truth without a class list", async () => {
    const csvTruth = file("truth.csv", `image_id,wnid\na,${c1}\nb,${c3}\n`);
    const out = await scoreChallengeFiles(file("s.csv", `a,${c1}\nb,${c1} ${c3}\n`), {
      truth: csvTruth,
      hierarchy: isA,
      details: true,
    });
    expect(out.scores).toEqual({ top1: 0.5, top5: 0, hier2010: 0, hier2011: 0, images: 2 });
    expect(out.lines.join("\n")).toContain(`${c3} → ${c1}: 1`);
  });

  it("refuses a malformed submission with the parser's message", async () => {
    const bad = file("bad.txt", "1 2\n\n0\n");
    await expect(scoreChallengeFiles(bad, { truth, classes })).rejects.toThrow(
      /bad\.txt: invalid submission \(devkit\): 2 problems\n {2}line 2: expected .*found an empty line\n {2}line 3: expected class indices 1\.\.4 .*found 0 in "0"/,
    );
    await expect(scoreChallengeFiles(submission, { truth })).rejects.toThrow(/needs --classes/);
    await expect(scoreChallengeFiles(file("what.txt", "hello\n"), { truth, classes })).rejects.toThrow(/pass --format/);
  });

  it("runs as a command: JSON on the last line, exit 1 and no stack trace on a bad file", () => {
    const ok = arbor("challenge", "score", "--truth", truth, "--classes", classes, "--hierarchy", isA, submission);
    expect(ok.status).toBe(0);
    const last = ok.stdout.trim().split("\n").at(-1) as string;
    expect(JSON.parse(last)).toEqual({ top1: 0.75, top5: 0.5, hier2010: 1.25, hier2011: 1.25 / 3, images: 4 });
    expect(ok.stderr).toContain("warning: 1 of 4 test images have no prediction");
    const bad = arbor("challenge", "score", "--truth", truth, "--classes", classes, file("bad2.txt", "1\n1 x\n"));
    expect(bad.status).toBe(1);
    expect(bad.stderr).toMatch(
      /^arbor: .*bad2\.txt: invalid submission \(devkit\): 1 problem\n {2}line 2: expected up to 5 class indices 1\.\.4 separated by spaces, found "1 x"\n$/,
    );
    expect(bad.stdout).toBe("");
  }, 30_000);

  it.skipIf(!existsSync(path.join(META, "ILSVRC2012_validation_ground_truth.txt")))(
    "scores the real ILSVRC-2012 validation ground truth, and warns about sorted-wnid indices",
    async () => {
      const { readFileSync } = await import("node:fs");
      const flags = {
        truth: path.join(META, "ILSVRC2012_validation_ground_truth.txt"),
        classes: path.join(META, "map_clsloc.txt"),
        hierarchy: path.join(META, "wordnet.is_a.txt"),
      };
      const ids = readFileSync(flags.truth, "utf8").trim().split("\n");
      const perfect = await scoreChallengeFiles(file("perfect.txt", ids.join("\n")), flags);
      expect(perfect.scores).toEqual({ top1: 0, top5: 0, hier2010: 0, hier2011: 0, images: 50_000 });
      const wnids = readFileSync(flags.classes, "utf8")
        .trim()
        .split("\n")
        .map((l) => l.split(" ")[0] as string);
      const sorted = [...wnids].sort();
      const reindexed = ids.map((id) => String(sorted.indexOf(wnids[Number(id) - 1] as string) + 1));
      const wrong = await scoreChallengeFiles(file("sorted.txt", reindexed.join("\n")), flags);
      expect(wrong.scores.top1).toBeGreaterThan(0.99);
      expect(wrong.warnings.join("\n")).toMatch(/sorted-wnid numbering/);
    },
    30_000,
  );
});

// The CLI package's tests have no database (no vitest global setup starts one), so these check the flags'
// mapping onto createChallenge's and addPhase's inputs, validated by their schemas; the use-cases themselves are
// tested against a database in @arbor/usecases.
describe("arbor challenge create", () => {
  it("maps --title, --description-file and --team-size onto createChallenge's input", async () => {
    const rules = file("rules.md", "# Rules\nOne team per person.\n");
    const input = await challengeCreateInput({ title: "ILSVRC", descriptionFile: rules, teamSize: "3" });
    expect(input).toEqual({ title: "ILSVRC", description: "# Rules\nOne team per person.\n", teamSizeLimit: 3 });
    expect(createChallengeSchema.parse(await challengeCreateInput({ title: "T" }))).toMatchObject({
      title: "T",
      description: "",
      teamSizeLimit: 1,
    });
    await expect(challengeCreateInput({ title: "T", teamSize: "two" })).rejects.toThrow(
      '--team-size must be a whole number, not "two"',
    );
  });
});

describe("arbor challenge phase add", () => {
  const dates = { name: "test", starts: "2025-01-01T00:00Z", ends: "2025-02-01T00:00Z" };

  it("maps an uploaded devkit truth, class list, hierarchy and quotas onto addPhase's input", async () => {
    const input = await phaseAddInput("7", { ...dates, truth, classes, hierarchy: isA, daily: "2", total: "10" });
    expect(input).toEqual({
      challengeId: 7,
      name: "test",
      startsAt: new Date("2025-01-01T00:00Z"),
      endsAt: new Date("2025-02-01T00:00Z"),
      truth: { kind: "upload", text: "2\n1\n3\n4\n", format: "devkit", classList: expect.stringContaining(c3) },
      isA: expect.stringContaining(`${R} ${A}`),
      dailyQuota: 2,
      totalQuota: 10,
    });
    expect(addPhaseSchema.safeParse(input).success).toBe(true);
    const csv = file("truth.csv", `image_id,wnid\na,${c1}\nb,${c3}\n`);
    expect((await phaseAddInput("7", { ...dates, truth: csv })).truth).toEqual({
      kind: "upload",
      text: `image_id,wnid\na,${c1}\nb,${c3}\n`,
      format: "csv",
      classList: undefined,
    });
  });

  it("maps --version and --split onto a version truth", async () => {
    const input = await phaseAddInput("7", { ...dates, version: "3", split: "test" });
    expect(input.truth).toEqual({ kind: "version", versionId: 3, split: "test", classList: undefined });
    expect(addPhaseSchema.safeParse(input).success).toBe(true);
  });

  it("refuses invalid flags with a message naming them", async () => {
    const cases: [Parameters<typeof phaseAddInput>[1], string][] = [
      [dates, "either --version <id> --split test or --truth <file>"],
      [{ ...dates, version: "3", split: "test", truth }, "either --version"],
      [{ ...dates, version: "3" }, "--version needs --split"],
      [{ ...dates, version: "3", split: "dev" }, "--split must be train, val or test, not dev"],
      [{ ...dates, truth, split: "test" }, "--split goes with --version"],
      [{ ...dates, truth }, "a devkit ground truth needs --classes"],
      [{ ...dates, truth, classes, truthFormat: "xml" }, "--truth-format must be devkit or csv, not xml"],
      [
        { ...dates, truth, classes, starts: "soon" },
        '--starts must be an ISO 8601 date or time (2025-01-31T12:00Z), not "soon"',
      ],
      [{ ...dates, truth, classes, daily: "-1" }, '--daily must be a whole number, not "-1"'],
      [{ ...dates, truth: path.join(dir, "missing.txt") }, "cannot read the --truth file"],
    ];
    for (const [flags, message] of cases) await expect(phaseAddInput("7", flags)).rejects.toThrow(message);
    await expect(phaseAddInput("x", { ...dates, truth, classes })).rejects.toThrow(
      "the challenge id must be a whole number",
    );
  });

  it("exits non-zero with arbor: and the message, before opening any database", () => {
    const out = arbor("challenge", "phase", "add", "1", "--name", "t", "--starts", dates.starts, "--ends", dates.ends);
    expect(out.status).toBe(1);
    expect(out.stderr).toMatch(/^arbor: give the ground truth as either --version <id> --split test or --truth <file>/);
    expect(out.stdout).toBe("");
  }, 30_000);
});
