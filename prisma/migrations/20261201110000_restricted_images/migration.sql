-- Restricted images (a split whose labels are withheld shows them to nobody but admins and the restricting
-- version's owner) and owners of datasets (only the owner or an admin freezes further versions of one).

-- CreateEnum
CREATE TYPE "RestrictionReason" AS ENUM ('definition', 'export');

-- AlterTable
ALTER TABLE "dataset" ADD COLUMN "created_by_id" INTEGER;

-- CreateTable
CREATE TABLE "image_restriction" (
    "image_id" INTEGER NOT NULL,
    "dataset_version_id" INTEGER NOT NULL,
    "split" "DatasetSplit" NOT NULL,
    "reason" "RestrictionReason" NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "image_restriction_pkey" PRIMARY KEY ("image_id", "dataset_version_id")
);

-- CreateIndex
CREATE INDEX "image_restriction_dataset_version_id_idx" ON "image_restriction"("dataset_version_id");

-- AddForeignKey
ALTER TABLE "dataset" ADD CONSTRAINT "dataset_created_by_id_fkey" FOREIGN KEY ("created_by_id") REFERENCES "app_user"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "image_restriction" ADD CONSTRAINT "image_restriction_image_id_fkey" FOREIGN KEY ("image_id") REFERENCES "image"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "image_restriction" ADD CONSTRAINT "image_restriction_dataset_version_id_fkey" FOREIGN KEY ("dataset_version_id") REFERENCES "dataset_version"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Existing datasets belong to whoever froze their first version.
UPDATE "dataset" d SET "created_by_id" = v."created_by_id"
FROM "dataset_version" v WHERE v."dataset_id" = d."id" AND v."number" = 1;

-- Exports made before this migration that withheld test labels restrict their version's test split.
INSERT INTO "image_restriction" ("image_id", "dataset_version_id", "split", "reason")
SELECT DISTINCT d."image_id", d."version_id", d."split", 'export'::"RestrictionReason"
FROM "export" e JOIN "dataset_item" d ON d."version_id" = e."version_id" AND d."split" = 'test'
WHERE (e."options"->>'withholdTestLabels')::boolean IS TRUE
ON CONFLICT DO NOTHING;
