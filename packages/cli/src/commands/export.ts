import path from "node:path";
import { getExport } from "@arbor/usecases";
import { createExport, executeExport, openDestination, verifyExport } from "@arbor/usecases/exports";
import type { Command } from "commander";
import { progressBar } from "../progress.ts";
import { withServices } from "../services.ts";

interface ExportFlags {
  format: string;
  out: string;
  resize?: string;
  quality?: string;
  shardSize?: string;
  withholdTestLabels?: boolean;
}

/** A local path is made absolute; s3:// URLs pass through. */
const destinationOf = (out: string) => (out.startsWith("s3://") ? out : path.resolve(out));

export function registerExportCommands(program: Command): void {
  const exportCommand = program
    .command("export")
    .description("write a dataset version out (re-running a killed export finishes it)")
    .argument("<version>", "dataset version id")
    // Not requiredOption: commander would then demand them of `export verify` too.
    .option("--format <format>", "imagefolder | jsonl | webdataset (required)")
    .option("--out <dir|s3://bucket/prefix>", "where to write (required)")
    .option("--resize <n>", "re-encode as JPEG with the shorter side n pixels")
    .option("--quality <q>", "JPEG quality for --resize", "90")
    .option("--shard-size <n>", "WebDataset samples per shard", "5000")
    .option("--withhold-test-labels", "leave the test split's labels out (challenges)")
    .action(async (version: string, flags: Partial<ExportFlags>) => {
      if (!flags.format || !flags.out)
        throw new Error("export needs --format <imagefolder|jsonl|webdataset> and --out <dir|s3://…>");
      const out = flags.out;
      const code = await withServices(async ({ db, blobs }) => {
        const { id, resumed } = await createExport(db, {
          versionId: Number(version),
          destination: destinationOf(out),
          createdById: null,
          options: {
            format: flags.format as "imagefolder",
            resize: flags.resize ? Number(flags.resize) : null,
            quality: Number(flags.quality),
            shardSize: Number(flags.shardSize),
            withholdTestLabels: flags.withholdTestLabels ?? false,
          },
        });
        const bar = progressBar(`Export #${id}${resumed ? " (resumed)" : ""}`);
        const started = Date.now();
        await executeExport({ db, blobs }, id, (p) =>
          bar.update(`${(p.bytes / 1e6).toFixed(1)} MB`, p.processed, p.total),
        ).finally(() => bar.stop());
        const done = await getExport(db, id);
        const seconds = (Date.now() - started) / 1000;
        console.log(
          `export #${id} ${done.status}: ${done.processed} images, ${(done.bytes / 1e6).toFixed(1)} MB ` +
            `in ${seconds.toFixed(1)}s → ${done.location}`,
        );
        return done.status === "succeeded" ? 0 : 1;
      });
      process.exitCode = code;
    });
  exportCommand
    .command("verify")
    .description("check an export: complete, every checksum, manifests or shards, no image in two splits")
    .argument("<dir|s3://bucket/prefix>")
    .action(async (location: string) => {
      const target = await openDestination(destinationOf(location));
      const bar = progressBar("Verify");
      const check = await verifyExport(target, (done, total) => bar.update("files", done, total)).finally(() =>
        bar.stop(),
      );
      for (const problem of check.problems.slice(0, 50)) console.log(`  ${problem}`);
      console.log(
        check.ok
          ? `ok: ${check.files} files, train ${check.images.train}, val ${check.images.val}, test ${check.images.test}`
          : `FAILED: ${check.problems.length} problem(s)`,
      );
      process.exitCode = check.ok ? 0 : 1;
    });
}
