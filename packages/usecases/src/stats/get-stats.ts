import type { Db } from "@arbor/db";
import { z } from "zod";

export const statsSchema = z
  .object({
    synsets: z.number().int(),
    edges: z.number().int().describe("is-a edges (hypernym and instance)"),
    images: z.number().int(),
  })
  .meta({ id: "Stats" });

export type Stats = z.infer<typeof statsSchema>;

export async function getStats(db: Db): Promise<Stats> {
  const [synsets, edges, root] = await Promise.all([
    db.synset.count(),
    db.synsetEdge.count(),
    // Every image lies under entity, so its subtree count is the number of images linked anywhere.
    db.synsetCount.findFirst({ where: { synset: { depth: 0 } }, orderBy: { subtreeImages: "desc" } }),
  ]);
  return { synsets, edges, images: root?.subtreeImages ?? 0 };
}
