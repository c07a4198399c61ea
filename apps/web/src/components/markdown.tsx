import type { MarkdownBlock, MarkdownInline } from "@arbor/core";
import { Fragment, type ReactNode } from "react";

/**
 * Markdown someone else wrote (a challenge's rules), as elements: the parser's tree mapped node by node, so
 * its text is always text (React escapes it) and a link's href is one the parser let through (http(s),
 * mailto, relative). No HTML is ever passed through. Headings start at h3: the page has its h1 and the
 * section its h2.
 *
 * It takes the parsed tree (`parseMarkdown` of `@arbor/core`, called by the page) rather than the text, so
 * that components import no server package's code (browser-code.test.ts).
 */
export function Markdown({ blocks, className = "markdown" }: { blocks: MarkdownBlock[]; className?: string }) {
  return <div className={className}>{each(blocks, block)}</div>;
}

/** The tree has no ids and never reorders: a node's position is its identity. */
function each<T>(nodes: T[], render: (node: T) => ReactNode): ReactNode[] {
  // biome-ignore lint/suspicious/noArrayIndexKey: positional (see above)
  return nodes.map((node, i) => <Fragment key={i}>{render(node)}</Fragment>);
}

function block(node: MarkdownBlock): ReactNode {
  switch (node.type) {
    case "heading": {
      const content = each(node.children, inline);
      if (node.level === 1) return <h3>{content}</h3>;
      if (node.level === 2) return <h4>{content}</h4>;
      return <h5>{content}</h5>;
    }
    case "paragraph":
      return <p>{each(node.children, inline)}</p>;
    case "list": {
      const items = each(node.items, (item) => <li>{each(item, inline)}</li>);
      return node.ordered ? <ol start={node.start === 1 ? undefined : node.start}>{items}</ol> : <ul>{items}</ul>;
    }
    case "code":
      return (
        <pre>
          <code data-lang={node.lang ?? undefined}>{node.text}</code>
        </pre>
      );
  }
}

function inline(node: MarkdownInline): ReactNode {
  switch (node.type) {
    case "text":
      return node.text;
    case "strong":
      return <strong>{each(node.children, inline)}</strong>;
    case "em":
      return <em>{each(node.children, inline)}</em>;
    case "code":
      return <code>{node.text}</code>;
    case "break":
      return <br />;
    case "link":
      return (
        <a href={node.href} rel="nofollow noopener noreferrer">
          {each(node.children, inline)}
        </a>
      );
  }
}
