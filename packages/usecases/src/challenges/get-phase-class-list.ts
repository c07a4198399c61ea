import type { Db } from "@arbor/db";
import { notFound } from "../errors.ts";
import type { Viewer } from "../restrictions/viewer.ts";

/**
 * A phase's class list as the devkit's map_clsloc.txt: `wnid index name` per line, index 1-based in the
 * published order (what devkit submissions' indices mean). Public, as the challenge is. `not-found` when
 * the order is not published (a CSV ground truth without a class list: submissions name wnids).
 */
export async function getPhaseClassList(db: Db, phaseId: number, _viewer: Viewer): Promise<string> {
  const phase = await db.challengePhase.findUnique({
    where: { id: phaseId },
    select: { name: true, classWnids: true, classNames: true, classesPublished: true },
  });
  if (!phase) throw notFound(`no phase ${phaseId}`);
  if (!phase.classesPublished)
    throw notFound(`phase ${phase.name} publishes no class list: name each class by its wnid`);
  const lines = phase.classWnids.map((wnid, i) => `${wnid} ${i + 1} ${phase.classNames[i] ?? ""}`.trimEnd());
  return `${lines.join("\n")}\n`;
}
