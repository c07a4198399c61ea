import type { Db, Prisma } from "@arbor/db";
import { invalid, parseInput } from "../errors.ts";
import { type CreateModelInput, createModelSchema } from "./model-schemas.ts";

/** Registers a trained model (metadata, metrics, training curve, class order, the model it was fine-tuned from). */
export async function createModel(
  db: Db,
  input: CreateModelInput,
  createdById: number | null,
): Promise<{ id: number }> {
  const { datasetVersionId, metrics, curve, parent, ...rest } = parseInput(createModelSchema, input);
  if (datasetVersionId !== undefined) {
    const version = await db.datasetVersion.findUnique({ where: { id: datasetVersionId }, select: { id: true } });
    if (!version) throw invalid(`no dataset version ${datasetVersionId}`);
  }
  if (parent?.id !== undefined) {
    const found = await db.model.findUnique({ where: { id: parent.id }, select: { id: true } });
    if (!found) throw invalid(`parent: no model ${parent.id} (leave the id out for a parent trained elsewhere)`);
  }
  return db.model.create({
    data: {
      ...rest,
      datasetVersionId: datasetVersionId ?? null,
      metrics: metrics as Prisma.InputJsonValue,
      curve: curve as Prisma.InputJsonValue,
      createdById,
      parentId: parent?.id ?? null,
      parentName: parent?.name ?? null,
      parentSha256: parent?.sha256 ?? null,
    },
    select: { id: true },
  });
}
