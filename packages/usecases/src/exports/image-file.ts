import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import type { Readable } from "node:stream";
import { type BlobStore, LocalDiskStore } from "@arbor/storage";
import sharp from "sharp";
import type { ExportOptions } from "./export-options.ts";
import type { ExportImage } from "./load-export-source.ts";

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

/** Width and height after `--resize N` (shorter side N, aspect kept), exactly as sharp computes them. */
export function exportSize(image: Pick<ExportImage, "width" | "height">, options: ExportOptions) {
  const n = options.resize;
  if (!n) return { width: image.width, height: image.height };
  if (image.width <= image.height) return { width: n, height: Math.round((image.height * n) / image.width) };
  return { width: Math.round((image.width * n) / image.height), height: n };
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
    const body =
      blobs instanceof LocalDiskStore
        ? readFileSync(blobs.filePath(image.originalKey))
        : await blobs.getStream(image.originalKey);
    return { body, sha256: image.sha256 };
  }
  const original = await streamToBuffer(await blobs.getStream(image.originalKey));
  const { width, height } = exportSize(image, options);
  const jpeg = await sharp(original, { failOn: "error" })
    .rotate()
    .resize(width, height, { fit: "fill" })
    .jpeg({ quality: options.quality, chromaSubsampling: "4:2:0" })
    .toBuffer();
  return { body: jpeg, sha256: createHash("sha256").update(jpeg).digest("hex") };
}

export async function streamToBuffer(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}
