import { mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import * as tf from "@tensorflow/tfjs";
import { z } from "zod";

/**
 * A tfjs IOHandler for a directory on disk: `model.json` (tfjs' layers-model format, so the official
 * converter and tf.loadLayersModel('http://…') can read it) and one `weights.bin`. tfjs-node's file://
 * handler would need the native binding, which this package avoids.
 */
export const MODEL_FILE = "model.json";
export const WEIGHTS_FILE = "weights.bin";

const weightSpecSchema = z.object({ name: z.string(), shape: z.array(z.number().int()), dtype: z.string() }).loose();
const modelJsonSchema = z.object({
  modelTopology: z.record(z.string(), z.unknown()),
  weightsManifest: z.array(z.object({ paths: z.array(z.string()), weights: z.array(weightSpecSchema) })),
  format: z.string().optional(),
  generatedBy: z.string().optional(),
  convertedBy: z.string().nullable().optional(),
});

export function toArrayBuffer(data: tf.io.WeightData): ArrayBuffer {
  return tf.io.CompositeArrayBuffer.join(data);
}

export function directoryIO(dir: string): tf.io.IOHandler {
  return {
    async save(artifacts: tf.io.ModelArtifacts): Promise<tf.io.SaveResult> {
      if (!artifacts.weightData || !artifacts.weightSpecs) throw new Error("model has no weights to save");
      await mkdir(dir, { recursive: true });
      const weights = toArrayBuffer(artifacts.weightData);
      await writeFile(path.join(dir, WEIGHTS_FILE), new Uint8Array(weights));
      const json = {
        modelTopology: artifacts.modelTopology,
        weightsManifest: [{ paths: [`./${WEIGHTS_FILE}`], weights: artifacts.weightSpecs }],
        format: artifacts.format ?? "layers-model",
        generatedBy: artifacts.generatedBy,
        convertedBy: null,
      };
      await writeFile(path.join(dir, MODEL_FILE), JSON.stringify(json));
      return { modelArtifactsInfo: tf.io.getModelArtifactsInfoForJSON({ ...artifacts, weightData: weights }) };
    },
    async load(): Promise<tf.io.ModelArtifacts> {
      const json = modelJsonSchema.parse(JSON.parse(await readFile(path.join(dir, MODEL_FILE), "utf8")));
      const buffers: ArrayBuffer[] = [];
      const specs: tf.io.WeightsManifestEntry[] = [];
      for (const group of json.weightsManifest) {
        for (const p of group.paths) {
          const bytes = await readFile(path.join(dir, p));
          buffers.push(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer);
        }
        specs.push(...(group.weights as tf.io.WeightsManifestEntry[]));
      }
      return {
        modelTopology: json.modelTopology,
        weightSpecs: specs,
        weightData: toArrayBuffer(buffers),
        format: json.format,
        generatedBy: json.generatedBy,
      };
    },
  };
}
