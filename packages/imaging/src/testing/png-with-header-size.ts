import { crc32 } from "node:zlib";
import sharp from "sharp";

const IHDR_LENGTH_OFFSET = 8; // after the 8-byte PNG signature
const IHDR_TYPE_OFFSET = IHDR_LENGTH_OFFSET + 4;
const IHDR_DATA_OFFSET = IHDR_TYPE_OFFSET + 4;
const IHDR_DATA_LENGTH = 13;
const IHDR_CRC_OFFSET = IHDR_DATA_OFFSET + IHDR_DATA_LENGTH;

/**
 * A tiny, structurally valid PNG whose IHDR claims width×height, for testing decompression-bomb defences
 * without building a real bomb: a 1×1 PNG from sharp with its IHDR dimensions patched and the chunk CRC
 * recomputed, so header parsers accept it. Its IDAT only holds one pixel, so decoding it would fail, but a
 * correct caller never gets that far.
 */
export async function pngWithHeaderSize(width: number, height: number): Promise<Buffer> {
  const png = await sharp({ create: { width: 1, height: 1, channels: 3, background: "#808080" } })
    .png()
    .toBuffer();
  if (png.toString("latin1", IHDR_TYPE_OFFSET, IHDR_DATA_OFFSET) !== "IHDR") throw new Error("IHDR is not first");
  png.writeUInt32BE(width, IHDR_DATA_OFFSET);
  png.writeUInt32BE(height, IHDR_DATA_OFFSET + 4);
  // The CRC covers the chunk type and data, not the length.
  png.writeUInt32BE(crc32(png.subarray(IHDR_TYPE_OFFSET, IHDR_CRC_OFFSET)), IHDR_CRC_OFFSET);
  return png;
}
