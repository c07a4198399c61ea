"use client";

import type { AnnotatorPool, campaignsCreatedSchema } from "@arbor/usecases";
import { useRouter } from "next/navigation";
import { useState } from "react";
import type { z } from "zod";
import { apiPost } from "../api-client";
import { FormError } from "../form-error";
import { type ModelChoice, ModelOptionsFields } from "../prelabels/model-options-fields";
import { campaignModelOptions } from "../prelabels/prelabels-format";
import { useSubmit } from "../use-submit";
import { poolHint } from "./pool-hint";

const DEFAULT_KNOBS = { seedVotes: 10, maxVotes: 10, minVotes: 2, seedSize: 30 };

/**
 * Starts a campaign for a synset (or its whole subtree) with the policy's main knobs, and says, as they
 * change, how many distinct annotators the policy needs and how many there are; optionally a model whose
 * calibrated predictions give each image a prior (ModelOptionsFields).
 */
export function NewCampaignForm({
  pool,
  seedMinimum,
  models,
}: {
  pool: AnnotatorPool;
  seedMinimum: number;
  models: readonly ModelChoice[];
}) {
  const router = useRouter();
  const [knobs, setKnobs] = useState(DEFAULT_KNOBS);
  const hint = poolHint(knobs, pool, seedMinimum);
  const { onSubmit, busy, error } = useSubmit(async (form) => {
    const number = (name: string) => Number(form.get(name));
    const { ids } = await apiPost<z.infer<typeof campaignsCreatedSchema>>("/api/v1/campaigns", {
      wnid: String(form.get("wnid")).trim(),
      subtree: form.has("subtree"),
      policy: {
        target: number("target"),
        minVotes: number("minVotes"),
        maxVotes: number("maxVotes"),
        seedSize: number("seedSize"),
        seedVotes: number("seedVotes"),
        goldRate: number("goldRate"),
        taskSize: number("taskSize"),
        estimator: String(form.get("estimator")),
      },
      model: campaignModelOptions(form),
    });
    router.push(ids.length === 1 ? `/campaigns/${ids[0]}` : "/campaigns");
    router.refresh();
  });
  const field = (name: string, label: string, value: number, step = 1) => (
    <label>
      {label}
      <input type="number" name={name} defaultValue={value} step={step} required />
    </label>
  );
  return (
    <form
      className="form"
      onSubmit={onSubmit}
      onChange={(event) => {
        const input: EventTarget = event.target;
        if (input instanceof HTMLInputElement && input.name in DEFAULT_KNOBS && Number.isFinite(input.valueAsNumber)) {
          setKnobs((previous) => ({ ...previous, [input.name]: input.valueAsNumber }));
        }
      }}
    >
      <div className="row">
        <label style={{ flex: 1 }}>
          Synset
          <input type="text" name="wnid" placeholder="n02084071" pattern="n\d{8}" required />
        </label>
        <label className="row" style={{ alignSelf: "end" }}>
          <input type="checkbox" name="subtree" /> every synset below it with candidates
        </label>
      </div>
      <div className="policy-grid">
        {field("target", "Target confidence", 0.99, 0.001)}
        {field("minVotes", "Min votes", DEFAULT_KNOBS.minVotes)}
        {field("maxVotes", "Max votes", DEFAULT_KNOBS.maxVotes)}
        {field("seedSize", "Seed images", DEFAULT_KNOBS.seedSize)}
        {field("seedVotes", "Votes per seed image", DEFAULT_KNOBS.seedVotes)}
        {field("goldRate", "Gold rate", 0.1, 0.01)}
        {field("taskSize", "Images per task", 12)}
        <label>
          Estimator
          <select name="estimator" defaultValue="adaptive">
            <option value="adaptive">Confidence table</option>
            <option value="dawid-skene">Dawid–Skene</option>
          </select>
        </label>
      </div>
      <ModelOptionsFields models={models} seedSize={knobs.seedSize} />
      <div className={hint.blocked ? "callout small pool-hint-blocked" : "muted small"} aria-live="polite">
        <p className="pool-hint">{hint.needs}</p>
        {hint.consequences.map((line) => (
          <p key={line} className="pool-hint">
            {line}
          </p>
        ))}
      </div>
      <FormError error={error} />
      <div>
        <button type="submit" className="button primary" disabled={busy}>
          Start campaign
        </button>
      </div>
    </form>
  );
}
