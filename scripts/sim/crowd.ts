/**
 * A synthetic crowd with known truth for scripts/sim/consensus.ts. Everything is driven by seeded RNGs,
 * so a run is reproducible to the last vote.
 */
import {
  type AnnotatorQuality,
  estimateAccuracy,
  mulberry32,
  type Rng,
  randomInt,
  type Vote,
  voteInformation,
} from "@arbor/core";

export interface Annotator {
  id: string;
  accuracy: number;
  kind: "good" | "mediocre" | "spammer";
}

export interface Image {
  positive: boolean;
  /** 0 = as easy as any; 1 = everyone guesses. Pulls each annotator's accuracy towards 0.5. */
  difficulty: number;
}

export interface GoldAnswer {
  vote: Vote;
  label: boolean;
}

export interface CrowdOptions {
  /** Share of each annotator's answers that are gold questions; 0 turns quality control off. */
  goldRate: number;
  /** Gold questions every newcomer answers before any real vote (a qualification test). */
  qualification: number;
  /** Blocked when estimated accuracy is below this after at least `blockAfter` gold answers. */
  blockBelow: number;
  blockAfter: number;
  /** Offer tasks in proportion to each annotator's expected evidence per vote (see voteInformation). */
  route: boolean;
  /** Image difficulty is maxDifficulty · u³, u uniform: most images easy, a tail of hard ones. */
  maxDifficulty: number;
}

const uniform = (rng: Rng, lo: number, hi: number): number => lo + (hi - lo) * rng();

/** 60% good (0.90–0.97), 25% mediocre (0.70–0.85), 15% spammers (0.48–0.55). */
export function makeAnnotators(rng: Rng, count: number): Annotator[] {
  return Array.from({ length: count }, (_, i) => {
    const r = rng();
    const kind = r < 0.6 ? "good" : r < 0.85 ? "mediocre" : "spammer";
    const [lo, hi] = kind === "good" ? [0.9, 0.97] : kind === "mediocre" ? [0.7, 0.85] : [0.48, 0.55];
    return { id: `a${i}`, accuracy: uniform(rng, lo, hi), kind };
  });
}

export function makeImage(rng: Rng, positiveRate: number, maxDifficulty: number): Image {
  return { positive: rng() < positiveRate, difficulty: maxDifficulty * rng() ** 3 };
}

const accuracyOn = (annotator: Annotator, difficulty: number): number =>
  0.5 + (annotator.accuracy - 0.5) * (1 - difficulty);

/**
 * P(positive | votes) under the true model: every voter's real accuracy and the real difficulty
 * distribution (midpoint quadrature over u). No method can know this; it is the floor to compare with.
 */
export function truePosterior(
  votes: readonly Vote[],
  byId: ReadonlyMap<string, Annotator>,
  positiveRate: number,
  maxDifficulty: number,
): number {
  const points = maxDifficulty > 0 ? 40 : 1;
  let pos = 0;
  let neg = 0;
  for (let k = 0; k < points; k++) {
    const difficulty = maxDifficulty * ((k + 0.5) / points) ** 3;
    let lp = 0;
    let ln = 0;
    for (const vote of votes) {
      const annotator = byId.get(vote.annotatorId);
      if (!annotator) continue;
      const a = accuracyOn(annotator, difficulty);
      lp += Math.log(vote.positive ? a : 1 - a);
      ln += Math.log(vote.positive ? 1 - a : a);
    }
    pos += Math.exp(lp);
    neg += Math.exp(ln);
  }
  return (positiveRate * pos) / (positiveRate * pos + (1 - positiveRate) * neg);
}

interface Stat {
  correct: number;
  total: number;
  answers: number;
  blocked: boolean;
}

/** The crowd as a method sees it: ask for a vote, read gold-based quality. Counts every answer paid for. */
export class Crowd {
  readonly gold: GoldAnswer[] = [];
  votes = 0;
  goldVotes = 0;
  private readonly rng: Rng;
  private readonly stats = new Map<string, Stat>();

  constructor(
    readonly annotators: readonly Annotator[],
    seed: number,
    private readonly options: CrowdOptions,
  ) {
    this.rng = mulberry32(seed);
    for (const a of annotators) this.stats.set(a.id, { correct: 0, total: 0, answers: 0, blocked: false });
  }

  /** One vote on `image` from an unblocked annotator who has not voted on it yet. */
  ask(image: Image, already: readonly Vote[]): Vote {
    const voted = new Set(already.map((v) => v.annotatorId));
    for (;;) {
      const eligible = this.annotators.filter((a) => !voted.has(a.id) && !this.stat(a.id).blocked);
      const annotator = this.options.route ? this.pick(eligible) : eligible[randomInt(this.rng, eligible.length)];
      if (!annotator) throw new Error("no annotator left to ask");
      const stat = this.stat(annotator.id);
      while (stat.total < this.options.qualification && !stat.blocked) this.askGold(annotator);
      if (stat.blocked) continue; // failed the qualification test: offer the task to someone else
      this.votes++;
      stat.answers++;
      const vote = { annotatorId: annotator.id, positive: this.answer(annotator, image) };
      // Deterministic mix: after every (1/goldRate − 1) real answers the annotator gets one gold question.
      if (this.options.goldRate > 0 && stat.answers % Math.round(1 / this.options.goldRate - 1) === 0) {
        this.askGold(annotator);
      }
      return vote;
    }
  }

  quality(): Map<string, AnnotatorQuality> {
    const out = new Map<string, AnnotatorQuality>();
    for (const [id, s] of this.stats)
      out.set(id, { accuracy: estimateAccuracy(s.correct, s.total), blocked: s.blocked });
    return out;
  }

  blocked(): Annotator[] {
    return this.annotators.filter((a) => this.stat(a.id).blocked);
  }

  private pick(eligible: readonly Annotator[]): Annotator | undefined {
    const weights = eligible.map((a) => {
      const s = this.stat(a.id);
      return voteInformation({ accuracy: estimateAccuracy(s.correct, s.total) });
    });
    let r = this.rng() * weights.reduce((sum, w) => sum + w, 0);
    for (let i = 0; i < eligible.length; i++) {
      r -= weights[i] as number;
      if (r <= 0) return eligible[i];
    }
    return eligible[eligible.length - 1];
  }

  private askGold(annotator: Annotator): void {
    const image = makeImage(this.rng, 0.5, this.options.maxDifficulty);
    const positive = this.answer(annotator, image);
    this.goldVotes++;
    this.gold.push({ vote: { annotatorId: annotator.id, positive }, label: image.positive });
    const stat = this.stat(annotator.id);
    stat.total++;
    if (positive === image.positive) stat.correct++;
    if (stat.total >= this.options.blockAfter && estimateAccuracy(stat.correct, stat.total) < this.options.blockBelow) {
      stat.blocked = true;
    }
  }

  private answer(annotator: Annotator, image: Image): boolean {
    return this.rng() < accuracyOn(annotator, image.difficulty) ? image.positive : !image.positive;
  }

  private stat(id: string): Stat {
    const stat = this.stats.get(id);
    if (!stat) throw new Error(`unknown annotator ${id}`);
    return stat;
  }
}
