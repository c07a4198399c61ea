/** One thing to ingest: where it is, which synset it belongs to, and how to get its bytes. */
export interface SourceItem {
  /** Path, URL, `upload:<name>` or `s3://bucket/key`: what the run's report names. */
  locator: string;
  /** The item's wnid, or why none could be determined (the item is then skipped). */
  label: { wnid: string } | { problem: string };
  /** Byte size when known without reading (S3 listings), so oversized items are skipped unread. */
  size?: number;
  /** The bytes; rejects with ItemReadError("too-large") rather than reading more than maxBytes. */
  read(maxBytes: number): Promise<Buffer>;
  /** Set when the source already knows the item cannot be ingested (a symlink it may not follow): a skip. */
  skip?: { reason: string; message: string };
}

export interface IngestSource {
  /** Number of items, when the source can tell up front. */
  count(): Promise<number | null>;
  items(): AsyncIterable<SourceItem>;
  /** Called once the run has succeeded (e.g. to delete staged uploads, which a crashed run still needs). */
  cleanup?(): Promise<void>;
  /**
   * After items() was consumed and yielded nothing: why (e.g. "12 entries, none an image file: 12 hidden"),
   * or null when there is nothing to say.
   */
  whyNothing?(): string | null;
}

/** A failure to get an item's bytes (unreadable file, HTTP error, timeout): reported as a skip. */
export class ItemReadError extends Error {
  constructor(
    readonly reason: "read-failed" | "fetch-failed" | "too-large",
    message: string,
  ) {
    super(message);
  }
}
