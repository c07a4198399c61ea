import { parseMarkdown } from "@arbor/core";
import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { Markdown } from "./markdown";

const html = (source: string) => renderToStaticMarkup(createElement(Markdown, { blocks: parseMarkdown(source) }));

describe("Markdown", () => {
  it("renders the subset as elements, headings from h3", () => {
    expect(
      html("# Rules\n\nSubmit **five** *ranked* `guesses`.\nOne per line.\n\n- a\n- b\n\n3. c\n\n```\nx < y\n```"),
    ).toBe(
      '<div class="markdown"><h3>Rules</h3>' +
        "<p>Submit <strong>five</strong> <em>ranked</em> <code>guesses</code>.<br/>One per line.</p>" +
        "<ul><li>a</li><li>b</li></ul>" +
        '<ol start="3"><li>c</li></ol>' +
        "<pre><code>x &lt; y</code></pre></div>",
    );
  });

  it("gives links rel=nofollow noopener noreferrer", () => {
    expect(html("[devkit](https://example.org/devkit?a=1&b=2)")).toBe(
      '<div class="markdown"><p><a href="https://example.org/devkit?a=1&amp;b=2" rel="nofollow noopener noreferrer">devkit</a></p></div>',
    );
  });

  it("leaves <script>, javascript: links and <img onerror> inert: escaped text, no element, no href", () => {
    const out = html(
      '<script>alert(1)</script>\n\n[x](javascript:alert(1))\n\n<img src=x onerror="alert(1)">\n\n[y](java\tscript:alert(1))',
    );
    expect(out).not.toMatch(/<script|<img|<a\b|href=/i);
    expect(out).toBe(
      '<div class="markdown"><p>&lt;script&gt;alert(1)&lt;/script&gt;</p>' +
        "<p>[x](javascript:alert(1))</p>" +
        "<p>&lt;img src=x onerror=&quot;alert(1)&quot;&gt;</p>" +
        "<p>[y](java\tscript:alert(1))</p></div>",
    );
  });

  it("keeps HTML inside code and link labels as text too", () => {
    const out = html('`<b onmouseover="x">` [<i>label</i>](/rules)');
    expect(out).toBe(
      '<div class="markdown"><p><code>&lt;b onmouseover=&quot;x&quot;&gt;</code> ' +
        '<a href="/rules" rel="nofollow noopener noreferrer">&lt;i&gt;label&lt;/i&gt;</a></p></div>',
    );
  });
});
