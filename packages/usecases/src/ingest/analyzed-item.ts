import type { AnalyzedImage } from "@arbor/imaging";

/** An item that passed analysis and whose synset is known, ready to be written. */
export interface AnalyzedItem {
  locator: string;
  synsetId: number;
  image: AnalyzedImage;
  /** The file's bytes, stored as the original. */
  original: Buffer;
}

/** An item that was not ingested, and why (the run's report). */
export interface SkippedItem {
  locator: string;
  reason: string;
  message: string;
}
