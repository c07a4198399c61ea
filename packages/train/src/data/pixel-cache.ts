import type { RawImage } from "./augment.ts";

/**
 * Decoded pixels kept across epochs, up to a byte budget. CIFAR-10's 50k 32×32 images are 150 MB decoded,
 * so the whole train split fits in the default budget and every epoch after the first skips JPEG decoding.
 * Larger images (ImageNet-sized: ~0.5 MB each decoded) would not fit, and then the cache simply fills up
 * and stops admitting: with a fresh random order every epoch there is no recency to exploit, so eviction
 * (LRU or otherwise) would only churn.
 */
export class PixelCache {
  private readonly map = new Map<string, RawImage>();
  private used = 0;
  constructor(readonly budgetBytes: number) {}

  get(key: string): RawImage | undefined {
    return this.map.get(key);
  }

  /** Whether new entries are still admitted (lets the loader skip sending pixels back from workers). */
  get admitting(): boolean {
    return this.used < this.budgetBytes;
  }

  put(key: string, img: RawImage): void {
    if (this.map.has(key) || this.used + img.data.byteLength > this.budgetBytes) return;
    this.map.set(key, img);
    this.used += img.data.byteLength;
  }

  get bytes(): number {
    return this.used;
  }

  get size(): number {
    return this.map.size;
  }
}
