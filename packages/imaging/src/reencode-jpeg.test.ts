import sharp from "sharp";
import { describe, expect, it } from "vitest";
import { reencodeJpeg, sizeForShortSide } from "./reencode-jpeg.ts";

/** A noisy test picture (noise, so that quality changes the size of the JPEG). */
async function picture(width: number, height: number, orientation?: number): Promise<Buffer> {
  const pixels = Buffer.alloc(width * height * 3);
  for (let i = 0; i < pixels.length; i++) pixels[i] = (i * 2654435761) >>> 24;
  const image = sharp(pixels, { raw: { width, height, channels: 3 } }).jpeg({ quality: 95 });
  return (orientation ? image.withMetadata({ orientation }) : image).toBuffer();
}

describe("sizeForShortSide", () => {
  it("sets the shorter side and keeps the aspect ratio, rounded", () => {
    expect(sizeForShortSide({ width: 500, height: 375 }, 224)).toEqual({ width: 299, height: 224 });
    expect(sizeForShortSide({ width: 375, height: 500 }, 224)).toEqual({ width: 224, height: 299 });
    expect(sizeForShortSide({ width: 64, height: 64 }, 32)).toEqual({ width: 32, height: 32 });
    expect(sizeForShortSide({ width: 10, height: 20 }, 40)).toEqual({ width: 40, height: 80 });
  });
});

describe("reencodeJpeg", () => {
  it("writes a JPEG of exactly sizeForShortSide, upright, with 4:2:0 chroma and no metadata", async () => {
    for (const [width, height] of [
      [300, 200],
      [200, 300],
      [64, 64],
    ] as const) {
      const out = await reencodeJpeg(await picture(width, height), { shortSide: 100, quality: 90 });
      const meta = await sharp(out).metadata();
      expect({ format: meta.format, width: meta.width, height: meta.height }).toEqual({
        format: "jpeg",
        ...sizeForShortSide({ width, height }, 100),
      });
      expect(meta.chromaSubsampling).toBe("4:2:0");
      expect(meta.exif).toBeUndefined();
    }
  });

  it("applies the EXIF orientation first: stored 300×200, displayed 200×300", async () => {
    const stored = await picture(300, 200, 6);
    expect((await sharp(stored).metadata()).orientation).toBe(6);
    const meta = await sharp(await reencodeJpeg(stored, { shortSide: 100, quality: 90 })).metadata();
    expect({ width: meta.width, height: meta.height, orientation: meta.orientation }).toEqual({
      width: 100,
      height: 150,
      orientation: undefined,
    });
  });

  it("is deterministic, and follows the quality", async () => {
    const bytes = await picture(300, 200);
    const a = await reencodeJpeg(bytes, { shortSide: 120, quality: 90 });
    expect((await reencodeJpeg(bytes, { shortSide: 120, quality: 90 })).equals(a)).toBe(true);
    const low = await reencodeJpeg(bytes, { shortSide: 120, quality: 20 });
    expect(low.length).toBeLessThan(a.length);
  });

  it("refuses bytes that are not an image", async () => {
    await expect(reencodeJpeg(Buffer.from("not an image"), { shortSide: 100, quality: 90 })).rejects.toThrow();
  });
});
