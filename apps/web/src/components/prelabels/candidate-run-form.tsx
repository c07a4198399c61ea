"use client";

import type { RunStarted } from "@arbor/usecases";
import { useRouter } from "next/navigation";
import { apiPost } from "../api-client";
import { FormError } from "../form-error";
import { useSubmit } from "../use-submit";
import type { ModelChoice } from "./model-options-fields";
import { candidateRunBody } from "./prelabels-format";

/**
 * Starts a candidate run: a model proposes candidate links for a synset (or every synset below it) from its
 * predictions, by minimum score, top-k, or both. The run is queued; the page lists it and follows it.
 */
export function CandidateRunForm({ models }: { models: readonly ModelChoice[] }) {
  const router = useRouter();
  const { onSubmit, busy, error } = useSubmit(async (form) => {
    await apiPost<RunStarted>("/api/v1/candidate-runs", candidateRunBody(form));
    router.refresh();
  });
  if (models.length === 0) {
    return (
      <p className="muted">
        No model is registered yet. A trainer registers one and pushes its predictions (
        <code>npx arbor-train predict … --push URL</code>).
      </p>
    );
  }
  return (
    <form className="form" onSubmit={onSubmit}>
      <label>
        Model
        <select name="modelId" required defaultValue={models[0]?.id}>
          {models.map((m) => (
            <option key={m.id} value={m.id}>
              {m.name} (#{m.id}, {m.classCount} classes, {m.predictions} predictions)
            </option>
          ))}
        </select>
      </label>
      <div className="row">
        <label style={{ flex: 1 }}>
          Synset
          <input type="text" name="wnid" placeholder="n02084071" pattern="n\d{8}" required />
        </label>
        <label className="check" style={{ alignSelf: "end" }}>
          <input type="checkbox" name="subtree" /> and every synset below it the model predicts
        </label>
      </div>
      <div className="policy-grid">
        <label>
          Min score
          <input type="number" name="minScore" min={0} max={1} step={0.01} placeholder="0.9" />
        </label>
        <label>
          Top-k
          <input type="number" name="topK" min={1} max={100} step={1} placeholder="1" />
        </label>
      </div>
      <p className="muted small">
        An image is proposed when its score for the synset (or a descendant) is at least the minimum score, or the
        synset (or a descendant) ranks within its k highest-scored predictions; with both, either is enough. Images
        already linked to the synset keep their link as it is; restricted images and images a challenge reserves are
        skipped.
      </p>
      <FormError error={error} />
      <div>
        <button type="submit" className="button primary" disabled={busy}>
          {busy ? "Starting…" : "Propose candidates"}
        </button>
      </div>
    </form>
  );
}
