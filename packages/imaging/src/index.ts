export { type AnalyzedImage, analyzeImage } from "./analyze-image.ts";
export { acceptedFormat, IMAGE_FORMATS, type ImageFormat } from "./image-format.ts";
export { ImageRejectedError, type ImageRejection, type RejectReason } from "./image-rejected-error.ts";
export { DEFAULT_IMAGE_LIMITS, type ImageLimits } from "./limits.ts";
export { type ImageSize, reencodeJpeg, sizeForShortSide } from "./reencode-jpeg.ts";
export { THUMBNAIL_MAX_SIDE, type Thumbnail } from "./thumbnail-and-hash.ts";
