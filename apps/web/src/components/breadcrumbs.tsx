import Link from "next/link";
import { Fragment } from "react";

/** One is-a path from entity down to the current synset. */
export function Breadcrumbs({ path, lemmasOf }: { path: string[]; lemmasOf: (wnid: string) => string }) {
  return (
    <nav className="crumbs" aria-label="Path to the root">
      {path.map((wnid, i) => (
        <Fragment key={wnid}>
          {i > 0 && <span className="sep">›</span>}
          {i === path.length - 1 ? (
            <span aria-current="page">{lemmasOf(wnid)}</span>
          ) : (
            <Link href={`/synsets/${wnid}`}>{lemmasOf(wnid)}</Link>
          )}
        </Fragment>
      ))}
    </nav>
  );
}
