import { ROOT_WNID, wnidSchema } from "@arbor/core";
import { getServices, getSynset, UseCaseError } from "@arbor/usecases";
import type { Metadata } from "next";
import { SynsetTree } from "@/components/tree/synset-tree";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Hierarchy" };

/** A synset, or null when there is none (the tree opens nothing rather than failing). */
async function synsetOrNull(wnid: string) {
  try {
    return await getSynset((await getServices()).db, wnid);
  } catch (error) {
    if (error instanceof UseCaseError && error.kind === "not-found") return null;
    throw error;
  }
}

export default async function SynsetsPage({ searchParams }: { searchParams: Promise<{ open?: string }> }) {
  const root = await synsetOrNull(ROOT_WNID);
  if (!root) {
    return (
      <div className="empty">
        WordNet is not imported yet. Run <code>npx arbor wordnet import</code>.
      </div>
    );
  }
  const open = wnidSchema.safeParse((await searchParams).open);
  const target = open.success ? await synsetOrNull(open.data) : null;
  return (
    <div className="stack">
      <div>
        <h1>Hierarchy</h1>
        <p className="muted" style={{ margin: 0 }}>
          WordNet 3.0 nouns from <i>entity</i> down. Open a node to load its children; counts are distinct images in
          each subtree.
        </p>
      </div>
      <div className="panel">
        <SynsetTree
          root={{ ...root, kind: "hypernym", childCount: root.children.length }}
          openPath={target?.paths[0] ?? []}
        />
      </div>
    </div>
  );
}
