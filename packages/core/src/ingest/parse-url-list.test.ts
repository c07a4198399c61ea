import { describe, expect, it } from "vitest";
import { parseUrlList } from "./parse-url-list.ts";

describe("parseUrlList", () => {
  it("reads CSV and TSV, skipping a header and blank lines", () => {
    expect(parseUrlList("url,wnid\nhttp://a.test/1.jpg,n02084071\n\nhttps://b.test/2.png\tn02121808\n")).toEqual([
      { line: 2, url: "http://a.test/1.jpg", wnid: "n02084071" },
      { line: 4, url: "https://b.test/2.png", wnid: "n02121808" },
    ]);
  });

  it("returns bad lines as problems instead of failing the whole list", () => {
    const entries = parseUrlList(
      "ftp://x/1.jpg,n02084071\nnot a url,n02084071\nhttp://x/1.jpg,dog\nhttp://x/1.jpg\nhttp://x/2.jpg,n02084071,extra",
    );
    expect(entries.map((e) => ("problem" in e ? e.problem : "ok"))).toEqual([
      "only http and https URLs are fetched, not ftp:",
      '"not a url" is not a URL',
      '"dog" is not a wnid (n + 8 digits)',
      "expected two columns: url,wnid",
      "expected two columns: url,wnid",
    ]);
  });
});
