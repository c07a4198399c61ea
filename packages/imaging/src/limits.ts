/** Caps applied to untrusted image uploads before any pixel is decoded. */
export interface ImageLimits {
  /** Largest accepted file, in bytes. */
  maxBytes: number;
  /**
   * Largest accepted width × height, read from the header before decoding. Compressed size says nothing
   * about decoded size: a 20000×20000 PNG of one colour is a few kilobytes on disk but 400 MP, over a
   * gigabyte of RAM once decoded (a decompression bomb).
   */
  maxPixels: number;
}

export const DEFAULT_IMAGE_LIMITS: Readonly<ImageLimits> = {
  maxBytes: 50 * 1024 * 1024,
  maxPixels: 100_000_000,
};
