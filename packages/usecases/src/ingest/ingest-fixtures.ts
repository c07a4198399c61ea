import { copyFile, mkdir, mkdtemp, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import sharp from "sharp";
import { SHARED_DATA_DIR } from "../testing/shared-data.ts";

export const SAMPLES = path.join(SHARED_DATA_DIR, "imagenet-sample-images");
export const CHIHUAHUA = "n02085620_Chihuahua.JPEG";
export const SPANIEL = "n02085782_Japanese_spaniel.JPEG";
export const TABBY = "n02123045_tabby.JPEG";

/** A PNG whose header claims width×height (a decompression bomb's header, without the gigabytes). */
export async function bombPng(width: number, height: number): Promise<Buffer> {
  const { crc32 } = await import("node:zlib");
  const png = await sharp({ create: { width: 1, height: 1, channels: 3, background: "#808080" } })
    .png()
    .toBuffer();
  png.writeUInt32BE(width, 16);
  png.writeUInt32BE(height, 20);
  png.writeUInt32BE(crc32(png.subarray(12, 29)), 29);
  return png;
}

/**
 * A folder in the layouts researchers have: ImageFolder (`<wnid>/`), `<wnid>_name.JPEG` files, and the bad
 * cases every ingest must survive: a truncated JPEG, a text file, a 20000×20000 PNG header, an unknown wnid
 * and a file whose synset cannot be told.
 */
export async function makeMessyFolder(): Promise<string> {
  const root = await mkdtemp(path.join(tmpdir(), "arbor-ingest-"));
  await mkdir(path.join(root, "n02084071"));
  await copyFile(path.join(SAMPLES, CHIHUAHUA), path.join(root, "n02084071", "chihuahua.jpg"));
  await copyFile(path.join(SAMPLES, TABBY), path.join(root, TABBY));
  const spaniel = await readFile(path.join(SAMPLES, SPANIEL));
  await writeFile(path.join(root, "n02084071", "truncated.jpg"), spaniel.subarray(0, spaniel.length / 2));
  await writeFile(path.join(root, "n02084071", "notes.txt"), "not an image\n");
  await writeFile(path.join(root, "n02084071", "bomb.png"), await bombPng(20_000, 20_000));
  await mkdir(path.join(root, "n99999999"));
  await copyFile(path.join(SAMPLES, SPANIEL), path.join(root, "n99999999", "spaniel.jpg"));
  await copyFile(path.join(SAMPLES, SPANIEL), path.join(root, "unlabelled.jpg"));
  return root;
}

/** The same photo re-encoded at half the size: a near duplicate, with different bytes. */
export async function reencoded(file: string, quality = 60): Promise<Buffer> {
  const image = sharp(await readFile(file));
  const { width } = await image.metadata();
  return image
    .resize(Math.round((width ?? 200) / 2))
    .jpeg({ quality })
    .toBuffer();
}
