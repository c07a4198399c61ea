#!/usr/bin/env node
// Builds a contract-conforming CIFAR-10 export from ../shared/data/cifar10-jpg (until the platform's exporter
// is at hand): node packages/train/bin/make-cifar10-export.mjs OUT [imagefolder|jsonl|webdataset] [TRAIN TEST [VAL]]
// TRAIN/TEST/VAL are images per class; val images come from CIFAR's train folder (from index 4000 on).
import { register } from "tsx/esm/api";

register();
const { makeExportFixture } = await import("../src/testing/make-export-fixture.ts");
const [out, format = "jsonl", train = "5000", test = "1000", val = "0"] = process.argv.slice(2);
if (!out) {
  console.error("usage: make-cifar10-export.mjs OUT [imagefolder|jsonl|webdataset] [TRAIN TEST [VAL]]");
  process.exit(2);
}
const { info } = makeExportFixture({
  out,
  format,
  perClass: { train: Number(train), test: Number(test), val: Number(val) },
  shardSize: 5000,
});
console.log(`${out}: ${JSON.stringify(info.counts)}`);
