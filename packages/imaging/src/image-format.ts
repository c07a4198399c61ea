import type { Metadata } from "sharp";

/** Raster formats accepted from uploads. Vector and document formats (SVG, PDF) are left out on purpose. */
export const IMAGE_FORMATS = ["jpeg", "png", "webp", "gif", "tiff", "avif", "heif"] as const;
export type ImageFormat = (typeof IMAGE_FORMATS)[number];

/**
 * The accepted format of an image from its sharp header, or undefined when it is not on the allow-list.
 * SVG is the important refusal: sharp renders it, but it is a document that can reference external
 * resources and has no intrinsic pixel size, not a photo.
 */
export function acceptedFormat(metadata: Pick<Metadata, "format" | "compression">): ImageFormat | undefined {
  // libheif reads AVIF and HEIC alike and sharp reports both as "heif"; the codec tells them apart.
  if (metadata.format === "heif") return metadata.compression === "av1" ? "avif" : "heif";
  return (IMAGE_FORMATS as readonly string[]).includes(metadata.format) ? (metadata.format as ImageFormat) : undefined;
}
