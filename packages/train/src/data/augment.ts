import { z } from "zod";
import type { SeededRandom } from "./seeded-random.ts";

/**
 * Augmentation and normalisation settings. Pure data so they can be posted to decode workers.
 *
 * - `random-resized`: Inception/ResNet-style random-resized crop (area ∈ scale, aspect ∈ ratio), resized to
 *   `size`: right for ImageNet-sized images.
 * - `pad-crop`: resize to `size`, pad `padding` pixels with the mean colour (so it normalises to 0), take a
 *   random `size` crop: the standard CIFAR augmentation; random-resized crops on 32×32 inputs throw away too
 *   much of an already tiny image for short schedules.
 * Eval always resizes the shorter side to `evalResize` (default: `size`) and takes the centre `size` crop.
 */
export const augmentSpecSchema = z.object({
  size: z.number().int().positive(),
  crop: z.enum(["random-resized", "pad-crop", "none"]).default("pad-crop"),
  scale: z.tuple([z.number().positive().max(1), z.number().positive().max(1)]).default([0.35, 1]),
  ratio: z.tuple([z.number().positive(), z.number().positive()]).default([3 / 4, 4 / 3]),
  padding: z.number().int().nonnegative().default(4),
  flip: z.boolean().default(true),
  evalResize: z.number().int().positive().optional(),
  mean: z.tuple([z.number(), z.number(), z.number()]).default([0.4914, 0.4822, 0.4465]),
  std: z.tuple([z.number().positive(), z.number().positive(), z.number().positive()]).default([0.247, 0.2435, 0.2616]),
});
export type AugmentSpec = z.infer<typeof augmentSpecSchema>;

export interface RawImage {
  /** Packed RGB, row-major, 3 bytes per pixel. */
  data: Uint8Array;
  width: number;
  height: number;
}

export interface Box {
  left: number;
  top: number;
  width: number;
  height: number;
}

/** What sharp does to the decoded image: crop `box` (source pixels) and resize it to `resizeTo`×`resizeTo`. */
export interface GeometryPlan {
  box: Box;
  resizeTo: number;
  /** pad-crop only, applied after the resize: offset of the crop inside the padded image. */
  padCrop: { dx: number; dy: number } | null;
  flip: boolean;
}

/** torchvision's RandomResizedCrop: 10 tries at a random area/aspect, else the centre crop of the clamped ratio. */
export function randomResizedBox(width: number, height: number, spec: AugmentSpec, rng: SeededRandom): Box {
  const area = width * height;
  const [logLo, logHi] = [Math.log(spec.ratio[0]), Math.log(spec.ratio[1])];
  for (let attempt = 0; attempt < 10; attempt++) {
    const target = area * rng.uniform(spec.scale[0], spec.scale[1]);
    const aspect = Math.exp(rng.uniform(logLo, logHi));
    const w = Math.round(Math.sqrt(target * aspect));
    const h = Math.round(Math.sqrt(target / aspect));
    if (w > 0 && h > 0 && w <= width && h <= height) {
      return { left: rng.int(width - w + 1), top: rng.int(height - h + 1), width: w, height: h };
    }
  }
  return centreBox(width, height, Math.min(Math.max(width / height, spec.ratio[0]), spec.ratio[1]));
}

function centreBox(width: number, height: number, aspect: number): Box {
  let w = width;
  let h = Math.round(w / aspect);
  if (h > height) {
    h = height;
    w = Math.round(h * aspect);
  }
  return { left: Math.floor((width - w) / 2), top: Math.floor((height - h) / 2), width: w, height: h };
}

/** The square centre crop that, resized to `size`, equals "resize shorter side to evalResize, crop size". */
export function evalBox(width: number, height: number, spec: AugmentSpec): Box {
  const shorter = Math.min(width, height);
  const side = Math.max(1, Math.min(shorter, Math.round((shorter * spec.size) / (spec.evalResize ?? spec.size))));
  return { left: Math.floor((width - side) / 2), top: Math.floor((height - side) / 2), width: side, height: side };
}

export function planGeometry(
  width: number,
  height: number,
  spec: AugmentSpec,
  train: boolean,
  rng: SeededRandom,
): GeometryPlan {
  if (!train || spec.crop === "none") {
    return {
      box: evalBox(width, height, spec),
      resizeTo: spec.size,
      padCrop: null,
      flip: train && flipCoin(spec, rng),
    };
  }
  if (spec.crop === "random-resized") {
    const box = randomResizedBox(width, height, spec, rng);
    return { box, resizeTo: spec.size, padCrop: null, flip: flipCoin(spec, rng) };
  }
  const range = 2 * spec.padding + 1;
  const padCrop = { dx: rng.int(range), dy: rng.int(range) };
  return { box: evalBox(width, height, spec), resizeTo: spec.size, padCrop, flip: flipCoin(spec, rng) };
}

function flipCoin(spec: AugmentSpec, rng: SeededRandom): boolean {
  // Always draw, so turning flips off does not shift the other random choices.
  const coin = rng.next() < 0.5;
  return spec.flip && coin;
}

/**
 * Writes one `size`×`size` image (already cropped and resized) into `out` at `offset`, applying the pad-crop
 * shift, the horizontal flip and (x/255 − mean)/std, as NHWC float32.
 */
export function writeNormalised(
  img: RawImage,
  plan: GeometryPlan,
  spec: AugmentSpec,
  out: Float32Array,
  offset: number,
): void {
  const size = spec.size;
  if (img.width !== size || img.height !== size) {
    throw new Error(`expected a ${size}×${size} image, got ${img.width}×${img.height}`);
  }
  const scale = [1 / (255 * spec.std[0]), 1 / (255 * spec.std[1]), 1 / (255 * spec.std[2])] as const;
  const bias = [-spec.mean[0] / spec.std[0], -spec.mean[1] / spec.std[1], -spec.mean[2] / spec.std[2]] as const;
  const shiftX = plan.padCrop ? plan.padCrop.dx - spec.padding : 0;
  const shiftY = plan.padCrop ? plan.padCrop.dy - spec.padding : 0;
  const src = img.data;
  let o = offset;
  for (let y = 0; y < size; y++) {
    const sy = y + shiftY;
    for (let x = 0; x < size; x++) {
      const sx0 = x + shiftX;
      const sx = plan.flip ? size - 1 - sx0 : sx0;
      if (sy < 0 || sy >= size || sx < 0 || sx >= size) {
        // Padding is the mean colour, i.e. exactly 0 after normalisation.
        out[o++] = 0;
        out[o++] = 0;
        out[o++] = 0;
        continue;
      }
      const s = (sy * size + sx) * 3;
      out[o++] = (src[s] as number) * scale[0] + bias[0];
      out[o++] = (src[s + 1] as number) * scale[1] + bias[1];
      out[o++] = (src[s + 2] as number) * scale[2] + bias[2];
    }
  }
}
