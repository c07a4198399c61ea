"use client";

import type { SynsetChild, SynsetChildren } from "@arbor/usecases";
import Link from "next/link";
import { useEffect, useRef, useState } from "react";
import { apiGet } from "../api-client";
import { formatCount } from "../format";

type Node = Pick<SynsetChild, "wnid" | "lemmas" | "kind" | "childCount" | "subtreeSize" | "counts">;

async function fetchChildren(wnid: string): Promise<Node[]> {
  return (await apiGet<SynsetChildren>(`/api/v1/synsets/${wnid}/children`)).children;
}

/**
 * The hierarchy as a lazily expanding tree: children are fetched when a node opens. `openPath` (root
 * first) opens the nodes along it, so a synset page can link to itself "in the tree". Built as nested
 * lists with disclosure buttons (aria-expanded), which keyboards and screen readers handle natively.
 */
export function SynsetTree({ root, openPath = [] }: { root: Node; openPath?: string[] }) {
  return (
    <nav aria-label="WordNet noun hierarchy">
      <ul className="tree">
        <TreeNode node={root} openPath={openPath} depth={0} />
      </ul>
    </nav>
  );
}

function TreeNode({ node, openPath, depth }: { node: Node; openPath: string[]; depth: number }) {
  const onPath = openPath[depth] === node.wnid;
  const isTarget = onPath && depth === openPath.length - 1;
  const [open, setOpen] = useState(depth === 0 || (onPath && !isTarget));
  const [children, setChildren] = useState<Node[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const row = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (isTarget) row.current?.scrollIntoView({ block: "center" });
  }, [isTarget]);

  useEffect(() => {
    if (!open || children) return;
    let cancelled = false;
    fetchChildren(node.wnid).then(
      (loaded) => !cancelled && setChildren(loaded),
      (e: Error) => !cancelled && setError(e.message),
    );
    return () => {
      cancelled = true;
    };
  }, [open, children, node.wnid]);

  const hasChildren = node.childCount > 0;
  const [head, ...synonyms] = node.lemmas;
  return (
    <li data-wnid={node.wnid} data-target={isTarget || undefined}>
      <div ref={row} className={`tree-row${isTarget ? " target" : ""}`}>
        <button
          type="button"
          className="toggle"
          disabled={!hasChildren}
          aria-expanded={hasChildren ? open : undefined}
          aria-label={`${open ? "Collapse" : "Expand"} ${head}`}
          onClick={() => setOpen(!open)}
        >
          {open ? "▾" : "▸"}
        </button>
        <Link href={`/synsets/${node.wnid}`} className="lemma">
          {head}
        </Link>
        {synonyms.length > 0 && <span className="syn">{synonyms.join(", ")}</span>}
        {node.kind === "instance" && <span className="instance">instance</span>}
        <span className="meta">
          <span title="distinct images in this subtree">{formatCount(node.counts.subtreeImages)} img</span>
          <span title="synsets in this subtree">{formatCount(node.subtreeSize)} syn</span>
        </span>
      </div>
      {open && hasChildren && (
        <ul className="tree">
          {error && <li className="muted">{error}</li>}
          {!children && !error && <li className="muted">Loading…</li>}
          {children?.map((child) => (
            <TreeNode key={child.wnid} node={child} openPath={openPath} depth={depth + 1} />
          ))}
        </ul>
      )}
    </li>
  );
}
