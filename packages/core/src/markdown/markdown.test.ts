import { describe, expect, it } from "vitest";
import {
  type MarkdownBlock,
  type MarkdownInline,
  parseMarkdown,
  parseMarkdownInline,
  safeMarkdownHref,
} from "./markdown.ts";

const text = (t: string): MarkdownInline => ({ type: "text", text: t });

/** Every link's href anywhere in the tree. */
function hrefs(blocks: MarkdownBlock[]): string[] {
  const out: string[] = [];
  const walk = (nodes: MarkdownInline[]) => {
    for (const n of nodes) {
      if (n.type === "link") out.push(n.href);
      if ("children" in n) walk(n.children);
    }
  };
  for (const b of blocks) {
    if (b.type === "list") b.items.forEach(walk);
    else if (b.type !== "code") walk(b.children);
  }
  return out;
}

describe("parseMarkdown: blocks", () => {
  it("reads headings, paragraphs, lists and fenced code", () => {
    const blocks = parseMarkdown(
      [
        "# Rules",
        "",
        "Submit **five** guesses.",
        "One per line.",
        "",
        "## Quotas ##",
        "- 5 a day",
        "- 100 in all",
        "  per team",
        "",
        "3. first",
        "4) second",
        "",
        "```text",
        "n01440764 1 tench",
        "# not a heading",
        "```",
        "#### deep",
      ].join("\n"),
    );
    expect(blocks).toEqual([
      { type: "heading", level: 1, children: [text("Rules")] },
      {
        type: "paragraph",
        children: [
          text("Submit "),
          { type: "strong", children: [text("five")] },
          text(" guesses."),
          { type: "break" },
          text("One per line."),
        ],
      },
      { type: "heading", level: 2, children: [text("Quotas")] },
      {
        type: "list",
        ordered: false,
        start: 1,
        items: [[text("5 a day")], [text("100 in all"), { type: "break" }, text("per team")]],
      },
      { type: "list", ordered: true, start: 3, items: [[text("first")], [text("second")]] },
      { type: "code", lang: "text", text: "n01440764 1 tench\n# not a heading" },
      { type: "heading", level: 3, children: [text("deep")] },
    ]);
  });

  it("keeps a list across blank lines between its items, and ends it at another kind of list", () => {
    const blocks = parseMarkdown("- a\n\n- b\n1. c\n\nafter");
    expect(blocks.map((b) => b.type)).toEqual(["list", "list", "paragraph"]);
    expect(blocks[0]).toMatchObject({ ordered: false, items: [[text("a")], [text("b")]] });
    expect(blocks[1]).toMatchObject({ ordered: true, start: 1 });
  });

  it("lets a heading or a list interrupt a paragraph, and runs an unclosed fence to the end", () => {
    expect(parseMarkdown("text\n# Title\n- item").map((b) => b.type)).toEqual(["paragraph", "heading", "list"]);
    expect(parseMarkdown("~~~\ncode\n```\nmore")).toEqual([{ type: "code", lang: null, text: "code\n```\nmore" }]);
  });

  it("reads CRLF line ends, and an empty text as no blocks", () => {
    expect(parseMarkdown("a\r\nb\r\n\r\nc")).toEqual([
      { type: "paragraph", children: [text("a"), { type: "break" }, text("b")] },
      { type: "paragraph", children: [text("c")] },
    ]);
    expect(parseMarkdown("")).toEqual([]);
    expect(parseMarkdown("\n  \n")).toEqual([]);
  });

  it("does not take #hashtag, **bold** or --- for a heading or a list", () => {
    expect(parseMarkdown("#hashtag")).toEqual([{ type: "paragraph", children: [text("#hashtag")] }]);
    expect(parseMarkdown("**bold** start")[0]?.type).toBe("paragraph");
    expect(parseMarkdown("---")).toEqual([{ type: "paragraph", children: [text("---")] }]);
  });
});

describe("parseMarkdownInline", () => {
  it("reads emphasis, nested emphasis and code", () => {
    expect(parseMarkdownInline("*a **b** c*")).toEqual([
      { type: "em", children: [text("a "), { type: "strong", children: [text("b")] }, text(" c")] },
    ]);
    expect(parseMarkdownInline("***both***")).toEqual([
      { type: "strong", children: [{ type: "em", children: [text("both")] }] },
    ]);
    expect(parseMarkdownInline("use `top-5 *error*` here")).toEqual([
      text("use "),
      { type: "code", text: "top-5 *error*" },
      text(" here"),
    ]);
    expect(parseMarkdownInline("``a ` b``")).toEqual([{ type: "code", text: "a ` b" }]);
  });

  it("leaves unmatched or spaced delimiters and escapes as text", () => {
    expect(parseMarkdownInline("2 * 3 * 4")).toEqual([text("2 * 3 * 4")]);
    expect(parseMarkdownInline("**open")).toEqual([text("**open")]);
    expect(parseMarkdownInline("`open")).toEqual([text("`open")]);
    expect(parseMarkdownInline("\\*not em\\*")).toEqual([text("*not em*")]);
    expect(parseMarkdownInline("a\\b")).toEqual([text("a\\b")]);
    expect(parseMarkdownInline("n01440764_train *x")).toEqual([text("n01440764_train *x")]);
  });

  it("links http(s), mailto and relative URLs, with their label's emphasis", () => {
    expect(parseMarkdownInline("see [the **devkit**](https://example.org/devkit_(2012)).")).toEqual([
      text("see "),
      {
        type: "link",
        href: "https://example.org/devkit_(2012)",
        children: [text("the "), { type: "strong", children: [text("devkit")] }],
      },
      text("."),
    ]);
    expect(hrefs(parseMarkdown("[a](/datasets/3) [b](mailto:host@example.org) [c](#rules) [d](HTTP://X.ORG)"))).toEqual(
      ["/datasets/3", "mailto:host@example.org", "#rules", "HTTP://X.ORG"],
    );
  });

  it("does not nest links, and a bracket without a URL is text", () => {
    expect(parseMarkdownInline("[[a](/x)](/y)")).toEqual([{ type: "link", href: "/y", children: [text("[a](/x)")] }]);
    expect(parseMarkdownInline("[a] (b) [c]")).toEqual([text("[a] (b) [c]")]);
    expect(parseMarkdownInline("[a](b c)")).toEqual([text("[a](b c)")]);
  });
});

describe("inert by construction", () => {
  it("keeps raw HTML as text", () => {
    const blocks = parseMarkdown('<script>alert(1)</script>\n\n<img src=x onerror="alert(1)">');
    expect(blocks).toEqual([
      { type: "paragraph", children: [text("<script>alert(1)</script>")] },
      { type: "paragraph", children: [text('<img src=x onerror="alert(1)">')] },
    ]);
  });

  it("writes a link with any other scheme as the text it was", () => {
    for (const source of [
      "[x](javascript:alert(1))",
      "[x](JavaScript:alert(1))",
      "[x](data:text/html;base64,PHNjcmlwdD4=)",
      "[x](vbscript:msgbox)",
      "[x](<javascript:alert(1)>)",
    ]) {
      const blocks = parseMarkdown(source);
      expect(hrefs(blocks)).toEqual([]);
      expect(blocks).toEqual([{ type: "paragraph", children: [text(source)] }]);
    }
  });

  it("refuses URLs a browser would read another way (tabs, newlines, controls inside the scheme)", () => {
    expect(safeMarkdownHref("java\tscript:alert(1)")).toBeNull();
    expect(safeMarkdownHref("java\nscript:alert(1)")).toBeNull();
    expect(safeMarkdownHref("\u0001javascript:alert(1)")).toBeNull();
    expect(safeMarkdownHref("javascript\u0085:alert(1)")).toBeNull();
    expect(safeMarkdownHref("")).toBeNull();
    expect(safeMarkdownHref(`https://x.org/${"a".repeat(3000)}`)).toBeNull();
    expect(safeMarkdownHref("https://x.org/a?b=c#d")).toBe("https://x.org/a?b=c#d");
    expect(safeMarkdownHref("../rules")).toBe("../rules");
    expect(safeMarkdownHref("javascript&colon;alert(1)")).toBe("javascript&colon;alert(1)"); // a relative path, as text
  });
});

describe("cost", () => {
  // A naive parser rescans the rest of the text for each opener: minutes for these (the test's time-out fails it).
  it("parses pathological delimiter runs of a 100,000-character text", () => {
    for (const source of [
      "*a ".repeat(33_000),
      "**a ".repeat(25_000),
      "`` a ".repeat(20_000),
      "[a](".repeat(25_000),
      "[".repeat(100_000),
      `${"*a ".repeat(8)}${"*".repeat(100_000)}`,
    ]) {
      const blocks = parseMarkdown(source);
      expect(blocks).toHaveLength(1);
      expect(blocks[0]?.type).toBe("paragraph");
    }
  });
});
