import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import type { Readable } from "node:stream";
import { reencodeJpeg, sizeForShortSide } from "@arbor/imaging";
import type { BlobStore } from "@arbor/storage";
import type { ExportImage } from "./export-images.ts";
import type { ExportOptions } from "./export-options.ts";

const EXTENSIONS: Record<string, string> = {
  jpeg: "jpg",
  png: "png",
  webp: "webp",
  gif: "gif",
  tiff: "tif",
  avif: "avif",
};

/** The file extension an image gets in the export. */
export function exportExtension(image: Pick<ExportImage, "format">, options: ExportOptions): string {
  return options.resize ? "jpg" : (EXTENSIONS[image.format] ?? image.format);
}

/** Width and height after `--resize N` (shorter side N, aspect kept), exactly as the re-encode makes them. */
export function exportSize(image: Pick<ExportImage, "width" | "height">, options: ExportOptions) {
  if (!options.resize) return { width: image.width, height: image.height };
  return sizeForShortSide(image, options.resize);
}

export interface ImageBytes {
  body: Buffer | Readable;
  /** Known up front for original bytes (the image's own sha256); computed for re-encoded ones. */
  sha256: string;
}

/** The bytes an image has in the export: its original, or a deterministic re-encode. */
export async function imageBytes(blobs: BlobStore, image: ExportImage, options: ExportOptions): Promise<ImageBytes> {
  if (!options.resize) {
    // A local blob is read synchronously: for small images, four thread-pool round trips (open, stat, read,
    // close) cost more than the bytes. Callers yield to the event loop between batches.
    const body = blobs.localPath
      ? readFileSync(blobs.localPath(image.originalKey))
      : await blobs.getStream(image.originalKey);
    return { body, sha256: image.sha256 };
  }
  const original = await streamToBuffer(await blobs.getStream(image.originalKey));
  const jpeg = await reencodeJpeg(original, { shortSide: options.resize, quality: options.quality });
  return { body: jpeg, sha256: createHash("sha256").update(jpeg).digest("hex") };
}

export async function streamToBuffer(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}
