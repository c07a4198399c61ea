import type { Db, Prisma } from "@arbor/db";
import { invalid, parseInput } from "../errors.ts";
import { type CreateModelInput, createModelSchema } from "./model-schemas.ts";

/** Registers a trained model (metadata, metrics, training curve, class order). */
export async function createModel(
  db: Db,
  input: CreateModelInput,
  createdById: number | null,
): Promise<{ id: number }> {
  const { datasetVersionId, metrics, curve, ...rest } = parseInput(createModelSchema, input);
  if (datasetVersionId !== undefined) {
    const version = await db.datasetVersion.findUnique({ where: { id: datasetVersionId }, select: { id: true } });
    if (!version) throw invalid(`no dataset version ${datasetVersionId}`);
  }
  return db.model.create({
    data: {
      ...rest,
      datasetVersionId: datasetVersionId ?? null,
      metrics: metrics as Prisma.InputJsonValue,
      curve: curve as Prisma.InputJsonValue,
      createdById,
    },
    select: { id: true },
  });
}
