import { getServices, getSynset, isAnnotatorOnly, mayBrowse, parseInput, wnidParams } from "@arbor/usecases";
import type { Metadata } from "next";
import Link from "next/link";
import { cache } from "react";
import { Breadcrumbs } from "@/components/breadcrumbs";
import { formatCount, plural } from "@/components/format";
import { SynsetImages } from "@/components/images/synset-images";
import { currentPrincipal } from "@/server/auth";
import { loadOr404 } from "@/server/page-data";

export const dynamic = "force-dynamic";

type Props = { params: Promise<{ wnid: string }> };

/** The synset of the URL; a malformed or unknown wnid is the 404 page (this folder's not-found.tsx). */
const loadSynset = cache(async (wnid: string) =>
  loadOr404(async () => getSynset((await getServices()).db, parseInput(wnidParams, { wnid }).wnid)),
);

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const synset = await loadSynset((await params).wnid);
  return { title: `${synset.lemmas[0]} (${synset.wnid})` };
}

const MAX_PATHS_SHOWN = 3;

export default async function SynsetPage({ params }: Props) {
  const synset = await loadSynset((await params).wnid);
  const principal = await currentPrincipal();
  const canUpload = principal?.roles.includes("admin") ?? false;
  const lemmasOf = (wnid: string) => synset.related[wnid]?.lemmas[0] ?? wnid;
  const [head, ...synonyms] = synset.lemmas;
  const hiddenPaths = synset.paths.length - MAX_PATHS_SHOWN;

  return (
    <div className="stack">
      <div>
        {synset.paths.slice(0, MAX_PATHS_SHOWN).map((path) => (
          <Breadcrumbs key={path.join("/")} path={path} lemmasOf={lemmasOf} />
        ))}
        {hiddenPaths > 0 && <p className="muted">…and {plural(hiddenPaths, "more path")} to the root.</p>}
      </div>

      <section className="panel">
        <div className="synset-title">
          <h1>{head}</h1>
          <span className="chip">{synset.wnid}</span>
          <span className="chip plain">{synset.lexFile}</span>
          <Link href={`/synsets?open=${synset.wnid}`} style={{ marginLeft: "auto", fontSize: "0.9rem" }}>
            Show in tree
          </Link>
        </div>
        {synonyms.length > 0 && <p className="synonyms">{synonyms.join(" · ")}</p>}
        <p className="gloss">{synset.gloss}</p>
      </section>

      <section className="facts" aria-label="Counts">
        <div className="panel fact">
          <b>{formatCount(synset.counts.images)}</b>
          <span>images here</span>
        </div>
        <div className="panel fact">
          <b>{formatCount(synset.counts.subtreeImages)}</b>
          <span>images in subtree</span>
        </div>
        <div className="panel fact">
          <b>{formatCount(synset.subtreeSize)}</b>
          <span>synsets in subtree</span>
        </div>
        <div className="panel fact">
          <b>{synset.depth}</b>
          <span>depth below entity</span>
        </div>
      </section>

      <div className="grid-2">
        <section className="panel">
          <h2>Images</h2>
          {!isAnnotatorOnly(principal) && (
            <p className="muted" style={{ margin: "0 0 0.6rem" }}>
              {formatCount(synset.counts.verified)} verified · {formatCount(synset.counts.candidates)} candidates ·{" "}
              {formatCount(synset.counts.rejected)} rejected here; {formatCount(synset.counts.subtreeVerified)} verified
              in the subtree.
            </p>
          )}
          {mayBrowse(principal) ? (
            <SynsetImages
              wnid={synset.wnid}
              withDescendants={synset.counts.images === 0 && synset.counts.subtreeImages > 0}
              canUpload={canUpload}
              showStates={!isAnnotatorOnly(principal)}
            />
          ) : (
            // ARBOR_PUBLIC_BROWSE off: the hierarchy is public, its images are for signed-in users.
            <p className="empty">
              <Link href={`/login?next=${encodeURIComponent(`/synsets/${synset.wnid}`)}`}>Sign in</Link> to see this
              synset&apos;s images.
            </p>
          )}
        </section>
        <div className="stack">
          <section className="panel">
            <h2>{synset.parents.length === 1 ? "Parent" : "Parents"}</h2>
            {synset.parents.length === 0 ? (
              <p className="muted">The root of the hierarchy.</p>
            ) : (
              <ul className="list">
                {synset.parents.map((wnid) => (
                  <li key={wnid}>
                    <Link href={`/synsets/${wnid}`} className="grow">
                      {lemmasOf(wnid)}
                    </Link>
                    <span className="mono muted">{wnid}</span>
                  </li>
                ))}
              </ul>
            )}
          </section>
          <section className="panel">
            <h2>Children ({formatCount(synset.children.length)})</h2>
            {synset.children.length === 0 ? (
              <p className="muted">A leaf: no narrower synsets.</p>
            ) : (
              <ul className="list" aria-label="Children">
                {synset.children.map((child) => (
                  <li key={child.wnid}>
                    <span className="grow">
                      <Link href={`/synsets/${child.wnid}`}>{child.lemmas[0]}</Link>
                      {child.kind === "instance" && <span className="sub"> · instance</span>}
                    </span>
                    <span className="sub count" title="images in subtree">
                      {formatCount(child.counts.subtreeImages)} img
                    </span>
                  </li>
                ))}
              </ul>
            )}
          </section>
        </div>
      </div>
    </div>
  );
}
