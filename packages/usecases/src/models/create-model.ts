import type { Db, Prisma } from "@arbor/db";
import { DatasetInputError } from "../datasets/dataset-input-error.ts";
import { type CreateModelInput, createModelSchema } from "./model-schemas.ts";

/** Registers a trained model (metadata, metrics, training curve, class order). */
export async function createModel(
  db: Db,
  input: CreateModelInput,
  createdById: number | null,
): Promise<{ id: number }> {
  const parsed = createModelSchema.safeParse(input);
  if (!parsed.success) throw DatasetInputError.fromZod(parsed.error);
  const { datasetVersionId, metrics, curve, ...rest } = parsed.data;
  if (datasetVersionId !== undefined) {
    const version = await db.datasetVersion.findUnique({ where: { id: datasetVersionId }, select: { id: true } });
    if (!version) throw new DatasetInputError(`no dataset version ${datasetVersionId}`);
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
