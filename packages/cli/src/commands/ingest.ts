import path from "node:path";
import { wnidSchema } from "@arbor/core";
import { getIngestRun, type IngestOptionsInput } from "@arbor/usecases";
import { createIngestRun, executeIngestRun } from "@arbor/usecases/ingest";
import type { Command } from "commander";
import { progressBar } from "../progress.ts";
import { withServices } from "../services.ts";

interface IngestFlags {
  map?: string;
  synset?: string;
  trusted?: boolean;
  json?: boolean;
}

export function registerIngestCommand(program: Command): void {
  program
    .command("ingest")
    .description(
      "ingest images from a folder, a CSV/TSV of url,wnid, or s3://bucket/prefix (re-runs add nothing twice)",
    )
    .argument("<source>", "folder, .csv/.tsv file, or s3://bucket/prefix")
    .option("--map <file>", "folder-name → wnid mapping (name<TAB>wnid per line), e.g. for CIFAR-10")
    .option("--synset <wnid>", "link every image to this synset")
    .option("--trusted", "import the labels as verified (an already-curated dataset); default: candidates")
    .option("--json", "print the run's report (every skip included) as JSON")
    .action(async (source: string, flags: IngestFlags) => {
      const options = toOptions(source, flags);
      const exitCode = await withServices(async ({ db, blobs }) => {
        const run = await createIngestRun(db, options);
        const bar = flags.json ? null : progressBar(`Ingest #${run.id}`);
        await executeIngestRun({ db, blobs }, run.id, (p) =>
          bar?.update(`${p.added} new, ${p.duplicates} dup, ${p.skipped} skipped`, p.processed, p.total ?? p.processed),
        ).finally(() => bar?.stop());
        const report = await getIngestRun(db, run.id, { allSkips: true });
        if (flags.json) console.log(JSON.stringify(report, null, 2));
        else printSummary(report);
        return report.status === "succeeded" ? 0 : 1;
      });
      process.exitCode = exitCode;
    });
}

function toOptions(source: string, flags: IngestFlags): IngestOptionsInput {
  const synset = flags.synset === undefined ? undefined : wnidSchema.parse(flags.synset);
  const mapFile = flags.map ? path.resolve(flags.map) : undefined;
  const trusted = flags.trusted ?? false;
  if (source.startsWith("s3://")) return { kind: "s3", url: source, mapFile, synset, trusted };
  if (/\.(csv|tsv|txt)$/i.test(source)) return { kind: "csv", path: path.resolve(source), trusted };
  return { kind: "folder", path: path.resolve(source), mapFile, synset, trusted };
}

function printSummary(report: NonNullable<Awaited<ReturnType<typeof getIngestRun>>>): void {
  const seconds =
    report.startedAt && report.finishedAt ? (Date.parse(report.finishedAt) - Date.parse(report.startedAt)) / 1000 : 0;
  console.log(
    `run #${report.id} ${report.status} in ${seconds.toFixed(1)}s: ${report.processed} items, ${report.added} new images, ` +
      `${report.duplicates} duplicates, ${report.nearDuplicates} near-duplicates, ${report.linked} new links` +
      ` (${report.trusted ? "verified" : "candidates"}), ${report.skipped} skipped`,
  );
  if (report.error) console.log(`error: ${report.error}`);
  if (report.warning) console.log(`warning: ${report.warning}`);
  const shown = report.skips.slice(0, 20);
  for (const skip of shown) console.log(`  skipped ${skip.item}: ${skip.message} [${skip.reason}]`);
  if (report.skips.length > shown.length)
    console.log(`  … and ${report.skips.length - shown.length} more (--json lists all)`);
}
