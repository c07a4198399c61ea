import path from "node:path";

/**
 * The local store keeps no metadata beside the bytes (a sidecar file could drift from the object it describes),
 * so its content type comes from the key's extension. Content-addressed keys always carry one.
 */
const CONTENT_TYPES: Readonly<Record<string, string>> = {
  jpg: "image/jpeg",
  jpeg: "image/jpeg",
  png: "image/png",
  webp: "image/webp",
  gif: "image/gif",
  json: "application/json",
  tar: "application/x-tar",
  txt: "text/plain; charset=utf-8",
};

export const DEFAULT_CONTENT_TYPE = "application/octet-stream";

export function contentTypeForKey(key: string): string {
  const extension = path.posix.extname(key).slice(1).toLowerCase();
  return CONTENT_TYPES[extension] ?? DEFAULT_CONTENT_TYPE;
}
