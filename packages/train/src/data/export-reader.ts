import { LocalExportReader } from "./local-export-reader.ts";
import { S3ExportReader } from "./s3-export-reader.ts";

/**
 * Read access to an export root, whatever holds it. Paths are relative to the root, "/"-separated, exactly as
 * the export's manifests write them. Small files are read whole; shards are streamed.
 */
export interface ExportReader {
  /** Where the export lives, for messages (a path or an s3:// URL). */
  readonly location: string;
  readBytes(path: string): Promise<Buffer>;
  /** A byte stream of one file (WebDataset shards: never buffered whole). */
  stream(path: string): AsyncIterable<Uint8Array>;
  exists(path: string): Promise<boolean>;
  /** Relative paths of the files directly under the root whose names start with `prefix`. */
  list(prefix: string): Promise<string[]>;
}

export async function readText(reader: ExportReader, path: string): Promise<string> {
  return (await reader.readBytes(path)).toString("utf8");
}

/** `s3://bucket/prefix` → S3; anything else is a local directory. */
export function openExportReader(location: string): ExportReader {
  return location.startsWith("s3://") ? S3ExportReader.fromUrl(location) : new LocalExportReader(location);
}
