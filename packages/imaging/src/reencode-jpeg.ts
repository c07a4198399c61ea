import sharp from "sharp";

export interface ImageSize {
  width: number;
  height: number;
}

/** Width and height with the shorter side `shortSide` pixels and the aspect ratio kept (rounded). */
export function sizeForShortSide(size: ImageSize, shortSide: number): ImageSize {
  if (size.width <= size.height) {
    return { width: shortSide, height: Math.round((size.height * shortSide) / size.width) };
  }
  return { width: Math.round((size.width * shortSide) / size.height), height: shortSide };
}

/**
 * Re-encodes an image as a JPEG whose shorter side is `shortSide` pixels, at `quality` with 4:2:0 chroma
 * subsampling, after applying its EXIF orientation; the output carries no metadata. Deterministic: the same
 * bytes and options give the same bytes, so a re-run export writes identical files. The size is exactly
 * `sizeForShortSide` of the image as displayed, so a manifest can state it without decoding. Throws sharp's
 * error when the pixel data is truncated or corrupt.
 */
export async function reencodeJpeg(bytes: Buffer, options: { shortSide: number; quality: number }): Promise<Buffer> {
  const { autoOrient } = await sharp(bytes).metadata();
  const { width, height } = sizeForShortSide(autoOrient, options.shortSide);
  return sharp(bytes, { failOn: "error" })
    .rotate()
    .resize(width, height, { fit: "fill" })
    .jpeg({ quality: options.quality, chromaSubsampling: "4:2:0" })
    .toBuffer();
}
