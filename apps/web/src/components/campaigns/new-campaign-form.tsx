"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";

/** Starts a campaign for a synset (or its whole subtree) with the policy's main knobs. */
export function NewCampaignForm() {
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  const submit = async (form: FormData) => {
    setError(null);
    const number = (name: string) => Number(form.get(name));
    const response = await fetch("/api/v1/campaigns", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
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
      }),
    });
    const body = await response.json();
    if (!response.ok) return setError(body.error?.message ?? `failed (${response.status})`);
    router.push(body.ids.length === 1 ? `/campaigns/${body.ids[0]}` : "/campaigns");
    router.refresh();
  };
  const field = (name: string, label: string, value: number, step = 1) => (
    <label>
      {label}
      <input type="number" name={name} defaultValue={value} step={step} required />
    </label>
  );
  return (
    <form
      className="form"
      // onSubmit, not a form action: React resets a form after its action runs, which would wipe what the
      // user typed when the server refuses it.
      onSubmit={(event) => {
        event.preventDefault();
        void submit(new FormData(event.currentTarget));
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
        {field("minVotes", "Min votes", 2)}
        {field("maxVotes", "Max votes", 10)}
        {field("seedSize", "Seed images", 30)}
        {field("seedVotes", "Votes per seed image", 10)}
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
      {error && <p className="error">{error}</p>}
      <div>
        <button type="submit" className="button primary">
          Start campaign
        </button>
      </div>
    </form>
  );
}
