/**
 * A small, safe markdown subset for text that people other than its author read (a challenge's rules):
 * headings (# to ###; deeper ones count as ###), paragraphs, bullet and numbered lists, **bold**, *em*,
 * `code`, fenced code blocks, links and line breaks. The answer is a tree, not HTML: a renderer turns it into
 * elements, so raw HTML in the source (`<script>`, `<img onerror>`) can only ever be text. A link keeps its
 * URL only for http(s), mailto or a relative address; any other (javascript:, data:, vbscript:…) stays as the
 * text that was written.
 *
 * Inside a paragraph or a list item every newline is a line break: the text comes from a browser's text box,
 * where a newline is meant.
 */

export type MarkdownInline =
  | { type: "text"; text: string }
  | { type: "strong"; children: MarkdownInline[] }
  | { type: "em"; children: MarkdownInline[] }
  | { type: "code"; text: string }
  | { type: "link"; href: string; children: MarkdownInline[] }
  | { type: "break" };

export type MarkdownBlock =
  | { type: "heading"; level: 1 | 2 | 3; children: MarkdownInline[] }
  | { type: "paragraph"; children: MarkdownInline[] }
  | { type: "list"; ordered: boolean; start: number; items: MarkdownInline[][] }
  | { type: "code"; lang: string | null; text: string };

/** Nested emphasis deeper than this is text (each level rescans its span, so this bounds the work). */
const MAX_DEPTH = 8;
/** A link's URL is at most this long (the search for its closing parenthesis stops there). */
const MAX_URL = 2048;

const FENCE = /^ {0,3}(`{3,}|~{3,})(.*)$/;
const HEADING = /^ {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$/;
const BULLET = /^ {0,3}[-*+][ \t]+(.*)$/;
const NUMBERED = /^ {0,3}(\d{1,9})[.)][ \t]+(.*)$/;
const BLANK = /^[ \t]*$/;

/** The blocks of a markdown text. */
export function parseMarkdown(source: string): MarkdownBlock[] {
  const lines = source.replace(/\r\n?/g, "\n").split("\n");
  const blocks: MarkdownBlock[] = [];
  let i = 0;
  while (i < lines.length) {
    const line = lines[i] as string;
    if (BLANK.test(line)) {
      i++;
      continue;
    }
    const fence = FENCE.exec(line);
    // A backtick fence's info string has no backtick (else it is inline code: ```a``` on one line).
    if (fence && !(fence[1]?.startsWith("`") && fence[2]?.includes("`"))) {
      const marker = fence[1] as string;
      const close = new RegExp(`^ {0,3}${marker[0] === "`" ? "`" : "~"}{${marker.length},}[ \\t]*$`);
      const body: string[] = [];
      i++;
      while (i < lines.length && !close.test(lines[i] as string)) body.push(lines[i++] as string);
      i++; // the closing fence (an unclosed block runs to the end)
      const lang = fence[2]?.trim().split(/\s+/)[0] ?? "";
      blocks.push({ type: "code", lang: lang === "" ? null : lang, text: body.join("\n") });
      continue;
    }
    const heading = HEADING.exec(line);
    if (heading) {
      const level = Math.min(3, (heading[1] as string).length) as 1 | 2 | 3;
      blocks.push({ type: "heading", level, children: parseMarkdownInline(heading[2] ?? "") });
      i++;
      continue;
    }
    const marker = listMarker(line);
    if (marker) {
      const items: string[][] = [[marker.text]];
      i++;
      while (i < lines.length) {
        const next = lines[i] as string;
        if (BLANK.test(next)) {
          // A blank line ends the list unless the next item of the same kind follows it.
          let j = i;
          while (j < lines.length && BLANK.test(lines[j] as string)) j++;
          if (j < lines.length && listMarker(lines[j] as string)?.ordered === marker.ordered) {
            i = j;
            continue;
          }
          break;
        }
        const item = listMarker(next);
        if (item) {
          if (item.ordered !== marker.ordered) break;
          items.push([item.text]);
        } else if (startsBlock(next)) {
          break;
        } else {
          items.at(-1)?.push(next.trim());
        }
        i++;
      }
      blocks.push({
        type: "list",
        ordered: marker.ordered,
        start: marker.start,
        items: items.map((item) => parseMarkdownInline(item.join("\n"))),
      });
      continue;
    }
    const paragraph: string[] = [];
    while (i < lines.length && !BLANK.test(lines[i] as string) && (paragraph.length === 0 || !startsBlock(lines[i]))) {
      paragraph.push((lines[i] as string).trim());
      i++;
    }
    blocks.push({ type: "paragraph", children: parseMarkdownInline(paragraph.join("\n")) });
  }
  return blocks;
}

function listMarker(line: string): { ordered: boolean; start: number; text: string } | null {
  const bullet = BULLET.exec(line);
  if (bullet) return { ordered: false, start: 1, text: (bullet[1] as string).trim() };
  const numbered = NUMBERED.exec(line);
  if (numbered) return { ordered: true, start: Number(numbered[1]), text: (numbered[2] as string).trim() };
  return null;
}

function startsBlock(line: string | undefined): boolean {
  if (line === undefined) return false;
  return FENCE.test(line) || HEADING.test(line) || listMarker(line) !== null;
}

/**
 * The URL a link may point at, or null: http, https and mailto, or a relative address (path, query,
 * fragment). Browsers drop tabs and newlines inside a URL and spaces around it before reading its scheme
 * (`java\tscript:` is javascript:), so a URL with any whitespace or control character is refused outright.
 */
export function safeMarkdownHref(url: string): string | null {
  if (url === "" || url.length > MAX_URL) return null;
  for (const char of url) {
    const code = char.codePointAt(0) as number;
    if (code <= 0x20 || (code >= 0x7f && code <= 0x9f)) return null;
  }
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(url);
  if (scheme === null) return url;
  return ["http", "https", "mailto"].includes((scheme[1] as string).toLowerCase()) ? url : null;
}

/** The inline content of a paragraph, list item or heading. */
export function parseMarkdownInline(text: string): MarkdownInline[] {
  return new InlineParser(text).parse(0, text.length, 0, true);
}

const PUNCTUATION = /[!-/:-@[-`{-~]/;

class InlineParser {
  /** For each closing delimiter and span end: a start from which no closer was found (every later one fails too). */
  private readonly noCloser = new Map<string, number>();

  constructor(private readonly s: string) {}

  parse(start: number, end: number, depth: number, links: boolean): MarkdownInline[] {
    const { s } = this;
    const out: MarkdownInline[] = [];
    let text = "";
    const flush = () => {
      if (text !== "") out.push({ type: "text", text });
      text = "";
    };
    let brackets: Map<number, number> | null = null;
    let i = start;
    while (i < end) {
      const c = s[i] as string;
      if (c === "\\" && i + 1 < end && PUNCTUATION.test(s[i + 1] as string)) {
        text += s[i + 1];
        i += 2;
        continue;
      }
      if (c === "\n") {
        flush();
        out.push({ type: "break" });
        i++;
        continue;
      }
      if (c === "`") {
        let run = 1;
        while (i + run < end && s[i + run] === "`") run++;
        const close = this.findBackticks(i + run, end, run);
        if (close < 0) {
          text += "`".repeat(run);
          i += run;
          continue;
        }
        let code = s.slice(i + run, close).replace(/\n/g, " ");
        if (code.length > 2 && code.startsWith(" ") && code.endsWith(" ") && code.trim() !== "")
          code = code.slice(1, -1);
        flush();
        out.push({ type: "code", text: code });
        i = close + run;
        continue;
      }
      if (c === "*" && depth < MAX_DEPTH) {
        const strong = s[i + 1] === "*";
        const width = strong ? 2 : 1;
        const next = s[i + width];
        if (next !== undefined && i + width < end && !/\s/.test(next)) {
          const close = this.findStars(i + width, end, width);
          if (close >= 0) {
            flush();
            const children = this.parse(i + width, close, depth + 1, links);
            out.push(strong ? { type: "strong", children } : { type: "em", children });
            i = close + width;
            continue;
          }
        }
        text += s.slice(i, i + width);
        i += width;
        continue;
      }
      if (c === "[" && links) {
        brackets ??= this.matchBrackets(start, end);
        const link = this.link(i, end, depth, brackets);
        if (link) {
          flush();
          out.push(...link.nodes);
          i = link.next;
          continue;
        }
      }
      text += c;
      i++;
    }
    flush();
    return out;
  }

  /** `[label](url)` at `i`: a link, or (an unsafe URL) its source as text; null when it is not one. */
  private link(
    i: number,
    end: number,
    depth: number,
    brackets: Map<number, number>,
  ): { nodes: MarkdownInline[]; next: number } | null {
    const { s } = this;
    const close = brackets.get(i) ?? -1;
    if (close < 0 || s[close + 1] !== "(") return null;
    let parens = 1;
    let urlEnd = -1;
    const limit = Math.min(end, close + 3 + MAX_URL);
    for (let j = close + 2; j < limit; j++) {
      const c = s.charCodeAt(j);
      if (c <= 0x20) return null; // a space ends the URL unclosed (titles are not part of the subset)
      if (c === 0x28) parens++;
      else if (c === 0x29 && --parens === 0) {
        urlEnd = j;
        break;
      }
    }
    if (urlEnd < 0) return null;
    let url = s.slice(close + 2, urlEnd);
    if (url.startsWith("<") && url.endsWith(">")) url = url.slice(1, -1);
    const href = safeMarkdownHref(url);
    const next = urlEnd + 1;
    if (href === null) return { nodes: [{ type: "text", text: s.slice(i, next) }], next };
    return { nodes: [{ type: "link", href, children: this.parse(i + 1, close, depth + 1, false) }], next };
  }

  /** Each `[` in [start, end) with its matching `]` (one pass, so unmatched brackets cost nothing more). */
  private matchBrackets(start: number, end: number): Map<number, number> {
    const { s } = this;
    const open: number[] = [];
    const matches = new Map<number, number>();
    for (let j = start; j < end; j++) {
      const c = s[j];
      if (c === "\\") j++;
      else if (c === "[") open.push(j);
      else if (c === "]" && open.length > 0) matches.set(open.pop() as number, j);
    }
    return matches;
  }

  /** The next run of exactly `run` backticks in [from, end), or -1. */
  private findBackticks(from: number, end: number, run: number): number {
    const key = `\`${run}:${end}`;
    if ((this.noCloser.get(key) ?? Number.POSITIVE_INFINITY) <= from) return -1;
    const { s } = this;
    for (let j = from; j < end; j++) {
      if (s[j] !== "`") continue;
      let k = j;
      while (k < end && s[k] === "`") k++;
      if (k - j === run) return j;
      j = k - 1;
    }
    this.noCloser.set(key, from);
    return -1;
  }

  /**
   * The closing `*` (width 1) or `**` (width 2) for an opener ending before `from`: one that follows a
   * non-space, in [from, end). A single `*` skips over `**` pairs, so *a **b** c* nests.
   */
  private findStars(from: number, end: number, width: number): number {
    const key = `*${width}:${end}`;
    if ((this.noCloser.get(key) ?? Number.POSITIVE_INFINITY) <= from) return -1;
    const { s } = this;
    for (let j = from; j < end; j++) {
      const c = s[j];
      if (c === "\\") {
        j++;
        continue;
      }
      if (c === "`") {
        // A code span's stars are its text.
        let run = 1;
        while (j + run < end && s[j + run] === "`") run++;
        const close = this.findBackticks(j + run, end, run);
        j = close < 0 ? j + run - 1 : close + run - 1;
        continue;
      }
      if (c !== "*") continue;
      let k = j;
      while (k < end && s[k] === "*") k++;
      const stars = k - j;
      const afterText = j > from && !/\s/.test(s[j - 1] as string);
      // Of a longer run, the closer is its end: *a **b*** closes the strong span inside first.
      if (afterText && (width === 2 ? stars >= 2 : stars === 1 || stars === 3)) return k - width;
      j = k - 1;
    }
    this.noCloser.set(key, from);
    return -1;
  }
}
