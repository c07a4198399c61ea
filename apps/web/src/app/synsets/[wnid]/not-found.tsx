import Link from "next/link";

export default function SynsetNotFound() {
  return (
    <div className="empty">
      <h1>No such synset</h1>
      <p>
        A wnid is <code>n</code> followed by the 8-digit WordNet 3.0 offset, e.g. <code>n02084071</code> (dog). Try the
        search box, or <Link href="/synsets">browse the hierarchy</Link>.
      </p>
    </div>
  );
}
