import { getServices, searchSynsets, synsetSearchQuerySchema } from "@arbor/usecases";
import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Search" };

const MATCH_LABEL = { wnid: "wnid", exact: "lemma", prefix: "prefix", gloss: "gloss" } as const;

export default async function SearchPage({ searchParams }: { searchParams: Promise<{ q?: string }> }) {
  const parsed = synsetSearchQuerySchema.safeParse({ q: (await searchParams).q ?? "", limit: 50 });
  if (!parsed.success) {
    return <div className="empty">Type a word, a phrase from a definition, or a wnid such as n02084071.</div>;
  }
  const { items } = await searchSynsets((await getServices()).db, parsed.data);
  // A wnid typed into the box goes straight to its page.
  if (items.length > 0 && items[0]?.match === "wnid") redirect(`/synsets/${items[0].wnid}`);
  return (
    <div className="stack results">
      <h1>
        Results for “{parsed.data.q}” <span className="muted">({items.length})</span>
      </h1>
      {items.length === 0 ? (
        <div className="empty">No synset matches. Try a shorter word or a synonym.</div>
      ) : (
        <div className="panel">
          <ul className="list">
            {items.map((item) => (
              <li key={item.wnid}>
                <Link href={`/synsets/${item.wnid}`}>
                  <b>{item.lemmas[0]}</b>
                </Link>
                {item.lemmas.length > 1 && <span className="muted">, {item.lemmas.slice(1).join(", ")}</span>}
                <span className="match">{MATCH_LABEL[item.match]}</span>
                <span className="chip plain" style={{ float: "right" }}>
                  {item.wnid}
                </span>
                <div className="sub">{item.gloss}</div>
              </li>
            ))}
          </ul>
        </div>
      )}
    </div>
  );
}
