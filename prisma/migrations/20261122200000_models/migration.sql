-- Model registry and per-image predictions (pre-labels).

-- CreateTable
CREATE TABLE "model" (
    "id" SERIAL NOT NULL,
    "name" TEXT NOT NULL,
    "architecture" TEXT NOT NULL,
    "dataset_version_id" INTEGER,
    "metrics" JSONB NOT NULL DEFAULT '{}',
    "curve" JSONB NOT NULL DEFAULT '[]',
    "classes" TEXT[] NOT NULL,
    "created_by_id" INTEGER,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "model_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "prediction" (
    "model_id" INTEGER NOT NULL,
    "image_id" INTEGER NOT NULL,
    "synset_id" INTEGER NOT NULL,
    "score" REAL NOT NULL,
    CONSTRAINT "prediction_pkey" PRIMARY KEY ("model_id", "image_id", "synset_id")
);

-- CreateIndex
CREATE INDEX "model_created_at_idx" ON "model"("created_at");

-- CreateIndex
CREATE INDEX "prediction_synset_id_model_id_score_idx" ON "prediction"("synset_id", "model_id", "score");

-- CreateIndex
CREATE INDEX "prediction_image_id_idx" ON "prediction"("image_id");

-- AddForeignKey
ALTER TABLE "model" ADD CONSTRAINT "model_dataset_version_id_fkey" FOREIGN KEY ("dataset_version_id") REFERENCES "dataset_version"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "model" ADD CONSTRAINT "model_created_by_id_fkey" FOREIGN KEY ("created_by_id") REFERENCES "app_user"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "prediction" ADD CONSTRAINT "prediction_model_id_fkey" FOREIGN KEY ("model_id") REFERENCES "model"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "prediction" ADD CONSTRAINT "prediction_image_id_fkey" FOREIGN KEY ("image_id") REFERENCES "image"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "prediction" ADD CONSTRAINT "prediction_synset_id_fkey" FOREIGN KEY ("synset_id") REFERENCES "synset"("id") ON DELETE CASCADE ON UPDATE CASCADE;
