/**
 * Consensus simulation: how many votes does each way of deciding "is this image a <synset>?" spend, and
 * how clean is the verified set? A synthetic crowd with known truth, seeded, so every run prints the same.
 *   npx tsx scripts/sim/consensus.ts
 * Methods: a fixed 5-vote majority, without quality control (the cheap classic, and the baseline the
 * claim is checked against) and with the adaptive methods' quality control; ImageNet's adaptive scheme
 * (seed set + confidence table, Deng et al. 2009 §3.2) with gold-question quality weighting; Dawid–Skene
 * EM asked for votes adaptively in rounds; and, as a floor, the same adaptive loop deciding with the true
 * model (every annotator's real accuracy and the real difficulty distribution), which no method can know.
 * Cost counts every answer paid for: seed votes, votes, qualification and gold questions.
 * Two crowds: the base one (every image equally hard) and a stress test with a tail of hard images.
 */
import {
  buildConfidenceTable,
  type ConsensusPolicy,
  calibrateDawidSkene,
  DEFAULT_POLICY,
  type Decision,
  dawidSkene,
  decide,
  decisionFor,
  majorityDecision,
  mulberry32,
  type Rng,
  sampleWithoutReplacement,
  type Vote,
  validatePolicy,
} from "@arbor/core";
import {
  type Annotator,
  Crowd,
  type CrowdOptions,
  type Image,
  makeAnnotators,
  makeImage,
  truePosterior,
} from "./crowd.ts";

const POLICY: ConsensusPolicy = validatePolicy({ ...DEFAULT_POLICY }); // target 0.99, 2–10 votes, 30×10 seed
const FIXED_VOTES = 5;
const IMAGES_PER_SYNSET = 2000;
const SYNSET_POSITIVE_RATES = [0.5, 0.7, 0.9];
const ANNOTATORS = 60;
const QUALITY_CONTROL = { goldRate: 0.1, qualification: 10, blockBelow: 0.65, blockAfter: 10, route: true };
const NO_QUALITY_CONTROL = { goldRate: 0, qualification: 0, blockBelow: 0, blockAfter: Infinity, route: false };
const SCENARIOS = [
  { name: "base crowd: every image equally hard", maxDifficulty: 0 },
  {
    name: "stress test: hard images, difficulty 0.6·u³ (10% lose > 44% of everyone's edge over chance)",
    maxDifficulty: 0.6,
  },
];

interface World {
  byId: ReadonlyMap<string, Annotator>;
  maxDifficulty: number;
}

interface Method {
  name: string;
  qualityControl: boolean;
  /** Part of the claim checked at the end (the floor is a reference, the baseline is what is beaten). */
  adaptive: boolean;
  run(crowd: Crowd, images: readonly Image[], rng: Rng, world: World, positiveRate: number): Decision[];
}

const methods: Method[] = [
  {
    name: `majority-${FIXED_VOTES} (no gold)`,
    qualityControl: false,
    adaptive: false,
    run: fixedMajority,
  },
  { name: `majority-${FIXED_VOTES} + gold`, qualityControl: true, adaptive: false, run: fixedMajority },
  { name: "ImageNet adaptive + quality", qualityControl: true, adaptive: true, run: imagenetAdaptive },
  { name: "Dawid-Skene adaptive + gold", qualityControl: true, adaptive: true, run: dawidSkeneAdaptive },
  { name: "floor: true-model Bayes", qualityControl: true, adaptive: false, run: trueModelAdaptive },
];

function fixedMajority(crowd: Crowd, images: readonly Image[]): Decision[] {
  return images.map((image) => majorityDecision(askUntil(crowd, image, [], FIXED_VOTES), FIXED_VOTES));
}

/** Seed gets seedVotes each; everyone else one vote per round until the confidence table decides. */
function imagenetAdaptive(crowd: Crowd, images: readonly Image[], rng: Rng): Decision[] {
  const votes = images.map((): Vote[] => []);
  const indices = images.map((_, i) => i);
  const seed = sampleWithoutReplacement(rng, indices, POLICY.seedSize);
  const inSeed = new Set(seed);
  for (const i of seed) askUntil(crowd, at(images, i), at(votes, i), POLICY.seedVotes);
  return adaptiveRounds(crowd, images, votes, () => {
    // Rebuilt every round: gold answers sharpen the quality weights, and every image's votes so far
    // steady the model the seed's 30 images are smoothed towards.
    const quality = crowd.quality();
    const table = buildConfidenceTable(
      seed.map((i) => ({ votes: at(votes, i) })),
      { maxVotes: POLICY.maxVotes, quality, rng: mulberry32(7), otherImages: votes.filter((_, i) => !inSeed.has(i)) },
    );
    return (i) => decide(at(votes, i), table, POLICY, quality).decision;
  });
}

/** Everyone gets minVotes; EM over all votes (gold answers as fixed items), then difficulty-calibrated. */
function dawidSkeneAdaptive(crowd: Crowd, images: readonly Image[]): Decision[] {
  const votes = images.map((image) => askUntil(crowd, image, [], POLICY.minVotes));
  return adaptiveRounds(crowd, images, votes, () => {
    const gold = crowd.gold.map((g) => ({ votes: [g.vote], label: g.label }));
    const items = [...votes.map((v) => ({ votes: v })), ...gold];
    const { posteriors } = calibrateDawidSkene(items, dawidSkene(items, { quality: crowd.quality() }));
    return (i) => decisionFor(at(posteriors, i), at(votes, i).length, POLICY);
  });
}

function trueModelAdaptive(crowd: Crowd, images: readonly Image[], _rng: Rng, world: World, rate: number): Decision[] {
  const votes = images.map((): Vote[] => []);
  return adaptiveRounds(crowd, images, votes, () => (i) => {
    const p = truePosterior(at(votes, i), world.byId, rate, world.maxDifficulty);
    return decisionFor(p, at(votes, i).length, POLICY);
  });
}

/** Decide every open image, give each still-pending one another vote, repeat. Decisions are final. */
function adaptiveRounds(
  crowd: Crowd,
  images: readonly Image[],
  votes: Vote[][],
  round: () => (i: number) => Decision,
): Decision[] {
  const decisions = images.map((): Decision => "pending");
  let open = images.map((_, i) => i);
  while (open.length > 0) {
    const decideImage = round();
    open = open.filter((i) => {
      decisions[i] = decideImage(i);
      return decisions[i] === "pending";
    });
    for (const i of open) at(votes, i).push(crowd.ask(at(images, i), at(votes, i)));
  }
  return decisions;
}

function askUntil(crowd: Crowd, image: Image, votes: Vote[], count: number): Vote[] {
  while (votes.length < count) votes.push(crowd.ask(image, votes));
  return votes;
}

function at<T>(items: readonly T[], i: number): T {
  const item = items[i];
  if (item === undefined) throw new Error(`index ${i} out of range`);
  return item;
}

interface Tally {
  images: number;
  positives: number;
  verified: number;
  truePositives: number;
  ambiguous: number;
  cost: number;
}

const emptyTally = (): Tally => ({ images: 0, positives: 0, verified: 0, truePositives: 0, ambiguous: 0, cost: 0 });

function tally(images: readonly Image[], decisions: readonly Decision[], cost: number): Tally {
  const t = { ...emptyTally(), images: images.length, cost };
  images.forEach((image, i) => {
    if (image.positive) t.positives++;
    if (decisions[i] === "verified") {
      t.verified++;
      if (image.positive) t.truePositives++;
    }
    if (decisions[i] === "ambiguous") t.ambiguous++;
  });
  return t;
}

function add(a: Tally, b: Tally): Tally {
  return {
    images: a.images + b.images,
    positives: a.positives + b.positives,
    verified: a.verified + b.verified,
    truePositives: a.truePositives + b.truePositives,
    ambiguous: a.ambiguous + b.ambiguous,
    cost: a.cost + b.cost,
  };
}

const pct = (num: number, den: number): string => (den === 0 ? "-" : `${((100 * num) / den).toFixed(2)}%`);
const precision = (t: Tally): number => (t.verified === 0 ? 1 : t.truePositives / t.verified);
const widths = [10, 29, 10, 8, 10, 12];
const line = (cells: string[]): string =>
  cells.map((c, i) => (i < 2 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join(" ");
const row = (label: string, name: string, t: Tally): string =>
  line([
    label,
    name,
    pct(t.truePositives, t.verified),
    pct(t.truePositives, t.positives),
    pct(t.ambiguous, t.images),
    (t.cost / t.images).toFixed(2),
  ]);

const started = performance.now();
const annotators = makeAnnotators(mulberry32(2009), ANNOTATORS);
const kinds = (kind: string) => annotators.filter((a) => a.kind === kind).length;
console.log(
  `${ANNOTATORS} annotators (${kinds("good")} good, ${kinds("mediocre")} mediocre, ${kinds("spammer")} spammers);` +
    ` ${SYNSET_POSITIVE_RATES.length} synsets × ${IMAGES_PER_SYNSET} images; target ${POLICY.target},` +
    ` ${POLICY.minVotes}–${POLICY.maxVotes} votes, seed ${POLICY.seedSize}×${POLICY.seedVotes};` +
    ` quality control: ${QUALITY_CONTROL.qualification} gold to start, then ${QUALITY_CONTROL.goldRate * 100}%` +
    ` of answers, blocked below ${QUALITY_CONTROL.blockBelow} after ${QUALITY_CONTROL.blockAfter} gold,` +
    ` tasks routed by expected evidence per vote`,
);
for (const scenario of SCENARIOS) {
  const world: World = { byId: new Map(annotators.map((a) => [a.id, a])), maxDifficulty: scenario.maxDifficulty };
  const imageRng = mulberry32(1859);
  const synsets = SYNSET_POSITIVE_RATES.map((rate) =>
    Array.from({ length: IMAGES_PER_SYNSET }, () => makeImage(imageRng, rate, scenario.maxDifficulty)),
  );
  const results = methods.map((method) => {
    const options: CrowdOptions = {
      ...(method.qualityControl ? QUALITY_CONTROL : NO_QUALITY_CONTROL),
      maxDifficulty: scenario.maxDifficulty,
    };
    const crowd = new Crowd(annotators, 42, options); // same crowd, same draws, for every method
    const rng = mulberry32(1);
    const perSynset = synsets.map((images, s) => {
      const before = crowd.votes + crowd.goldVotes;
      const decisions = method.run(crowd, images, rng, world, at(SYNSET_POSITIVE_RATES, s));
      return tally(images, decisions, crowd.votes + crowd.goldVotes - before);
    });
    return { method, perSynset, overall: perSynset.reduce(add, emptyTally()), blocked: crowd.blocked() };
  });

  console.log(`\n# ${scenario.name}`);
  console.log(line(["synset", "method", "precision", "recall", "ambiguous", "votes/image"]));
  SYNSET_POSITIVE_RATES.forEach((rate, s) => {
    for (const r of results) console.log(row(`pos ${rate}`, r.method.name, at(r.perSynset, s)));
  });
  for (const r of results) console.log(row("overall", r.method.name, r.overall));
  const [baseline] = results;
  const failures = results.filter(
    (r) =>
      r.method.adaptive &&
      (r.perSynset.some((t) => precision(t) < 0.99) || r.overall.cost >= (baseline?.overall.cost ?? 0)),
  );
  const blocked = results.find((r) => r.method.adaptive)?.blocked ?? [];
  console.log(
    `blocked (ImageNet run): ${blocked.length}, of them ${blocked.filter((a) => a.kind === "spammer").length}` +
      ` of ${kinds("spammer")} spammers. ` +
      (failures.length === 0
        ? "OK: both adaptive methods reach ≥ 99% precision on every synset with fewer votes/image overall than majority-5."
        : `NOT MET by ${failures.map((r) => r.method.name).join(", ")}: see the floor row for what any method could do.`),
  );
}
console.log(`\n(${((performance.now() - started) / 1000).toFixed(1)} s)`);
