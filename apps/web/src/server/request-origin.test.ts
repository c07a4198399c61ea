import { describe, expect, it } from "vitest";
import { requestOrigin } from "./request-origin";

const headers = (entries: Record<string, string>) => new Headers(entries);

describe("requestOrigin (the base of links when ARBOR_PUBLIC_URL is not set)", () => {
  it("takes the host the browser used, not localhost", () => {
    expect(requestOrigin(headers({ host: "gpu-box.lab:3000" }), "http://localhost:3000/api/v1/exports/1/files")).toBe(
      "http://gpu-box.lab:3000",
    );
  });

  it("prefers a proxy's forwarded host and protocol (the first of a list)", () => {
    expect(
      requestOrigin(
        headers({
          host: "127.0.0.1:3000",
          "x-forwarded-host": "arbor.example.org",
          "x-forwarded-proto": "https, http",
        }),
        "http://127.0.0.1:3000/x",
      ),
    ).toBe("https://arbor.example.org");
  });

  it("falls back to the request URL's origin when the headers make no origin", () => {
    const url = "http://10.0.0.5:8080/api/v1/exports/1/files";
    expect(requestOrigin(headers({}), url)).toBe("http://10.0.0.5:8080");
    expect(requestOrigin(headers({ host: "evil.example/path" }), url)).toBe("http://10.0.0.5:8080");
    expect(requestOrigin(headers({ host: "user@evil.example" }), url)).toBe("http://10.0.0.5:8080");
    expect(requestOrigin(headers({ host: "arbor.example", "x-forwarded-proto": "javascript" }), url)).toBe(
      "http://10.0.0.5:8080",
    );
    expect(requestOrigin(headers({}))).toBeUndefined();
  });
});
