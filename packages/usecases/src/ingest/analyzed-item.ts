import type { AnalyzedImage, Thumbnail } from "@arbor/imaging";

/**
 * An image whose sha256 is already stored, described by its row: what the batch writes need (its keys, sizes
 * and hash), without the decode that made them. Its thumbnail's bytes are in the blob store already.
 */
export type StoredImage = Omit<AnalyzedImage, "thumbnail"> & { thumbnail: Pick<Thumbnail, "width" | "height"> };

/** An item that passed analysis (or is known bytes) and whose synset is known, ready to be written. */
export type AnalyzedItem = NewItem | KnownItem;

interface ItemBase {
  locator: string;
  synsetId: number;
}

/** Bytes not stored before: decoded, with a thumbnail and the original to store. */
export interface NewItem extends ItemBase {
  image: AnalyzedImage;
  /** The file's bytes, stored as the original. */
  original: Buffer;
}

/**
 * Bytes whose sha256 is already an image: not decoded again (no thumbnail, no perceptual hash) and nothing to
 * store; the batch links the existing image and records the item's source, as for any duplicate.
 */
export interface KnownItem extends ItemBase {
  image: StoredImage;
  original: null;
}

/** An item that was not ingested, and why (the run's report). */
export interface SkippedItem {
  locator: string;
  reason: string;
  message: string;
}
