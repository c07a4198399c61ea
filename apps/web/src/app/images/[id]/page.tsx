import { getImage, getServices, idParams, listImagePredictions, mayBrowse, parseInput } from "@arbor/usecases";
import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { formatCount } from "@/components/format";
import { currentPrincipal, mayOpen } from "@/server/auth";
import { loadOr404 } from "@/server/page-data";

export const dynamic = "force-dynamic";

type Props = { params: Promise<{ id: string }> };

export const metadata: Metadata = { title: "Image" };

export default async function ImagePage({ params }: Props) {
  const { id } = await params;
  const principal = await currentPrincipal().catch(() => null);
  // ARBOR_PUBLIC_BROWSE off: images are for signed-in users.
  if (!mayBrowse(principal)) redirect(`/login?next=${encodeURIComponent(`/images/${id}`)}`);
  const { db } = await getServices();
  // What this caller may see: a restricted image's labels only for admins and its owner, no states for annotators.
  const image = await loadOr404(async () => getImage(db, parseInput(idParams("image"), { id }).id, principal));
  const predictions = await listImagePredictions(db, image.id, principal);
  // A restricted image (labels withheld from this caller) comes without its sha256, sources and neighbours.
  const restricted = image.sha256 === null;
  // The image is public; the model pages are not, so only those who may open them get links.
  const linkModels = mayOpen("/models", principal);
  return (
    <div className="stack">
      <h1>Image {image.id}</h1>
      <div className="grid-2">
        <div className="figure panel">
          {/* biome-ignore lint/performance/noImgElement: the original, served immutable by the API */}
          <img
            src={image.originalUrl}
            alt={image.labelsWithheld ? `image ${image.id}` : image.synsets.map((s) => s.lemmas[0]).join(", ")}
            width={image.width}
            height={image.height}
          />
        </div>
        <div className="stack">
          <section className="panel">
            <h2>Synsets</h2>
            {image.labelsWithheld && (
              <p className="muted" role="note">
                {restricted
                  ? "This image is in a split whose labels are withheld (a held-out test set): its labels, sources and neighbours are shown only to admins and the owner of the dataset version."
                  : "Link states are not shown to annotators."}
              </p>
            )}
            <ul className="list">
              {image.synsets.map((s) => (
                <li key={s.wnid}>
                  <Link href={`/synsets/${s.wnid}`} className="grow">
                    {s.lemmas[0]}
                  </Link>
                  <span
                    className={`status status-${s.state === "verified" ? "succeeded" : s.state === "rejected" ? "failed" : "queued"}`}
                  >
                    {s.state}
                  </span>
                </li>
              ))}
            </ul>
          </section>
          {predictions.length > 0 && (
            <section className="panel" aria-label="Model says">
              <h2>Model says</h2>
              <div className="stack model-says">
                {predictions.map((m) => (
                  <div key={m.modelId}>
                    <h3 className="model-name">
                      {linkModels ? <Link href={`/models/${m.modelId}`}>{m.modelName}</Link> : m.modelName}
                    </h3>
                    <ul className="list">
                      {m.predictions.map((p) => (
                        <li key={p.wnid}>
                          <span className="grow">
                            {p.lemmas[0] ?? p.wnid}
                            <Link href={`/synsets/${p.wnid}`} className="sub mono">
                              {p.wnid}
                            </Link>
                          </span>
                          <span className="score" title={`score ${p.score}`}>
                            <span className="score-bar" style={{ width: `${Math.round(p.score * 100)}%` }} />
                          </span>
                          <span className="count">{(p.score * 100).toFixed(1)}%</span>
                        </li>
                      ))}
                    </ul>
                  </div>
                ))}
              </div>
            </section>
          )}
          <section className="panel">
            <h2>Metadata</h2>
            <dl className="kv">
              <dt>size</dt>
              <dd>
                {image.width} × {image.height} px · {image.format} · {formatCount(image.bytes)} bytes
              </dd>
              {image.sha256 !== null && (
                <>
                  <dt>sha256</dt>
                  <dd className="mono">{image.sha256}</dd>
                </>
              )}
              {image.phash !== null && (
                <>
                  <dt>perceptual hash</dt>
                  <dd className="mono">{image.phash}</dd>
                </>
              )}
              <dt>added</dt>
              <dd>{new Date(image.createdAt).toUTCString()}</dd>
              {image.license && (
                <>
                  <dt>licence</dt>
                  <dd>{image.license}</dd>
                </>
              )}
              {image.attribution && (
                <>
                  <dt>attribution</dt>
                  <dd>{image.attribution}</dd>
                </>
              )}
              {image.sources.length > 0 && (
                <>
                  <dt>sources</dt>
                  <dd>
                    {image.sources.map((s, i) => (
                      // biome-ignore lint/suspicious/noArrayIndexKey: without locators (admins only) sources may look alike
                      <div key={i} className="mono">
                        {s.locator === null ? s.kind : `${s.kind}: ${s.locator}`}
                      </div>
                    ))}
                  </dd>
                </>
              )}
            </dl>
          </section>
          {!restricted && (
            <section className="panel">
              <h2>Near duplicates ({image.nearDuplicates.length})</h2>
              {image.nearDuplicates.length === 0 ? (
                <p className="muted">No other image is within the near-duplicate distance.</p>
              ) : (
                <ul className="image-grid">
                  {image.nearDuplicates.map((n) => (
                    <li key={n.id}>
                      <Link href={`/images/${n.id}`} title={`Hamming distance ${n.distance}`}>
                        {/* biome-ignore lint/performance/noImgElement: small immutable thumbnails */}
                        <img src={n.thumbnailUrl} alt={`near duplicate #${n.id}`} loading="lazy" />
                        <span className="state">d = {n.distance}</span>
                      </Link>
                    </li>
                  ))}
                </ul>
              )}
            </section>
          )}
        </div>
      </div>
    </div>
  );
}
