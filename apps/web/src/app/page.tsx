import { getServices, getStats } from "@arbor/usecases";
import Link from "next/link";
import { formatCount } from "@/components/format";

export const dynamic = "force-dynamic";

const AREAS = [
  {
    title: "Browse the hierarchy",
    who: "Everyone",
    text: "All 82,115 WordNet noun synsets as a tree, with image counts per synset and per subtree.",
    href: "/synsets",
  },
  {
    title: "Label images",
    who: "Annotators",
    text: "Verify candidate images for a synset in fast, keyboard-driven tasks with adaptive consensus.",
    href: "/label",
  },
  {
    title: "Curate and ingest",
    who: "Admins",
    text: "Ingest images from folders, URL lists, uploads or S3; deduplicate and review them per synset.",
    href: "/ingest",
  },
  {
    title: "Export datasets",
    who: "Researchers",
    text: "Freeze versions and export stratified, leak-free train/val/test splits as ImageFolder, JSONL or WebDataset.",
    soon: "Arrives with dataset versions",
  },
];

export default async function HomePage() {
  const stats = await getStats((await getServices()).db);
  return (
    <div>
      <section className="hero">
        <h1>Build ImageNet-style datasets.</h1>
        <p>
          Arbor attaches images to the nouns of WordNet, has people verify them, and freezes the result into
          reproducible train/val/test splits — the ImageNet pipeline as one open-source product.
        </p>
        <div className="stats">
          <div className="stat">
            <b>{formatCount(stats.synsets)}</b>
            <span>synsets</span>
          </div>
          <div className="stat">
            <b>{formatCount(stats.edges)}</b>
            <span>is-a edges</span>
          </div>
          <div className="stat">
            <b>{formatCount(stats.images)}</b>
            <span>images</span>
          </div>
        </div>
      </section>
      <section className="cards" aria-label="Areas">
        {AREAS.map((area) =>
          area.href ? (
            <Link key={area.title} href={area.href} className="panel card">
              <span className="chip">{area.who}</span>
              <h3 style={{ marginTop: "0.6rem" }}>{area.title} →</h3>
              <p>{area.text}</p>
            </Link>
          ) : (
            <div key={area.title} className="panel card" aria-disabled="true">
              <span className="chip plain">{area.who}</span>
              <h3 style={{ marginTop: "0.6rem" }}>{area.title}</h3>
              <p>{area.text}</p>
              <span className="soon">{area.soon}</span>
            </div>
          ),
        )}
      </section>
    </div>
  );
}
