import { useTestDatabase } from "@arbor/db/testing";
import { beforeAll, describe, expect, it } from "vitest";
import { recountSynsetCounts } from "../image-links/recount-synset-counts.ts";
import { campaignPolicySchema } from "../labelling/campaign-policy.ts";
import { type Actor, OPERATOR } from "../restrictions/viewer.ts";
import { CHIHUAHUA, candidatesFixture, DOG, TABBY } from "./candidates-fixture.ts";
import { listLikelyLabelErrors } from "./likely-label-errors.ts";
import { sendBackForVotes } from "./send-back-for-votes.ts";

describe("likely label errors and sending back for votes (real PostgreSQL)", () => {
  const t = useTestDatabase("arbor_wordnet");
  const { researcher, idOf, images, link, model, predict, linkOf } = candidatesFixture(t);

  let m: number;
  let chihuahuas: number[];
  let tabbies: number[];
  let planted: [number, number];
  let inSample: number;

  beforeAll(async () => {
    m = await model("label errors", [CHIHUAHUA, TABBY]);
    chihuahuas = await images(10);
    tabbies = await images(10);
    planted = (await images(2)) as [number, number];
    inSample = (await images(1))[0] as number;
    await link(chihuahuas, CHIHUAHUA, "verified");
    await link(tabbies, TABBY, "verified");
    // Mislabelled: tabbies verified as chihuahuas; and one whose contrary scores are in-sample only.
    await link([...planted, inSample], CHIHUAHUA, "verified");
    await predict(m, [
      ...chihuahuas.flatMap((id): [number, string, number][] => [
        [id, CHIHUAHUA, 0.8],
        [id, TABBY, 0.1],
      ]),
      ...tabbies.flatMap((id): [number, string, number][] => [
        [id, TABBY, 0.8],
        [id, CHIHUAHUA, 0.1],
      ]),
      [planted[0], TABBY, 0.85],
      [planted[0], CHIHUAHUA, 0.05],
      [planted[1], TABBY, 0.82],
      [planted[1], CHIHUAHUA, 0.3],
    ]);
    await predict(
      m,
      [
        [inSample, TABBY, 0.9],
        [inSample, CHIHUAHUA, 0.05],
      ],
      true,
    );
  });

  it("finds the planted mislabels, ranked by margin, and not the correct ones nor in-sample evidence", async () => {
    // Thresholds: chihuahua (10 × 0.8 + 0.05 + 0.3) / 12 ≈ 0.696, tabby 0.8; both planted are below the
    // first and above the second; the correct ones are above their own.
    const errors = await listLikelyLabelErrors(t.db, { modelId: m });
    expect(errors).toEqual([
      {
        imageId: planted[0],
        thumbnailUrl: expect.stringContaining(String(planted[0])),
        wnid: CHIHUAHUA,
        lemma: "Chihuahua",
        givenProbability: expect.closeTo(0.05, 6),
        suggestedWnid: TABBY,
        suggestedLemma: "tabby",
        suggestedProbability: expect.closeTo(0.85, 6),
        margin: expect.closeTo(0.8, 6),
      },
      expect.objectContaining({ imageId: planted[1], margin: expect.closeTo(0.52, 6) }),
    ]);
    expect(await listLikelyLabelErrors(t.db, { modelId: m, wnid: CHIHUAHUA, limit: 1 })).toEqual([errors[0]]);
    expect(await listLikelyLabelErrors(t.db, { modelId: m, wnid: TABBY })).toEqual([]);
  });

  it("refuses an unknown model, a wnid outside its classes and a limit out of range", async () => {
    await expect(listLikelyLabelErrors(t.db, { modelId: 99999 })).rejects.toMatchObject({
      kind: "not-found",
      message: "no model 99999",
    });
    await expect(listLikelyLabelErrors(t.db, { modelId: m, wnid: DOG })).rejects.toMatchObject({
      kind: "invalid",
      message: `${DOG} is not one of model ${m}'s classes`,
    });
    for (const limit of [0, 1001, 2.5]) {
      await expect(listLikelyLabelErrors(t.db, { modelId: m, limit })).rejects.toMatchObject({
        kind: "invalid",
        message: expect.stringMatching(/^limit: /),
      });
    }
  });

  it("sends a link back for votes: a candidate again, first in line in the synset's active campaign", async () => {
    const policy = campaignPolicySchema.parse({});
    const campaign = await t.db.campaign.create({
      data: { synsetId: idOf(CHIHUAHUA), policy },
      select: { id: true },
    });
    const [waiting] = (await images(1)) as [number];
    await link([waiting], CHIHUAHUA, "candidate");
    await t.db.campaignItem.create({ data: { campaignId: campaign.id, imageId: waiting, priority: 0.3 } });
    // The second one was verified by auto-accept in this campaign.
    await t.db.imageLink.update({
      where: { imageId_synsetId: { imageId: planted[1], synsetId: idOf(CHIHUAHUA) } },
      data: { modelVerifiedById: m, modelVerifiedPrior: 0.99 },
    });
    await t.db.campaignItem.create({
      data: { campaignId: campaign.id, imageId: planted[1], decision: "verified", autoAccepted: true, priority: 0.1 },
    });

    expect(await sendBackForVotes(t.db, { imageId: planted[0], wnid: CHIHUAHUA }, OPERATOR)).toEqual({
      imageId: planted[0],
      wnid: CHIHUAHUA,
      state: "candidate",
      campaignId: campaign.id,
    });
    expect(await linkOf(planted[0], CHIHUAHUA)).toMatchObject({ state: "candidate" });
    const added = await t.db.campaignItem.findUniqueOrThrow({
      where: { campaignId_imageId: { campaignId: campaign.id, imageId: planted[0] } },
    });
    expect(added).toMatchObject({ decision: "pending", isSeed: false, priority: expect.closeTo(-0.7, 9) });

    await sendBackForVotes(t.db, { imageId: planted[1], wnid: CHIHUAHUA }, OPERATOR);
    expect(await linkOf(planted[1], CHIHUAHUA)).toMatchObject({
      state: "candidate",
      modelVerifiedById: null,
      modelVerifiedPrior: null,
    });
    const reopened = await t.db.campaignItem.findUniqueOrThrow({
      where: { campaignId_imageId: { campaignId: campaign.id, imageId: planted[1] } },
    });
    expect(reopened).toMatchObject({ decision: "pending", autoAccepted: false, priority: expect.closeTo(-1.7, 9) });
    expect(await recountSynsetCounts(t.db)).toEqual([]);
    // Candidates now: no longer listed as label errors.
    expect(await listLikelyLabelErrors(t.db, { modelId: m })).toEqual([]);

    // No active campaign of tabby: a candidate all the same, for the next campaign to take.
    expect(await sendBackForVotes(t.db, { imageId: tabbies[0] as number, wnid: TABBY }, OPERATOR)).toMatchObject({
      state: "candidate",
      campaignId: null,
    });
    expect(await recountSynsetCounts(t.db)).toEqual([]);
  });

  it("refuses non-admins, unknown synsets and images, missing links and links that are not verified", async () => {
    const [rejected, unlinked] = (await images(2)) as [number, number];
    await link([rejected], CHIHUAHUA, "rejected");
    const cases: [Parameters<typeof sendBackForVotes>[1], Actor, string, RegExp | string][] = [
      [{ imageId: chihuahuas[0] as number, wnid: CHIHUAHUA }, researcher(), "forbidden", /only admins/],
      [{ imageId: chihuahuas[0] as number, wnid: "n99999999" }, OPERATOR, "invalid", "no synset n99999999"],
      [{ imageId: 0, wnid: CHIHUAHUA }, OPERATOR, "invalid", /^imageId: /],
      [{ imageId: 999_999, wnid: CHIHUAHUA }, OPERATOR, "not-found", "no image 999999"],
      [
        { imageId: unlinked, wnid: CHIHUAHUA },
        OPERATOR,
        "not-found",
        `image ${unlinked} is not linked to ${CHIHUAHUA}`,
      ],
      [{ imageId: rejected, wnid: CHIHUAHUA }, OPERATOR, "conflict", /is rejected for n02085620, not verified/],
      [{ imageId: planted[0], wnid: CHIHUAHUA }, OPERATOR, "conflict", /is candidate for n02085620, not verified/],
    ];
    for (const [input, actor, kind, message] of cases) {
      await expect(sendBackForVotes(t.db, input, actor), JSON.stringify(input)).rejects.toMatchObject({
        kind,
        message: typeof message === "string" ? message : expect.stringMatching(message),
      });
    }
    // Nothing changed for the refused ones.
    expect(await linkOf(chihuahuas[0] as number, CHIHUAHUA)).toMatchObject({ state: "verified" });
    expect(await linkOf(rejected, CHIHUAHUA)).toMatchObject({ state: "rejected" });
  });
});
