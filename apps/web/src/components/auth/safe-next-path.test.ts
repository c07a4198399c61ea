import { describe, expect, it } from "vitest";
import { safeNextPath } from "./safe-next-path";

describe("safeNextPath", () => {
  it("keeps paths on this site, with their query and fragment", () => {
    expect(safeNextPath("/")).toBe("/");
    expect(safeNextPath("/datasets")).toBe("/datasets");
    expect(safeNextPath("/synsets/n02085620")).toBe("/synsets/n02085620");
    expect(safeNextPath("/campaigns/3?tab=queue#top")).toBe("/campaigns/3?tab=queue#top");
    expect(safeNextPath("/search?q=hot%20dog")).toBe("/search?q=hot%20dog");
  });

  it.each([
    ["protocol-relative", "//evil.example/x"],
    ["backslash", "/\\evil.example/x"],
    ["double backslash", "\\\\evil.example"],
    ["encoded backslash (the reported bypass)", "/%5Cevil.example/x"],
    ["lower-case encoded backslash", "/%5cevil.example/x"],
    ["double-encoded backslash", "/%255Cevil.example/x"],
    ["encoded tab (the reported bypass)", "/%09/evil.example"],
    ["tab", "/\t/evil.example"],
    ["leading tab", "\t//evil.example"],
    ["CR LF", "/\r\n/evil.example"],
    ["encoded CR LF", "/%0d%0a/evil.example"],
    ["encoded slashes", "/%2F%2Fevil.example"],
    ["encoded slash after one", "/%2Fevil.example"],
    ["javascript:", "javascript:alert(1)"],
    ["absolute URL", "https://evil.example/"],
    ["scheme-relative with spaces", " //evil.example"],
    ["data:", "data:text/html,<script>alert(1)</script>"],
    ["no leading slash", "evil.example"],
    ["malformed escape", "/%E0%A4%A"],
    ["NUL", "/\u0000//evil.example"],
    ["empty", ""],
  ])("drops %s to /", (_, next) => {
    expect(safeNextPath(next)).toBe("/");
  });

  it("drops what is not a single string", () => {
    expect(safeNextPath(undefined)).toBe("/");
    expect(safeNextPath(["/a", "/b"])).toBe("/");
    expect(safeNextPath(`/${"a".repeat(3000)}`)).toBe("/");
  });
});
