-- AlterTable
ALTER TABLE "model" ADD COLUMN     "parent_id" INTEGER,
ADD COLUMN     "parent_name" TEXT,
ADD COLUMN     "parent_sha256" TEXT;

-- CreateIndex
CREATE INDEX "model_parent_id_idx" ON "model"("parent_id");

-- AddForeignKey
ALTER TABLE "model" ADD CONSTRAINT "model_parent_id_fkey" FOREIGN KEY ("parent_id") REFERENCES "model"("id") ON DELETE SET NULL ON UPDATE CASCADE;
