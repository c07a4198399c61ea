import type { CampaignModel, CampaignOrdering, CreateCampaignInput, StartCandidateRunInput } from "@arbor/usecases";

/**
 * Words and request bodies of model-driven pre-labelling (pure, for the pages and their forms; browser code
 * imports `@arbor/*` for types only, so nothing here may need a server module).
 */

/**
 * Human-decided seed images auto-accept needs before it picks a threshold: chooseAutoAcceptThreshold's
 * minPoints in @arbor/core (200, the issue's floor), which browser code cannot import.
 */
export const AUTO_ACCEPT_MIN_SEED = 200;

/** The share of a show-the-guess campaign's tasks served without it (Task.showsModelGuess: 90 % show it). */
export const WITHOUT_GUESS_SHARE = 0.1;

export const ORDERING_LABEL: Record<CampaignOrdering, string> = {
  random: "random",
  uncertain: "most uncertain first",
  likely_positive: "most likely positive first",
};

/** A percentage for people: 0.873 → "87 %", with `digits` decimals. */
export function percent(value: number, digits = 0): string {
  return `${(value * 100).toFixed(digits)} %`;
}

/**
 * The model's guess as annotators see it. Priors are clamped to [0.001, 0.999] (no prior is certain), so
 * rounding must not print 0 % or 100 % either: below 1 % reads "< 1 %", above 99 % "> 99 %".
 */
export function formatGuess(prior: number): string {
  if (prior < 0.01) return "< 1 %";
  if (prior > 0.99) return "> 99 %";
  return percent(prior);
}

export type AutoAcceptTone = "off" | "waiting" | "on" | "no-threshold" | "switched-off";

/**
 * Where a campaign's auto-accept stands, in one line. Off with a reason and a threshold means the audit
 * switched it off (the threshold was chosen, so it had been on): shown as an error, since the admin should
 * look. Off with a reason and no threshold means the seed set could not choose one (too few points, or none
 * reaches the target): it never started. Off without a reason: the campaign did not ask for it.
 */
export function autoAcceptState(autoAccept: CampaignModel["autoAccept"]): { tone: AutoAcceptTone; text: string } {
  const { on, threshold, offReason } = autoAccept;
  if (on && threshold === null) {
    return { tone: "waiting", text: "on: the threshold is chosen when the seed set is decided" };
  }
  if (on)
    return { tone: "on", text: `on: images with a prior ≥ ${percent(threshold ?? 0, 1)} are verified without votes` };
  if (offReason === null) return { tone: "off", text: "off (not asked for)" };
  if (threshold === null) return { tone: "no-threshold", text: `off: ${offReason}` };
  return { tone: "switched-off", text: `switched itself off: ${offReason}` };
}

/**
 * What votes saved says, or null before there is anything to say. `share` is the part of the no-model
 * estimate that was not spent (negative: the prior cost votes).
 */
export function votesSavedShare(votesSaved: CampaignModel["votesSaved"]): number | null {
  if (!votesSaved || votesSaved.votesWithoutModel <= 0) return null;
  return votesSaved.saved / votesSaved.votesWithoutModel;
}

const text = (form: FormData, name: string): string => String(form.get(name) ?? "").trim();

/** A number field: undefined when left blank (so the API's default or "not given" applies). */
function optionalNumber(form: FormData, name: string): number | undefined {
  const value = text(form, name);
  return value === "" ? undefined : Number(value);
}

/**
 * The new-campaign form's `model` options: undefined without a model (the synset's base rate for all);
 * the audit share only with auto-accept (it means nothing without it).
 */
export function campaignModelOptions(form: FormData): CreateCampaignInput["model"] {
  const modelId = text(form, "modelId");
  if (modelId === "") return undefined;
  const autoAccept = form.has("autoAccept");
  return {
    modelId: Number(modelId),
    ordering: (text(form, "ordering") || "random") as CampaignOrdering,
    autoAccept,
    ...(autoAccept ? { auditFraction: optionalNumber(form, "auditFraction") } : {}),
    showModelGuess: form.has("showModelGuess"),
  };
}

/**
 * The start-a-run form's body. Blank thresholds are left out: the API refuses a run with neither (400, "no
 * threshold"), and says so in words, so the form does not repeat that rule.
 */
export function candidateRunBody(form: FormData): StartCandidateRunInput {
  return {
    modelId: Number(text(form, "modelId")),
    wnid: text(form, "wnid"),
    subtree: form.has("subtree"),
    minScore: optionalNumber(form, "minScore"),
    topK: optionalNumber(form, "topK"),
  };
}

/** A run still to watch: the page refreshes itself while one is queued or running. */
export function isActiveRun(run: { status: string }): boolean {
  return run.status === "queued" || run.status === "running";
}

/**
 * A run's progress bar, in percent: null while its total is not known (it has not started). A run with
 * nothing to go through is done once it succeeded.
 */
export function runPercent(run: { status: string; processed: number; total: number | null }): number | null {
  if (run.total === null) return null;
  if (run.total === 0) return run.status === "succeeded" ? 100 : null;
  return Math.min(100, Math.round((100 * run.processed) / run.total));
}
