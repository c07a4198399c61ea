import type { ExportOptions } from "./export-options.ts";
import type { ExportSource } from "./load-export-source.ts";

/**
 * The export's README.md, a datasheet in the spirit of "Datasheets for Datasets": what is in it, where the
 * images came from, under which licences, and exactly how it was made. Deterministic (no export time), so a
 * re-export is byte-identical.
 */
export function renderDatasheet(source: ExportSource, options: ExportOptions): string {
  const totals = { train: 0, val: 0, test: 0 };
  for (const c of source.classCounts) {
    totals.train += c.train;
    totals.val += c.val;
    totals.test += c.test;
  }
  const withheld = options.withholdTestLabels;
  const lines = [
    `# ${source.name}, version ${source.number}`,
    "",
    `An image classification dataset built with Arbor on the WordNet 3.0 noun hierarchy, frozen on ${source.createdAt.toISOString().slice(0, 10)}.`,
    "",
    "## Contents",
    "",
    `- Classes: ${source.classes.length} (one label per image; no class is an ancestor of another)`,
    `- Images: ${source.imageCount} — train ${totals.train}, val ${totals.val}, test ${totals.test}`,
    `- Format: ${options.format}${options.resize ? `, re-encoded as JPEG (quality ${options.quality}) with the shorter side ${options.resize} px` : ", original image bytes"}`,
    withheld ? "- Test labels are withheld (a challenge set): test images carry no class." : "- All labels included.",
    "",
    "## Files",
    "",
    "- `classes.json`: class index → wnid, lemmas, gloss.",
    "- `hierarchy.json`: the classes and all their WordNet ancestors (ids 1..K are the classes), as the ILSVRC devkit's meta.",
    options.format === "webdataset"
      ? `- \`<split>-NNNNNN.tar\`: WebDataset shards of ${options.shardSize} samples (\`<sha256>.<ext>\`, \`.cls\`, \`.json\`), in a seeded random order.`
      : "- `<split>.jsonl`: one record per image (`path`, `sha256`, `wnid`, `classIndex`, `split`, `width`, `height`).",
    options.format === "imagefolder" ? "- `<split>/<wnid>/<sha256>.<ext>`: the images." : "",
    options.format === "jsonl" ? "- `images/<sha256>.<ext>`: the images." : "",
    "- `SHA256SUMS`: checksums of every file (`sha256sum -c SHA256SUMS`); `export.json` (written last) seals them.",
    "",
    "## Classes",
    "",
    withheld ? "| index | wnid | lemmas | train | val |" : "| index | wnid | lemmas | train | val | test |",
    withheld ? "|---:|---|---|---:|---:|" : "|---:|---|---|---:|---:|---:|",
    ...source.classes.map((c, i) => {
      const n = source.classCounts[i] ?? { train: 0, val: 0, test: 0 };
      const row = `| ${c.index} | ${c.wnid} | ${c.lemmas.join(", ").replaceAll("|", "\\|")} | ${n.train} | ${n.val} |`;
      return withheld ? row : `${row} ${n.test} |`;
    }),
    "",
    "## Sources and licences",
    "",
    ...source.sources.map((s) => `- ingested from ${s.kind}: ${s.images} images`),
    ...source.licences.map((l) => `- licence ${l.licence}: ${l.images} images`),
    "",
    "Images whose licence is unknown were ingested without one; check their origin before redistributing them.",
    "",
    "## How it was made",
    "",
    "Classes and splits were frozen from this definition. Splits are stratified per class and assigned from",
    `(seed ${source.seed}, image sha256), so an image keeps its split in every version with the same seed;`,
    "near-duplicate images (perceptual hash) always share a split.",
    "",
    "```json",
    JSON.stringify(source.definition, null, 2),
    "```",
    "",
    "Freeze report:",
    "",
    "```json",
    JSON.stringify(source.report, null, 2),
    "```",
    "",
  ];
  return `${lines.filter((line, i, all) => !(line === "" && all[i - 1] === "")).join("\n")}`;
}
