import type { DatasetDefinition } from "@arbor/core";
import { type FreezeReport, getDatasetVersion, getServices, idSchema, parseInput, usecasesEnv } from "@arbor/usecases";
import type { Metadata } from "next";
import Link from "next/link";
import { ClassHistogram, SPLIT_COLORS } from "@/components/datasets/class-histogram";
import { VersionDiff } from "@/components/datasets/version-diff";
import { VersionExports } from "@/components/datasets/version-exports";
import { formatCount, plural } from "@/components/format";
import { authorizePage } from "@/server/auth";
import { loadOr404 } from "@/server/page-data";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Dataset version" };

function describeClasses(definition: DatasetDefinition): string {
  const { classes } = definition;
  if (classes.kind === "ilsvrc2012") return "ILSVRC-2012 (1000 classes)";
  if (classes.kind === "subtree")
    return `every synset below ${classes.roots.join(", ")} with at least ${plural(classes.minImages, "image")}`;
  return `${plural(classes.wnids.length, "listed wnid")}`;
}

function describeSplits(definition: DatasetDefinition): string {
  const { splits } = definition;
  if (splits.mode === "fractions") return `fractions: train ${splits.train}, val ${splits.val}, test ${splits.test}`;
  return `per class: ${formatCount(splits.val)} val, ${formatCount(splits.test)} test, the rest train`;
}

export default async function DatasetVersionPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const principal = await authorizePage("/datasets", `/datasets/${id}`);
  const { db } = await getServices();
  const version = await loadOr404(async () =>
    getDatasetVersion(db, parseInput(idSchema("dataset version"), id), principal),
  );
  const { definition, counts, leakage } = version;
  const report = version.report as unknown as Partial<FreezeReport>;
  const total = counts.train + counts.val + counts.test;

  return (
    <div className="stack">
      <div>
        <Link href="/datasets">← Datasets</Link>
        <h1>
          {version.name} <span className="muted">v{version.number}</span>
        </h1>
        <p className="muted" style={{ margin: 0 }}>
          Frozen {new Date(version.createdAt).toLocaleString("en-GB")}
          {version.createdBy && ` by ${version.createdBy}`}
          {definition.description && ` · ${definition.description}`}
        </p>
      </div>

      <section className="facts" aria-label="Totals">
        {(
          [
            ["classes", version.classCount],
            ["images", version.imageCount],
            ["train", counts.train],
            ["val / test", `${formatCount(counts.val)} / ${formatCount(counts.test)}`],
          ] as const
        ).map(([label, value]) => (
          <div key={label} className="panel fact">
            <b>{typeof value === "number" ? formatCount(value) : value}</b>
            <span>{label}</span>
          </div>
        ))}
      </section>

      <div className="grid-3">
        <section className="panel">
          <h2>Definition</h2>
          <dl className="kv">
            <dt>classes</dt>
            <dd>{describeClasses(definition)}</dd>
            <dt>conflicts</dt>
            <dd>{definition.conflicts}</dd>
            <dt>descendants</dt>
            <dd>{definition.includeDescendants ? "included" : "not included"}</dd>
            <dt>labels</dt>
            <dd>{definition.links === "verified" ? "verified" : "verified + candidates"}</dd>
            <dt>per class</dt>
            <dd>
              at least {formatCount(definition.minPerClass)}
              {definition.maxPerClass !== undefined && `, at most ${formatCount(definition.maxPerClass)}`}
            </dd>
            <dt>splits</dt>
            <dd>{describeSplits(definition)}</dd>
            <dt>withheld labels</dt>
            <dd>
              {version.restrictedSplits.length === 0
                ? "none"
                : `${version.restrictedSplits.join(", ")} (only the version's owner and admins see or export them)`}
            </dd>
            <dt>seed</dt>
            <dd className="mono">{definition.seed}</dd>
          </dl>
        </section>

        <section className="panel" aria-label="Leakage">
          <h2>Leakage</h2>
          {leakage.pairs === 0 ? (
            <p className="ok" style={{ margin: 0 }}>
              ✓ No cross-split near-duplicates: near-duplicate images were kept in the same split.
            </p>
          ) : (
            <>
              <p className="error" style={{ marginTop: 0 }}>
                {plural(leakage.pairs, "cross-split near-duplicate pair")} (images ingested after the freeze can be
                near-duplicates of images in another split).
              </p>
              <table className="table">
                <thead>
                  <tr>
                    <th>image</th>
                    <th>near-duplicate</th>
                    <th className="num">distance</th>
                  </tr>
                </thead>
                <tbody>
                  {leakage.examples.map((e) => (
                    <tr key={`${e.a}-${e.b}`}>
                      <td className="mono">
                        {e.a.slice(0, 12)}… · {e.splitA}
                      </td>
                      <td className="mono">
                        {e.b.slice(0, 12)}… · {e.splitB}
                      </td>
                      <td className="count num">{e.distance}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </>
          )}
        </section>

        <section className="panel" aria-label="Freeze report">
          <h2>Freeze report</h2>
          <dl className="kv">
            <dt>conflicts</dt>
            <dd>
              {formatCount(report.conflicts?.length ?? 0)}
              {(report.droppedForConflicts?.length ?? 0) > 0 &&
                `; dropped ${report.droppedForConflicts?.slice(0, 20).join(", ")}${(report.droppedForConflicts?.length ?? 0) > 20 ? "…" : ""}`}
            </dd>
            <dt>too few images</dt>
            <dd>
              {(report.droppedTooFew?.length ?? 0) === 0
                ? "none dropped"
                : report.droppedTooFew
                    ?.slice(0, 20)
                    .map((d) => `${d.wnid} (${d.available})`)
                    .join(", ")}
              {(report.droppedTooFew?.length ?? 0) > 20 && ` … ${report.droppedTooFew?.length} in all`}
            </dd>
            {(report.unknownWnids?.length ?? 0) > 0 && (
              <>
                <dt>unknown wnids</dt>
                <dd className="mono">{report.unknownWnids?.slice(0, 20).join(", ")}</dd>
              </>
            )}
            <dt>multi-class images</dt>
            <dd>{formatCount(report.multiClassImages ?? 0)} left out (usable for more than one class)</dd>
            <dt>capped</dt>
            <dd>{formatCount(report.cappedImages ?? 0)} images beyond the maximum per class</dd>
            <dt>near-duplicate groups</dt>
            <dd>{formatCount(report.nearDuplicateGroups ?? 0)} (each kept within one split)</dd>
          </dl>
        </section>
      </div>

      <section className="panel">
        <h2>Images per class and split</h2>
        {total > 0 && (
          <div className="split-bar" role="img" aria-label="Split proportions">
            {(["train", "val", "test"] as const).map((split) =>
              counts[split] > 0 ? (
                <span
                  key={split}
                  style={{ flex: counts[split], background: SPLIT_COLORS[split] }}
                  title={`${split}: ${formatCount(counts[split])}`}
                >
                  {split} {Math.round((100 * counts[split]) / total)}%
                </span>
              ) : null,
            )}
          </div>
        )}
        <ClassHistogram classes={version.classes} />
      </section>

      <section className="panel">
        <h2>Compare versions</h2>
        <VersionDiff versionId={version.id} name={version.name} number={version.number} versions={version.versions} />
      </section>

      <section className="panel">
        <h2>Exports</h2>
        <VersionExports
          versionId={version.id}
          initial={version.exports}
          exportRoots={usecasesEnv().exportRoots}
          labelsWithheld={version.labelsWithheld}
        />
      </section>
    </div>
  );
}
