import { readFile } from "node:fs/promises";
import { type DatasetDefinitionInput, wnidSchema } from "@arbor/core";
import {
  type CreatedVersion,
  createFreezeRun,
  diffDatasetVersions,
  executeFreezeRun,
  freezeRunFailure,
  getDatasetVersion,
  getFreezeRun,
  listDatasetVersions,
  OPERATOR,
} from "@arbor/usecases";
import type { Command } from "commander";
import { progressBar } from "../progress.ts";
import { withServices } from "../services.ts";

interface CreateFlags {
  file?: string;
  name?: string;
  wnids?: string;
  roots?: string;
  minImages?: string;
  ilsvrc2012?: boolean;
  includeDescendants?: boolean;
  candidates?: boolean;
  maxPerClass?: string;
  minPerClass?: string;
  split?: string;
  valCount?: string;
  testCount?: string;
  seed?: string;
  drop?: "ancestors" | "descendants";
}

const list = (value: string) =>
  value
    .split(/[\s,]+/)
    .filter(Boolean)
    .map((w) => wnidSchema.parse(w));

/** Flags override the definition file, so a file can be a template. */
function toDefinition(base: Record<string, unknown>, f: CreateFlags): DatasetDefinitionInput {
  const d: Record<string, unknown> = { ...base };
  if (f.name) d.name = f.name;
  if (f.wnids) d.classes = { kind: "wnids", wnids: list(f.wnids) };
  if (f.roots) d.classes = { kind: "subtree", roots: list(f.roots), minImages: Number(f.minImages ?? 1) };
  if (f.ilsvrc2012) d.classes = { kind: "ilsvrc2012" };
  if (f.includeDescendants) d.includeDescendants = true;
  if (f.candidates) d.links = "verified-and-candidates";
  if (f.maxPerClass) d.maxPerClass = Number(f.maxPerClass);
  if (f.minPerClass) d.minPerClass = Number(f.minPerClass);
  if (f.split) {
    const [train, val, test] = f.split.split(",").map(Number);
    d.splits = { mode: "fractions", train, val, test };
  }
  if (f.valCount || f.testCount)
    d.splits = { mode: "counts", val: Number(f.valCount ?? 0), test: Number(f.testCount ?? 0) };
  if (f.seed) d.seed = Number(f.seed);
  if (f.drop) d.conflicts = f.drop === "ancestors" ? "drop-ancestors" : "drop-descendants";
  return d as DatasetDefinitionInput;
}

/**
 * Freezes as a freeze run executed here rather than queued (the command needs no worker and waits for the end,
 * as ingest does), with a progress bar over the classes; the run is recorded like a worker's. A refusal is
 * thrown as the error it was.
 */
async function freeze(db: Parameters<typeof createFreezeRun>[0], definition: DatasetDefinitionInput) {
  const run = await createFreezeRun(db, definition, OPERATOR);
  const bar = progressBar(`Freeze #${run.id}`);
  let created: CreatedVersion | null;
  try {
    created = await executeFreezeRun({ db }, run.id, (p) => bar.update(p.phase, p.processed, p.total ?? 1));
  } finally {
    bar.stop();
  }
  if (!created) throw freezeRunFailure(await getFreezeRun(db, run.id));
  return created;
}

export function registerDatasetCommands(program: Command): void {
  const dataset = program.command("dataset").description("freeze, list and compare dataset versions");
  dataset
    .command("create")
    .description("freeze a definition into the next version of its dataset")
    .option("--file <json>", "a dataset definition (JSON); flags below override its fields")
    .option("--name <name>", "dataset name (a new version if it exists)")
    .option("--wnids <list>", "explicit classes, comma-separated wnids")
    .option("--roots <list>", "every synset under these roots with enough images")
    .option("--min-images <n>", "with --roots: minimum usable images per class")
    .option("--ilsvrc2012", "the ILSVRC-2012 1000-class preset")
    .option("--include-descendants", "an internal-node class takes its descendants' images")
    .option("--candidates", "count candidate links too, not only verified ones")
    .option("--max-per-class <n>")
    .option("--min-per-class <n>")
    .option("--split <train,val,test>", "fractions, e.g. 0.8,0.1,0.1")
    .option("--val-count <n>", "images per class for val (train gets the rest)")
    .option("--test-count <n>", "images per class for test")
    .option("--seed <n>")
    .option("--drop <side>", "resolve ancestor/descendant conflicts: ancestors | descendants")
    .option("--json", "print the result as JSON")
    .action(async (flags: CreateFlags & { json?: boolean }) => {
      const base = flags.file ? (JSON.parse(await readFile(flags.file, "utf8")) as Record<string, unknown>) : {};
      const created = await withServices(({ db }) => freeze(db, toDefinition(base, flags)));
      if (flags.json) return console.log(JSON.stringify(created, null, 2));
      const { counts, leakage, droppedTooFew, multiClassImages, nearDuplicateGroups } = created.report;
      console.log(
        `version #${created.id}: ${created.name} v${created.number}, ${created.classCount} classes, ${created.imageCount} images ` +
          `(train ${counts.train}, val ${counts.val}, test ${counts.test})`,
      );
      console.log(
        `  ${droppedTooFew.length} classes dropped for too few images, ${multiClassImages} multi-class images left out, ` +
          `${nearDuplicateGroups} near-duplicate groups kept together, ${leakage.pairs} cross-split near-duplicates`,
      );
    });
  dataset
    .command("list")
    .description("every dataset version")
    .action(async () => {
      const versions = await withServices(({ db }) => listDatasetVersions(db));
      for (const v of versions)
        console.log(`#${v.id}\t${v.name} v${v.number}\t${v.classCount} classes\t${v.imageCount} images`);
    });
  dataset
    .command("show")
    .argument("<version>", "version id")
    .description("a version's classes and split counts, as JSON")
    .action(async (id: string) => {
      const detail = await withServices(({ db }) => getDatasetVersion(db, Number(id), OPERATOR));
      console.log(JSON.stringify(detail, null, 2));
    });
  dataset
    .command("diff")
    .argument("<from>", "version id")
    .argument("<to>", "version id")
    .description("classes and images added, removed and moved between two versions")
    .action(async (from: string, to: string) => {
      const diff = await withServices(({ db }) => diffDatasetVersions(db, Number(from), Number(to), OPERATOR));
      console.log(JSON.stringify(diff, null, 2));
    });
}
