import { describe, expect, it } from "vitest";
import { refuseCrossSiteMutation } from "./authorize";

const SITE = "http://arbor.example:3000";
const post = (headers: Record<string, string>, body?: string) =>
  new Request(`${SITE}/api/v1/auth/login`, {
    method: "POST",
    // As they arrive over the wire: a body comes with its length.
    headers: { host: "arbor.example:3000", ...(body ? { "content-length": String(body.length) } : {}), ...headers },
    body,
  });
const refusal = (request: Request) => {
  try {
    refuseCrossSiteMutation(request);
    return "allowed";
  } catch (error) {
    return (error as { kind: string }).kind;
  }
};

describe("refuseCrossSiteMutation (sign-in, setup, sign-out)", () => {
  const json = '{"email":"a@b.c","password":"x"}';

  it("refuses another site's Origin, an opaque one and Sec-Fetch-Site: cross-site", () => {
    expect(refusal(post({ origin: "https://evil.test", "content-type": "text/plain" }, json))).toBe("forbidden");
    expect(refusal(post({ origin: "https://evil.test", "content-type": "application/json" }, json))).toBe("forbidden");
    expect(refusal(post({ origin: "null", "content-type": "application/json" }, json))).toBe("forbidden");
    expect(refusal(post({ "sec-fetch-site": "cross-site", "content-type": "application/json" }, json))).toBe(
      "forbidden",
    );
  });

  it("refuses a body that is not JSON (what a cross-site form or simple fetch can send)", () => {
    for (const type of ["text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", ""]) {
      const headers: Record<string, string> = { origin: SITE };
      if (type) headers["content-type"] = type;
      expect(refusal(post(headers, json)), type).toBe("unsupported-type");
    }
  });

  it("lets this site's JSON, clients without an Origin, bodiless sign-outs and reads through", () => {
    expect(refusal(post({ origin: SITE, "content-type": "application/json; charset=utf-8" }, json))).toBe("allowed");
    expect(refusal(post({ "content-type": "application/json" }, json))).toBe("allowed");
    expect(refusal(post({ origin: SITE, "sec-fetch-site": "same-origin" }))).toBe("allowed");
    expect(refusal(new Request(`${SITE}/api/v1/health`, { headers: { origin: "https://evil.test" } }))).toBe("allowed");
  });
});
