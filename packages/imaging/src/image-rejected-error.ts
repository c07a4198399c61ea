/** Why an upload was refused, with the facts needed to explain it to the person who sent it. */
export type ImageRejection =
  | { reason: "empty" }
  | { reason: "too-large"; bytes: number; maxBytes: number }
  | { reason: "not-an-image"; detail: string }
  | { reason: "unsupported-format"; format: string }
  | { reason: "too-many-pixels"; width: number; height: number; maxPixels: number }
  | { reason: "corrupt"; format: string; detail: string };

export type RejectReason = ImageRejection["reason"];

/**
 * Thrown by analyzeImage for input that is not a usable image. `reason` is stable for code to branch on;
 * `message` is for people.
 */
export class ImageRejectedError extends Error {
  readonly reason: RejectReason;
  readonly rejection: ImageRejection;

  constructor(rejection: ImageRejection, options?: ErrorOptions) {
    super(describeRejection(rejection), options);
    this.name = "ImageRejectedError";
    this.reason = rejection.reason;
    this.rejection = rejection;
  }
}

function describeRejection(rejection: ImageRejection): string {
  switch (rejection.reason) {
    case "empty":
      return "file is empty";
    case "too-large":
      return `file is ${fileSize(rejection.bytes)}, over the ${fileSize(rejection.maxBytes)} limit`;
    case "not-an-image":
      return `not a recognised image: ${rejection.detail}`;
    case "unsupported-format":
      return `${rejection.format.toUpperCase()} is not accepted; upload a JPEG, PNG, WebP, GIF, TIFF, AVIF or HEIF image`;
    case "too-many-pixels": {
      const { width, height, maxPixels } = rejection;
      return `${width}×${height} = ${count(width * height)} pixels is over the limit of ${count(maxPixels)} (possible decompression bomb)`;
    }
    case "corrupt":
      return `truncated or corrupt ${rejection.format.toUpperCase()}: ${rejection.detail}`;
  }
}

// Binary units as file managers show them, one decimal dropped when zero: "60.2 MB", "50 MB", "12 KB".
function fileSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} bytes`;
  const [value, unit] = bytes < 1024 * 1024 ? [bytes / 1024, "KB"] : [bytes / (1024 * 1024), "MB"];
  return `${Number(value.toFixed(1))} ${unit}`;
}

function count(n: number): string {
  return n.toLocaleString("en-US");
}
