import { describe, expect, it } from "vitest";
import { effectiveVotes, weightedVotes } from "./effective-votes.ts";
import type { AnnotatorQuality, Vote } from "./types.ts";

const vote = (annotatorId: string, positive: boolean): Vote => ({ annotatorId, positive });

describe("effectiveVotes", () => {
  it("counts plain votes without a quality map", () => {
    expect(effectiveVotes([vote("a", true), vote("b", true), vote("c", false)])).toEqual({ yes: 2, no: 1, votes: 3 });
  });

  it("ignores an annotator's repeat votes on the same image", () => {
    expect(effectiveVotes([vote("a", true), vote("a", false), vote("a", true)])).toEqual({ yes: 1, no: 0, votes: 1 });
  });

  it("drops blocked annotators and weighs the rest by log-odds in units of unitWeight", () => {
    const quality = new Map<string, AnnotatorQuality>([
      ["good", { accuracy: 0.9 }],
      ["spam", { accuracy: 0.99, blocked: true }],
      ["weak", { accuracy: 0.75 }],
    ]);
    const counts = effectiveVotes([vote("good", true), vote("spam", true), vote("weak", false)], quality, Math.log(3));
    expect(counts.votes).toBe(2);
    expect(counts.yes).toBeCloseTo(2, 12); // log 9 / log 3
    expect(counts.no).toBeCloseTo(1, 12);
  });

  it("lists the counted votes with their weights", () => {
    const quality = new Map<string, AnnotatorQuality>([["x", { accuracy: 0.5 }]]);
    const [spammer, unknown] = weightedVotes([vote("x", true), vote("y", false)], quality);
    expect(spammer).toEqual({ positive: true, weight: 0 });
    expect(unknown?.positive).toBe(false);
    expect(unknown?.weight).toBeCloseTo(Math.log(4), 12); // unknown annotator: prior mean 0.8
  });
});
