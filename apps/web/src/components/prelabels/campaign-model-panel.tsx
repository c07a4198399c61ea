import type { CampaignModel } from "@arbor/usecases";
import Link from "next/link";
import { formatCount } from "../format";
import { CalibrationPlot } from "./calibration-plot";
import { autoAcceptState, ORDERING_LABEL, percent, votesSavedShare, WITHOUT_GUESS_SHARE } from "./prelabels-format";
import { calibrationError } from "./reliability";

/**
 * What a campaign's model does (getCampaign's `model`): its calibration on the seed set as a reliability
 * plot, auto-accept with its audit, the votes saved against the no-model estimate, and, when annotators see
 * the model's guess, the anchoring it causes.
 */
export function CampaignModelPanel({ model, seedComplete }: { model: CampaignModel; seedComplete: boolean }) {
  return (
    <section className="panel model-panel" aria-label="Model">
      <h2>Model</h2>
      <p className="model-panel-head">
        <Link href={`/models/${model.id}`}>{model.name}</Link>{" "}
        <span className="muted">· ordering: {ORDERING_LABEL[model.ordering]}</span>
      </p>
      <div className="model-panel-grid">
        <Calibration model={model} seedComplete={seedComplete} />
        <div className="stack">
          <AutoAccept autoAccept={model.autoAccept} />
          <VotesSaved votesSaved={model.votesSaved} />
          {model.anchoring && <Anchoring anchoring={model.anchoring} />}
        </div>
      </div>
    </section>
  );
}

function Calibration({ model, seedComplete }: { model: CampaignModel; seedComplete: boolean }) {
  const { calibration, calibrationSet: set } = model;
  const waiting = !seedComplete || set.pending > 0;
  if (!calibration) {
    return (
      <div>
        <h3 className="model-panel-title">Calibration</h3>
        <p className="muted">
          {waiting
            ? `Not calibrated yet: ${formatCount(set.decided + set.ambiguous)} of the ${formatCount(set.size)} ` +
              "images of the calibration set are decided. They are random images (the seed among them) decided on " +
              "votes alone, so the fit is unbiased; until then every image starts from the synset's base rate."
            : "Not calibrated: no image of the calibration set that people decided has a score, or those that do " +
              "are all of one class, so there is nothing to fit. Every image starts from the synset's base rate."}
        </p>
      </div>
    );
  }
  const ece = calibrationError(calibration.curve);
  return (
    <figure className="calibration">
      <h3 className="model-panel-title">Calibration</h3>
      <CalibrationPlot curve={calibration.curve} />
      <figcaption className="muted small">
        {calibration.kind === "isotonic" ? "Isotonic" : "Platt"} fit on {formatCount(calibration.seedPoints)} images of
        the calibration set (isotonic from 100 on; the set is {formatCount(set.size)} random images decided on votes
        alone). Each point is a bin of calibrated priors, its area the bin's images; on the dashed diagonal a prior of
        80 % means 8 in 10 verified.
        {ece !== null && ` Mean gap to the diagonal: ${percent(ece, 1)}.`}
      </figcaption>
      {!calibration.priorsInConsensus && (
        <p className="error small" role="status">
          The failed audit showed the calibration does not hold: priors left the consensus and votes decide alone again.
        </p>
      )}
    </figure>
  );
}

function AutoAccept({ autoAccept }: { autoAccept: CampaignModel["autoAccept"] }) {
  const state = autoAcceptState(autoAccept);
  const asked = state.tone !== "off";
  return (
    <div>
      <h3 className="model-panel-title">Auto-accept</h3>
      <p className={`auto-accept auto-accept-${state.tone}`} role={state.tone === "switched-off" ? "alert" : undefined}>
        {state.text}
      </p>
      {asked && (
        <dl className="kv">
          <dt>auto-accepted</dt>
          <dd>{formatCount(autoAccept.autoAccepted)} images, verified by the model without votes</dd>
          <dt>audit</dt>
          <dd>
            {percent(autoAccept.auditFraction)} of the images it would take go to annotators instead:{" "}
            {formatCount(autoAccept.audited)} decided, {formatCount(autoAccept.auditPending)} waiting
          </dd>
          <dt>audit precision</dt>
          <dd>
            {autoAccept.auditPrecision === null
              ? "— (no audit image decided yet)"
              : `${percent(autoAccept.auditPrecision, 1)} verified by people`}
          </dd>
        </dl>
      )}
    </div>
  );
}

function VotesSaved({ votesSaved }: { votesSaved: CampaignModel["votesSaved"] }) {
  if (!votesSaved) {
    return (
      <div>
        <h3 className="model-panel-title">Votes saved</h3>
        <p className="muted">Counted once the seed set has built the confidence table.</p>
      </div>
    );
  }
  const share = votesSavedShare(votesSaved);
  const most = Math.max(votesSaved.votesUsed, votesSaved.votesWithoutModel, 1);
  const bar = (label: string, value: number, className: string) => (
    <div className="votes-bar">
      <span className="votes-bar-label">{label}</span>
      <span className="votes-bar-track">
        <span className={className} style={{ width: `${(100 * value) / most}%` }} />
      </span>
      <span className="count">{formatCount(value)}</span>
    </div>
  );
  return (
    <div>
      <h3 className="model-panel-title">Votes saved</h3>
      <p className={votesSaved.saved < 0 ? "error" : "ok"}>
        <b>{formatCount(votesSaved.saved)}</b> votes
        {share !== null && ` (${percent(share)} of the estimate)`} on {formatCount(votesSaved.items)} images decided
        outside the seed
      </p>
      {bar("with the model", votesSaved.votesUsed, "votes-bar-used")}
      {bar("without (estimate)", votesSaved.votesWithoutModel, "votes-bar-without")}
      <p className="muted small">
        The estimate is a lower bound of what the same images would have needed without the model: each image's own
        votes replayed in order through the same confidence table, rule and target from the synset's base rate, plus,
        where they ran out first, the fewest further votes that could decide it; an auto-accepted image counts the
        fewest votes that could decide it. Seed votes are left out: a campaign without a model spends them too.
      </p>
    </div>
  );
}

function Anchoring({ anchoring }: { anchoring: NonNullable<CampaignModel["anchoring"]> }) {
  const { withGuess, withoutGuess } = anchoring;
  const gap =
    withGuess.yesRate !== null && withoutGuess.yesRate !== null ? withGuess.yesRate - withoutGuess.yesRate : null;
  const row = (label: string, group: typeof withGuess) => (
    <tr>
      <td>{label}</td>
      <td className="count num">{formatCount(group.answers)}</td>
      <td className="count num">{group.yesRate === null ? "—" : percent(group.yesRate, 1)}</td>
    </tr>
  );
  return (
    <div>
      <h3 className="model-panel-title">Anchoring</h3>
      <table className="table" aria-label="Yes rate with and without the model's guess">
        <thead>
          <tr>
            <th>tasks</th>
            <th className="num">answers</th>
            <th className="num">yes rate</th>
          </tr>
        </thead>
        <tbody>
          {row("showing the guess", withGuess)}
          {row("without it", withoutGuess)}
        </tbody>
      </table>
      <p className="muted small">
        Annotators see the model's guess; a random {percent(WITHOUT_GUESS_SHARE)} of tasks go without it, on the same
        kind of images (seed, audit and gold answers left out).{" "}
        {gap === null
          ? "The gap between the two yes rates is the guess's anchoring effect, once both have answers."
          : `The guess moves the yes rate by ${gap >= 0 ? "+" : "−"}${(Math.abs(gap) * 100).toFixed(1)} points: its anchoring effect.`}
      </p>
    </div>
  );
}
