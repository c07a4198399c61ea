import type { Metadata } from "next";
import Link from "next/link";
import { DatasetForm } from "@/components/datasets/dataset-form";
import { authorizePage } from "@/server/auth";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "New dataset version" };

export default async function NewDatasetPage() {
  await authorizePage("/datasets", "/datasets/new");
  return (
    <div className="stack">
      <div>
        <Link href="/datasets">← Datasets</Link>
        <h1>New dataset version</h1>
        <p className="muted" style={{ margin: 0 }}>
          Choose classes, which labels count and how to split. Freezing stores the exact list of images, each with one
          class and one split; near-duplicates always land in the same split. A name already in use gets its next
          version.
        </p>
      </div>
      <section className="panel">
        <DatasetForm />
      </section>
    </div>
  );
}
