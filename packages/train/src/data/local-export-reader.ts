import { createReadStream } from "node:fs";
import { access, readdir, readFile } from "node:fs/promises";
import path from "node:path";
import type { ExportReader } from "./export-reader.ts";

export class LocalExportReader implements ExportReader {
  readonly location: string;
  constructor(root: string) {
    this.location = path.resolve(root);
  }

  private resolve(rel: string): string {
    const full = path.resolve(this.location, rel);
    // Manifest paths come from a file we did not write: refuse anything that escapes the root.
    if (full !== this.location && !full.startsWith(this.location + path.sep)) {
      throw new Error(`path escapes the export root: ${rel}`);
    }
    return full;
  }

  readBytes(rel: string): Promise<Buffer> {
    return readFile(this.resolve(rel));
  }

  stream(rel: string): AsyncIterable<Uint8Array> {
    return createReadStream(this.resolve(rel), { highWaterMark: 1 << 20 });
  }

  async exists(rel: string): Promise<boolean> {
    try {
      await access(this.resolve(rel));
      return true;
    } catch {
      return false;
    }
  }

  async list(prefix: string): Promise<string[]> {
    const names = await readdir(this.location);
    return names.filter((n) => n.startsWith(prefix)).sort();
  }
}
