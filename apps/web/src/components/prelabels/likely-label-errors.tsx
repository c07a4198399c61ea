"use client";

import type { LikelyLabelError, ModelDetail, SentBackForVotes } from "@arbor/usecases";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useEffect, useRef, useState } from "react";
import { apiGet, apiPost } from "../api-client";
import { FormError } from "../form-error";
import { useSubmit } from "../use-submit";
import type { ModelChoice } from "./model-options-fields";
import { percent } from "./prelabels-format";

/** Rows asked for: the most likely errors first, a page an admin can go through (the API allows 1000). */
const LIMIT = 100;

const keyOf = (row: { imageId: number; wnid: string }) => `${row.imageId}:${row.wnid}`;

/**
 * Verified links a model contradicts (confident learning on its out-of-sample predictions), most likely
 * first, each with the model's alternative and a button to send the link back for votes. Only this synset's
 * links when the model has it among its classes (the thresholds still come from all of them), else every
 * class's.
 */
export function LikelyLabelErrors({
  models,
  defaultModelId,
  synset,
}: {
  models: readonly ModelChoice[];
  defaultModelId: number | null;
  synset: { wnid: string; lemma: string };
}) {
  const router = useRouter();
  const [modelId, setModelId] = useState(String(defaultModelId ?? models[0]?.id ?? ""));
  const [onlySynset, setOnlySynset] = useState(true);
  const [hasClass, setHasClass] = useState<boolean | null>(null);
  const [rows, setRows] = useState<LikelyLabelError[] | null>(null);
  const [loadError, setLoadError] = useState<Error | null>(null);
  const [sent, setSent] = useState<ReadonlyMap<string, SentBackForVotes>>(new Map());
  // A model's classes, fetched once per model: whether this synset is one of them decides the filter.
  const classes = useRef(new Map<string, readonly string[]>());
  const { run, pending, error } = useSubmit();

  useEffect(() => {
    if (modelId === "") return;
    const controller = new AbortController();
    const { signal } = controller;
    setRows(null);
    setLoadError(null);
    (async () => {
      let known = classes.current.get(modelId);
      if (!known) {
        known = (await apiGet<ModelDetail>(`/api/v1/models/${modelId}`, { signal })).classes;
        classes.current.set(modelId, known);
      }
      const has = known.includes(synset.wnid);
      setHasClass(has);
      const { items } = await apiGet<{ items: LikelyLabelError[] }>(`/api/v1/models/${modelId}/label-errors`, {
        query: { wnid: has && onlySynset ? synset.wnid : undefined, limit: LIMIT },
        signal,
      });
      setRows(items);
    })().catch((thrown: unknown) => {
      if (!signal.aborted) setLoadError(thrown instanceof Error ? thrown : new Error(String(thrown)));
    });
    return () => controller.abort();
  }, [modelId, onlySynset, synset.wnid]);

  if (models.length === 0) {
    return (
      <p className="muted">
        No model is registered. Likely label errors come from a model&apos;s predictions for images it did not train on.
      </p>
    );
  }
  const sendBack = (row: LikelyLabelError) =>
    run(async () => {
      const answer = await apiPost<SentBackForVotes>("/api/v1/label-errors/send-back", {
        imageId: row.imageId,
        wnid: row.wnid,
      });
      setSent((previous) => new Map(previous).set(keyOf(row), answer));
      router.refresh();
    }, keyOf(row));

  return (
    <div className="stack label-errors">
      <div className="form label-errors-controls">
        <div className="row">
          <label>
            Model
            <select value={modelId} onChange={(e) => setModelId(e.target.value)}>
              {models.map((m) => (
                <option key={m.id} value={m.id}>
                  {m.name} (#{m.id})
                </option>
              ))}
            </select>
          </label>
          <label className="check">
            <input
              type="checkbox"
              checked={onlySynset && hasClass !== false}
              disabled={hasClass === false}
              onChange={(e) => setOnlySynset(e.target.checked)}
            />
            only images verified as {synset.lemma}
          </label>
        </div>
        <p className="muted small">
          {hasClass === false
            ? `${synset.lemma} (${synset.wnid}) is not one of this model's classes: its likely errors among all of its classes. `
            : ""}
          A verified image is listed when the model&apos;s probability of its class is below that class&apos;s threshold
          (the mean probability over the class&apos;s own verified images) while another class is above its own; ranked
          by how far the model prefers the other (Northcutt et al. 2021). Only predictions for images the model did not
          train on count.
        </p>
      </div>
      <FormError error={loadError} />
      <FormError error={error} />
      {rows === null && !loadError && <p className="muted">Loading…</p>}
      {rows?.length === 0 && <p className="muted">No likely label error: the model agrees with the verified labels.</p>}
      {rows && rows.length > 0 && (
        <table className="table label-error-table" aria-label="Likely label errors">
          <thead>
            <tr>
              <th className="num">#</th>
              <th>image</th>
              <th>verified as</th>
              <th>the model says</th>
              <th className="num">margin</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {rows.map((row, index) => {
              const done = sent.get(keyOf(row));
              return (
                <tr key={keyOf(row)}>
                  <td className="count num">{index + 1}</td>
                  <td>
                    <Link href={`/images/${row.imageId}`}>
                      {/* biome-ignore lint/performance/noImgElement: immutable thumbnails */}
                      <img
                        className="label-error-thumb"
                        src={row.thumbnailUrl}
                        alt={`#${row.imageId}`}
                        loading="lazy"
                      />
                    </Link>
                  </td>
                  <td>
                    <Link href={`/synsets/${row.wnid}`}>{row.lemma}</Link>{" "}
                    <span className="count muted">{percent(row.givenProbability, 1)}</span>
                  </td>
                  <td>
                    <Link href={`/synsets/${row.suggestedWnid}`}>{row.suggestedLemma}</Link>{" "}
                    <span className="count">{percent(row.suggestedProbability, 1)}</span>
                  </td>
                  <td className="count num">{row.margin.toFixed(3)}</td>
                  <td>
                    {done ? (
                      <span className="ok small" role="status">
                        {done.campaignId === null ? (
                          "a candidate again: the synset's next campaign takes it"
                        ) : (
                          <>
                            waits for votes in{" "}
                            <Link href={`/campaigns/${done.campaignId}`}>campaign {done.campaignId}</Link>
                          </>
                        )}
                      </span>
                    ) : (
                      <button
                        type="button"
                        className="button small"
                        disabled={pending !== null}
                        onClick={() => void sendBack(row)}
                      >
                        {pending === keyOf(row) ? "Sending…" : "Send back for votes"}
                      </button>
                    )}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
    </div>
  );
}
