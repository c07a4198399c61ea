import type { CampaignModel } from "@arbor/usecases";
import { describe, expect, it } from "vitest";
import {
  autoAcceptState,
  campaignModelOptions,
  candidateRunBody,
  formatGuess,
  isActiveRun,
  runPercent,
  votesSavedShare,
} from "./prelabels-format";

const form = (fields: Record<string, string>) => {
  const data = new FormData();
  for (const [name, value] of Object.entries(fields)) data.set(name, value);
  return data;
};

const autoAccept = (over: Partial<CampaignModel["autoAccept"]>): CampaignModel["autoAccept"] => ({
  on: false,
  threshold: null,
  auditFraction: 0.05,
  audited: 0,
  auditPending: 0,
  auditPrecision: null,
  offReason: null,
  autoAccepted: 0,
  ...over,
});

describe("formatGuess", () => {
  it("rounds to whole percent", () => {
    expect(formatGuess(0.873)).toBe("87 %");
    expect(formatGuess(0.5)).toBe("50 %");
  });

  it("never prints a certain guess: priors are clamped to [0.001, 0.999]", () => {
    expect(formatGuess(0.999)).toBe("> 99 %");
    expect(formatGuess(0.001)).toBe("< 1 %");
    expect(formatGuess(0.99)).toBe("99 %");
    expect(formatGuess(0.01)).toBe("1 %");
  });
});

describe("autoAcceptState", () => {
  it("tells a campaign that did not ask for it from one whose seed chose no threshold", () => {
    expect(autoAcceptState(autoAccept({})).tone).toBe("off");
    const none = autoAcceptState(autoAccept({ offReason: "no threshold: fewer than 200 points" }));
    expect(none).toEqual({ tone: "no-threshold", text: "off: no threshold: fewer than 200 points" });
  });

  it("marks a failed audit as switched off, with its reason", () => {
    const state = autoAcceptState(
      autoAccept({ threshold: 0.93, offReason: "audit precision 80 % below the target", audited: 20 }),
    );
    expect(state.tone).toBe("switched-off");
    expect(state.text).toContain("audit precision 80 % below the target");
  });

  it("waits for the seed set while on without a threshold, then names it", () => {
    expect(autoAcceptState(autoAccept({ on: true })).tone).toBe("waiting");
    const on = autoAcceptState(autoAccept({ on: true, threshold: 0.975 }));
    expect(on.tone).toBe("on");
    expect(on.text).toContain("97.5 %");
  });
});

describe("votesSavedShare", () => {
  it("is the share of the no-model estimate not spent, negative when the prior cost votes", () => {
    expect(votesSavedShare({ items: 10, votesUsed: 60, votesWithoutModel: 100, saved: 40 })).toBeCloseTo(0.4);
    expect(votesSavedShare({ items: 10, votesUsed: 120, votesWithoutModel: 100, saved: -20 })).toBeCloseTo(-0.2);
  });

  it("is null with nothing to compare", () => {
    expect(votesSavedShare(null)).toBeNull();
    expect(votesSavedShare({ items: 0, votesUsed: 0, votesWithoutModel: 0, saved: 0 })).toBeNull();
  });
});

describe("campaignModelOptions", () => {
  it("sends no model when none is picked, whatever the hidden fields say", () => {
    expect(campaignModelOptions(form({ modelId: "", ordering: "uncertain", autoAccept: "on" }))).toBeUndefined();
  });

  it("sends the picked model with its options", () => {
    expect(
      campaignModelOptions(
        form({
          modelId: "7",
          ordering: "likely_positive",
          autoAccept: "on",
          auditFraction: "0.1",
          showModelGuess: "on",
        }),
      ),
    ).toEqual({ modelId: 7, ordering: "likely_positive", autoAccept: true, auditFraction: 0.1, showModelGuess: true });
  });

  it("leaves the audit share out without auto-accept (it audits nothing)", () => {
    expect(campaignModelOptions(form({ modelId: "7", ordering: "random", auditFraction: "0.3" }))).toEqual({
      modelId: 7,
      ordering: "random",
      autoAccept: false,
      showModelGuess: false,
    });
  });
});

describe("candidateRunBody", () => {
  it("leaves blank thresholds out, so the API can refuse a run with neither", () => {
    expect(candidateRunBody(form({ modelId: "3", wnid: " n02084071 ", minScore: "", topK: "" }))).toEqual({
      modelId: 3,
      wnid: "n02084071",
      subtree: false,
      minScore: undefined,
      topK: undefined,
    });
  });

  it("reads both thresholds and the subtree", () => {
    expect(
      candidateRunBody(form({ modelId: "3", wnid: "n02084071", subtree: "on", minScore: "0.9", topK: "5" })),
    ).toEqual({ modelId: 3, wnid: "n02084071", subtree: true, minScore: 0.9, topK: 5 });
  });
});

describe("candidate run progress", () => {
  it("has no bar before the total is known, and caps at 100 %", () => {
    expect(runPercent({ status: "queued", processed: 0, total: null })).toBeNull();
    expect(runPercent({ status: "running", processed: 1, total: 3 })).toBe(33);
    expect(runPercent({ status: "running", processed: 4, total: 3 })).toBe(100);
    expect(runPercent({ status: "succeeded", processed: 0, total: 0 })).toBe(100);
    expect(runPercent({ status: "running", processed: 0, total: 0 })).toBeNull();
  });

  it("refreshes while a run is queued or running only", () => {
    expect(["queued", "running", "succeeded", "failed"].map((status) => isActiveRun({ status }))).toEqual([
      true,
      true,
      false,
      false,
    ]);
  });
});
