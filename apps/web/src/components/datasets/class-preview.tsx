import type { ClassPreview } from "@arbor/usecases";
import Link from "next/link";
import { formatCount, plural } from "../format";
import type { Conflicts } from "./definition-from-form";

export function ConflictList({
  conflicts,
  resolution,
  onResolve,
}: {
  conflicts: Array<{ ancestor: string; descendant: string }>;
  resolution: Conflicts;
  onResolve: (resolution: Conflicts) => void;
}) {
  return (
    <section className="callout" aria-label="Conflicts">
      <p style={{ marginTop: 0 }}>
        <b>{plural(conflicts.length, "ancestor/descendant conflict")}</b>: ILSVRC never has a class that is an ancestor
        of another.{" "}
        {resolution === "report" ? "Choose which side to drop:" : `Resolved: ${resolution.replace("-", " ")}.`}
      </p>
      <ul className="conflicts mono">
        {conflicts.slice(0, 50).map((c) => (
          <li key={`${c.ancestor}>${c.descendant}`}>
            <Link href={`/synsets/${c.ancestor}`}>{c.ancestor}</Link> ⊃{" "}
            <Link href={`/synsets/${c.descendant}`}>{c.descendant}</Link>
          </li>
        ))}
        {conflicts.length > 50 && <li className="muted">… and {formatCount(conflicts.length - 50)} more</li>}
      </ul>
      <div className="row">
        <button type="button" className="button" onClick={() => onResolve("drop-ancestors")}>
          Drop ancestors
        </button>
        <button type="button" className="button" onClick={() => onResolve("drop-descendants")}>
          Drop descendants
        </button>
      </div>
    </section>
  );
}

export function PreviewTable({ preview }: { preview: ClassPreview }) {
  const total = preview.classes.reduce((sum, c) => sum + c.available, 0);
  return (
    <section className="preview" aria-label="Class preview">
      <p style={{ margin: "0 0 0.5rem" }}>
        <b>{plural(preview.classes.length, "class", "classes")}</b>, {plural(total, "usable image")} (before images
        usable for two classes are left out, and caps).
        {preview.droppedForConflicts.length > 0 &&
          ` Dropped for conflicts: ${preview.droppedForConflicts.slice(0, 20).join(", ")}${preview.droppedForConflicts.length > 20 ? "…" : ""}.`}
        {preview.droppedTooFew.length > 0 &&
          ` ${plural(preview.droppedTooFew.length, "class", "classes")} dropped for too few images.`}
        {preview.unknownWnids.length > 0 && ` Not in WordNet 3.0: ${preview.unknownWnids.slice(0, 20).join(", ")}.`}
      </p>
      {preview.classes.length > 0 && (
        <div className="scroll">
          <table className="table">
            <thead>
              <tr>
                <th>wnid</th>
                <th>class</th>
                <th className="num">available</th>
              </tr>
            </thead>
            <tbody>
              {preview.classes.map((c) => (
                <tr key={c.wnid}>
                  <td className="mono">
                    <Link href={`/synsets/${c.wnid}`}>{c.wnid}</Link>
                  </td>
                  <td>{c.lemmas.slice(0, 3).join(", ")}</td>
                  <td className="count num">{formatCount(c.available)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {preview.droppedTooFew.length > 0 && (
        <details>
          <summary className="muted small">Dropped for too few images ({preview.droppedTooFew.length})</summary>
          <p className="mono small">
            {preview.droppedTooFew
              .slice(0, 200)
              .map((d) => `${d.wnid} (${d.available})`)
              .join(", ")}
          </p>
        </details>
      )}
    </section>
  );
}
