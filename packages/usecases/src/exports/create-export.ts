import type { Db, Prisma } from "@arbor/db";
import { notFound, parseInput } from "../errors.ts";
import { restrictImages } from "../restrictions/restrict-images.ts";
import { type ExportOptionsInput, exportOptionsSchema, storedOptions } from "./export-options.ts";

/**
 * Records an export of a version. When an unfinished export of the same version, format, options and
 * destination by the same creator exists (a run that was killed), that one is returned instead, so running
 * the same command again resumes it rather than starting over. An export that withholds test labels makes
 * the version's test split restricted (idempotent): its labels must not stay readable elsewhere.
 */
export async function createExport(
  db: Db,
  input: { versionId: number; options: ExportOptionsInput; destination: string | null; createdById: number | null },
): Promise<{ id: number; resumed: boolean }> {
  const parsed = parseInput(exportOptionsSchema, input.options);
  const options = storedOptions(parsed);
  const version = await db.datasetVersion.findUnique({ where: { id: input.versionId }, select: { id: true } });
  if (!version) throw notFound(`no dataset version ${input.versionId}`);
  if (input.destination !== null) {
    const unfinished = await db.export.findFirst({
      where: {
        versionId: input.versionId,
        format: parsed.format,
        destination: input.destination,
        status: { not: "succeeded" },
        options: { equals: options as Prisma.InputJsonValue },
        createdById: input.createdById,
      },
      orderBy: { id: "desc" },
      select: { id: true },
    });
    if (unfinished) return { id: unfinished.id, resumed: true };
  }
  if (parsed.withholdTestLabels) {
    await restrictImages(db, { versionId: input.versionId, splits: ["test"], reason: "export" });
  }
  const created = await db.export.create({
    data: {
      versionId: input.versionId,
      format: parsed.format,
      destination: input.destination,
      options: options as Prisma.InputJsonValue,
      createdById: input.createdById,
    },
    select: { id: true },
  });
  return { id: created.id, resumed: false };
}
