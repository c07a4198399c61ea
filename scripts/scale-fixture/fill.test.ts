import { createDb } from "@arbor/db";
import { createDatabaseFrom, startTestServer } from "@arbor/db/testing";
import { OPERATOR, previewClassSet } from "@arbor/usecases";
import { recountSynsetCounts } from "@arbor/usecases/ingest";
import { prepareWordnetTemplate, WORDNET_TEMPLATE } from "@arbor/usecases/testing/global-setup";
import { expect, it } from "vitest";
import { fillScaleFixture } from "./fill.ts";

it("fills ImageNet's shape with exact counts, and the ILSVRC-2012 preset selects every verified image", async () => {
  const server = await startTestServer();
  await prepareWordnetTemplate(server.adminUrl);
  const database = await createDatabaseFrom(server.adminUrl, WORDNET_TEMPLATE);
  const db = createDb(database.url, 2);
  try {
    const filled = await fillScaleFixture(database.url, { images: 5000, candidates: 2000 });
    expect(filled).toMatchObject({ images: 5000, candidates: 2000, votes: 3000 });
    expect(await recountSynsetCounts(db)).toEqual([]);
    const links = await db.imageLink.groupBy({ by: ["state"], _count: true, orderBy: { state: "asc" } });
    expect(links.map((l) => [l.state, l._count])).toEqual([
      ["candidate", 1800],
      ["verified", 5000],
      ["rejected", 200],
    ]);
    const preview = await previewClassSet(db, { name: "ilsvrc", classes: { kind: "ilsvrc2012" } }, OPERATOR);
    const available = [...preview.classes, ...preview.droppedTooFew].map((c) => c.available);
    expect(available).toHaveLength(1000);
    expect(available.reduce((a, b) => a + b, 0)).toBe(5000);
    const entity = await db.synsetCount.findFirstOrThrow({ where: { synset: { wnid: "n00001740" } } });
    expect(entity).toMatchObject({ subtreeImages: 7000, subtreeVerified: 5000 });
  } finally {
    await db.$disconnect();
    await database.drop();
    await server.stop();
  }
}, 300_000);
