import { createHash } from "node:crypto";
import sharp, { type Metadata } from "sharp";
import { acceptedFormat, type ImageFormat } from "./image-format.ts";
import { ImageRejectedError } from "./image-rejected-error.ts";
import { DEFAULT_IMAGE_LIMITS, type ImageLimits } from "./limits.ts";
import { renderThumbnailAndHash, type Thumbnail } from "./thumbnail-and-hash.ts";

/** A validated image: identity (sha256), similarity key (phash), what it is, and a thumbnail to show. */
export interface AnalyzedImage {
  /** Hex SHA-256 of the exact bytes: finds byte-identical re-uploads. */
  sha256: string;
  /** Unsigned 64-bit DCT perceptual hash of the displayed image: finds re-encoded or resized copies. */
  phash: bigint;
  /** Size as displayed, i.e. after applying the EXIF orientation. */
  width: number;
  height: number;
  format: ImageFormat;
  /** Size of the original file in bytes. */
  bytes: number;
  thumbnail: Thumbnail;
}

/**
 * Turns untrusted bytes into an AnalyzedImage or throws ImageRejectedError. The checks run cheapest first
 * and nothing is decoded until the header has shown the image is an accepted format of acceptable size:
 * empty → too-large → not-an-image → unsupported-format → too-many-pixels → corrupt.
 */
export async function analyzeImage(bytes: Buffer, limits: ImageLimits = DEFAULT_IMAGE_LIMITS): Promise<AnalyzedImage> {
  if (bytes.length === 0) throw new ImageRejectedError({ reason: "empty" });
  if (bytes.length > limits.maxBytes) {
    throw new ImageRejectedError({ reason: "too-large", bytes: bytes.length, maxBytes: limits.maxBytes });
  }

  const header = await readHeader(bytes);
  const format = acceptedFormat(header);
  if (!format) throw new ImageRejectedError({ reason: "unsupported-format", format: header.format });

  const { width, height } = header.autoOrient;
  if (!(width > 0 && height > 0)) {
    throw new ImageRejectedError({ reason: "not-an-image", detail: `the ${format} header has no dimensions` });
  }
  // From the header alone, before a single pixel is allocated.
  if (width * height > limits.maxPixels) {
    throw new ImageRejectedError({ reason: "too-many-pixels", width, height, maxPixels: limits.maxPixels });
  }

  let rendered: Awaited<ReturnType<typeof renderThumbnailAndHash>>;
  try {
    rendered = await renderThumbnailAndHash(bytes, limits.maxPixels);
  } catch (error) {
    throw new ImageRejectedError({ reason: "corrupt", format, detail: messageOf(error) }, { cause: error });
  }

  return {
    sha256: createHash("sha256").update(bytes).digest("hex"),
    phash: rendered.phash,
    width,
    height,
    format,
    bytes: bytes.length,
    thumbnail: rendered.thumbnail,
  };
}

/** Parses only the header (format, dimensions, orientation); sharp decodes no pixels for this. */
async function readHeader(bytes: Buffer): Promise<Metadata> {
  try {
    // sharp's own pixel limit also applies to metadata() and would report a bomb as a generic failure;
    // lifting it is safe here because nothing is decoded, and analyzeImage applies maxPixels itself.
    return await sharp(bytes, { limitInputPixels: false }).metadata();
  } catch (error) {
    throw new ImageRejectedError({ reason: "not-an-image", detail: messageOf(error) }, { cause: error });
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
