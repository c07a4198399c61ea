import { describe, expect, it } from "vitest";
import { encodeVarint, ProtoWriter } from "./protobuf.ts";

const hex = (b: Uint8Array) => Buffer.from(b).toString("hex");

describe("protobuf encoder", () => {
  it("writes varints as protobuf does (7 bits a byte, low first; negatives as 10-byte two's complement)", () => {
    expect(hex(encodeVarint(0))).toBe("00");
    expect(hex(encodeVarint(1))).toBe("01");
    expect(hex(encodeVarint(300))).toBe("ac02");
    expect(hex(encodeVarint(2 ** 35))).toBe("808080808001");
    expect(hex(encodeVarint(-1))).toBe("ffffffffffffffffff01");
  });

  it("keys each field with its number and wire type", () => {
    // The protobuf documentation's examples: field 1 = 150 → 08 96 01; field 2 = "testing" → 12 07 74 65 …
    expect(hex(new ProtoWriter().varint(1, 150).finish())).toBe("089601");
    expect(hex(new ProtoWriter().string(2, "testing").finish())).toBe("120774657374696e67");
    // fixed32 float, little-endian: 1.5 = 0x3fc00000
    expect(hex(new ProtoWriter().float(2, 1.5).finish())).toBe("150000c03f");
  });

  it("embeds sub-messages and packed repeated fields length-delimited", () => {
    const inner = new ProtoWriter().varint(1, 150);
    expect(hex(new ProtoWriter().message(3, inner).finish())).toBe("1a03089601");
    // The documentation's packed example: field 4 = [3, 270, 86942] → 22 06 03 8e 02 9e a7 05
    expect(hex(new ProtoWriter().packedVarints(4, [3, 270, 86942]).finish())).toBe("2206038e029ea705");
    expect(hex(new ProtoWriter().packedVarints(4, []).finish())).toBe("2200");
  });

  it("uses field numbers above 15 with a two-byte key", () => {
    // AttributeProto.type is field 20: key (20 << 3) | 0 = 160 → a0 01
    expect(hex(new ProtoWriter().varint(20, 7).finish())).toBe("a00107");
  });
});
