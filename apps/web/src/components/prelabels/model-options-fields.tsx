"use client";

import type { ModelSummary } from "@arbor/usecases";
import { useState } from "react";
import { AUTO_ACCEPT_MIN_SEED, ORDERING_LABEL, percent, WITHOUT_GUESS_SHARE } from "./prelabels-format";

export type ModelChoice = Pick<ModelSummary, "id" | "name" | "classCount" | "predictions">;

/**
 * The new-campaign form's optional model section (read back by campaignModelOptions): a model from the
 * registry, the ordering, auto-accept with its audit share, and whether annotators see the model's guess.
 * The fields beyond the picker stay hidden (but mounted, keeping what was typed) while no model is chosen.
 */
export function ModelOptionsFields({ models, seedSize }: { models: readonly ModelChoice[]; seedSize: number }) {
  const [modelId, setModelId] = useState("");
  const [autoAccept, setAutoAccept] = useState(false);
  const none = modelId === "";
  return (
    <fieldset className="model-options">
      <legend>Model (optional)</legend>
      <label>
        Model giving priors
        <select name="modelId" value={modelId} onChange={(e) => setModelId(e.target.value)}>
          <option value="">none: every image starts from the synset's base rate</option>
          {models.map((m) => (
            <option key={m.id} value={m.id}>
              {m.name} (#{m.id}, {m.classCount} classes, {m.predictions} predictions)
            </option>
          ))}
        </select>
        {models.length === 0 && (
          <span className="muted small">No model is registered yet: a trainer pushes one with its predictions.</span>
        )}
      </label>
      <p className="muted small" hidden={none}>
        The model's scores are calibrated on the random seed set; every later image then starts from its calibrated
        prior instead of the synset's base rate, so an image the model is sure about needs fewer votes. The model needs
        a class at the synset or below it.
      </p>
      <label hidden={none}>
        Ordering (after the seed set)
        <select name="ordering" defaultValue="random">
          {Object.entries(ORDERING_LABEL).map(([value, label]) => (
            <option key={value} value={value}>
              {label}
            </option>
          ))}
        </select>
      </label>
      <label className="check" hidden={none}>
        <input
          type="checkbox"
          name="autoAccept"
          checked={autoAccept}
          onChange={(e) => setAutoAccept(e.target.checked)}
        />
        Auto-accept: verify without votes the images whose prior clears a threshold chosen on the seed set
      </label>
      <div className="row" hidden={none || !autoAccept}>
        <label>
          Audit share
          <input type="number" name="auditFraction" defaultValue={0.05} min={0.01} max={0.5} step={0.01} />
        </label>
        <span className="muted small">
          of the images auto-accept would take still go to annotators; when their precision falls below the target,
          auto-accept switches itself off.
        </span>
      </div>
      {!none && autoAccept && seedSize < AUTO_ACCEPT_MIN_SEED && (
        <p className="callout small" role="status">
          The threshold is chosen on at least {AUTO_ACCEPT_MIN_SEED} human-decided seed images (so that the 95 % lower
          bound of precision above it meets the target); with {seedSize} seed images none will be, and auto-accept stays
          off. Raise Seed images to {AUTO_ACCEPT_MIN_SEED} or more.
        </p>
      )}
      <label className="check" hidden={none}>
        <input type="checkbox" name="showModelGuess" />
        Show the model's guess to annotators
      </label>
      <p className="muted small" hidden={none}>
        A guess biases votes, so it is off by default. When on, a random {percent(WITHOUT_GUESS_SHARE)} of tasks go
        without it, to measure the anchoring effect (the campaign page compares their yes rates) and keep votes saved
        unbiased.
      </p>
    </fieldset>
  );
}
