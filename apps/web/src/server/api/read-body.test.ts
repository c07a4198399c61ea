import { UseCaseError } from "@arbor/usecases";
import { describe, expect, it } from "vitest";
import { jsonDepth, readBytes, readJson } from "./read-body";

const post = (body: BodyInit, headers: Record<string, string> = {}) =>
  new Request("http://x/", { method: "POST", body, headers, duplex: "half" } as RequestInit);

async function kindOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
    return "ok";
  } catch (error) {
    return error instanceof UseCaseError ? error.kind : "other";
  }
}

describe("reading request bodies", () => {
  it("measures JSON nesting, ignoring brackets inside strings", () => {
    expect(jsonDepth("1")).toBe(0);
    expect(jsonDepth('{"a":[1,{"b":2}]}')).toBe(3);
    expect(jsonDepth('{"a":"[[[[\\"{{{"}')).toBe(1);
    expect(jsonDepth("[".repeat(5000) + "]".repeat(5000))).toBe(5000);
  });

  it("refuses a body nested too deep, and malformed JSON, as invalid", async () => {
    expect(await kindOf(readJson(post(`${'{"a":'.repeat(100)}1${"}".repeat(100)}`), 1 << 20))).toBe("invalid");
    expect(await kindOf(readJson(post("{nope"), 1 << 20))).toBe("invalid");
    expect(await readJson(post('{"a":[1]}'), 1 << 20)).toEqual({ a: [1] });
  });

  it("refuses a body over the cap, whether declared or streamed", async () => {
    expect(await kindOf(readBytes(post("x".repeat(100), { "content-length": "100" }), 10))).toBe("too-large");
    const stream = new ReadableStream({
      start(controller) {
        for (let i = 0; i < 10; i++) controller.enqueue(new Uint8Array(1000));
        controller.close();
      },
    });
    expect(await kindOf(readBytes(post(stream), 5000))).toBe("too-large");
    expect((await readBytes(post("hello"), 10)).toString()).toBe("hello");
  });
});
