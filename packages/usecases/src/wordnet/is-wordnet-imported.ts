import type { Db } from "@arbor/db";

/** Whether the hierarchy is loaded (start-up imports WordNet only into an empty database). */
export async function isWordnetImported(db: Db): Promise<boolean> {
  return (await db.synset.findFirst({ select: { id: true } })) !== null;
}
