import sharp from "sharp";
import { type AugmentSpec, type GeometryPlan, planGeometry, type RawImage, writeNormalised } from "./augment.ts";
import { SeededRandom } from "./seeded-random.ts";

// Decode workers run several sharp pipelines at once themselves; libvips' own thread pool would only
// oversubscribe the 2 cores the training threads also need.
sharp.concurrency(1);

/** Decodes any sharp-readable image to packed 8-bit sRGB (greyscale expanded, alpha dropped). */
export async function decodeImage(bytes: Uint8Array): Promise<RawImage> {
  const { data, info } = await sharp(bytes, { failOn: "error" })
    .rotate() // honour EXIF orientation, as the platform's thumbnails do
    .toColourspace("srgb")
    .removeAlpha()
    .raw()
    .toBuffer({ resolveWithObject: true });
  if (info.channels !== 3) throw new Error(`expected 3 channels after decoding, got ${info.channels}`);
  return { data: new Uint8Array(data.buffer, data.byteOffset, data.length), width: info.width, height: info.height };
}

/** Crops `plan.box` and resizes to the model's input size; skipped when the image already is that crop. */
async function cropAndResize(img: RawImage, plan: GeometryPlan): Promise<RawImage> {
  const { box, resizeTo } = plan;
  if (box.left === 0 && box.top === 0 && box.width === img.width && box.height === img.height) {
    if (img.width === resizeTo && img.height === resizeTo) return img;
  }
  const { data, info } = await sharp(img.data, { raw: { width: img.width, height: img.height, channels: 3 } })
    .extract(box)
    .resize(resizeTo, resizeTo, { fit: "fill", kernel: "lanczos3" })
    .raw()
    .toBuffer({ resolveWithObject: true });
  return { data: new Uint8Array(data.buffer, data.byteOffset, data.length), width: info.width, height: info.height };
}

export interface BatchItem {
  /** Encoded bytes (first sight), or decoded pixels from the cache. */
  bytes?: Uint8Array;
  raw?: RawImage;
  /** Seeds this image's augmentation, so the result does not depend on which worker ran it. */
  seed: number;
}

export interface BatchJob {
  items: BatchItem[];
  spec: AugmentSpec;
  train: boolean;
  /** Send decoded pixels back for the cache. */
  returnDecoded: boolean;
}

export interface BatchResult {
  x: Float32Array;
  /** Per item: decoded pixels when they were decoded here and `returnDecoded` was set. */
  decoded: (RawImage | null)[];
}

/** Decode (if needed), augment and normalise one batch into NHWC float32. Used in workers and in-process. */
export async function processBatch(job: BatchJob): Promise<BatchResult> {
  const { spec } = job;
  const per = spec.size * spec.size * 3;
  const x = new Float32Array(job.items.length * per);
  const decoded: (RawImage | null)[] = new Array(job.items.length).fill(null);
  await Promise.all(
    job.items.map(async (item, i) => {
      let raw = item.raw;
      if (!raw) {
        if (!item.bytes) throw new Error("batch item has neither bytes nor pixels");
        raw = await decodeImage(item.bytes);
        if (job.returnDecoded) decoded[i] = raw;
      }
      const plan = planGeometry(raw.width, raw.height, spec, job.train, new SeededRandom(item.seed));
      writeNormalised(await cropAndResize(raw, plan), plan, spec, x, i * per);
    }),
  );
  return { x, decoded };
}
