-- Image database: images (content-addressed), their sources, synset links with a state, ingest runs and
-- their skip reports; per-state counts per synset.

-- CreateEnum
CREATE TYPE "LinkState" AS ENUM ('candidate', 'verified', 'rejected');

-- CreateEnum
CREATE TYPE "IngestKind" AS ENUM ('folder', 'csv', 'upload', 's3');

-- CreateEnum
CREATE TYPE "RunStatus" AS ENUM ('queued', 'running', 'succeeded', 'failed');

-- AlterTable
ALTER TABLE "synset_count" ADD COLUMN "candidates" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN "verified" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN "rejected" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN "subtree_verified" INTEGER NOT NULL DEFAULT 0;

-- CreateTable
CREATE TABLE "image" (
    "id" SERIAL NOT NULL,
    "sha256" CHAR(64) NOT NULL,
    "phash" BIGINT NOT NULL,
    "phash_band0" INTEGER NOT NULL,
    "phash_band1" INTEGER NOT NULL,
    "phash_band2" INTEGER NOT NULL,
    "phash_band3" INTEGER NOT NULL,
    "width" INTEGER NOT NULL,
    "height" INTEGER NOT NULL,
    "format" TEXT NOT NULL,
    "bytes" INTEGER NOT NULL,
    "original_key" TEXT NOT NULL,
    "thumbnail_key" TEXT NOT NULL,
    "thumbnail_width" INTEGER NOT NULL,
    "thumbnail_height" INTEGER NOT NULL,
    "license" TEXT,
    "attribution" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "image_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "image_source" (
    "id" SERIAL NOT NULL,
    "image_id" INTEGER NOT NULL,
    "kind" "IngestKind" NOT NULL,
    "locator" TEXT NOT NULL,
    "run_id" INTEGER,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "image_source_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "image_link" (
    "image_id" INTEGER NOT NULL,
    "synset_id" INTEGER NOT NULL,
    "state" "LinkState" NOT NULL DEFAULT 'candidate',
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "image_link_pkey" PRIMARY KEY ("image_id", "synset_id")
);

-- CreateTable
CREATE TABLE "ingest_run" (
    "id" SERIAL NOT NULL,
    "kind" "IngestKind" NOT NULL,
    "source" TEXT NOT NULL,
    "options" JSONB NOT NULL DEFAULT '{}',
    "status" "RunStatus" NOT NULL DEFAULT 'queued',
    "total" INTEGER,
    "processed" INTEGER NOT NULL DEFAULT 0,
    "added" INTEGER NOT NULL DEFAULT 0,
    "duplicates" INTEGER NOT NULL DEFAULT 0,
    "near_duplicates" INTEGER NOT NULL DEFAULT 0,
    "linked" INTEGER NOT NULL DEFAULT 0,
    "skipped" INTEGER NOT NULL DEFAULT 0,
    "error" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "started_at" TIMESTAMPTZ(3),
    "finished_at" TIMESTAMPTZ(3),
    CONSTRAINT "ingest_run_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ingest_skip" (
    "id" SERIAL NOT NULL,
    "run_id" INTEGER NOT NULL,
    "item" TEXT NOT NULL,
    "reason" TEXT NOT NULL,
    "message" TEXT NOT NULL,
    CONSTRAINT "ingest_skip_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "image_sha256_key" ON "image"("sha256");

-- CreateIndex
CREATE INDEX "image_phash_band0_idx" ON "image"("phash_band0");

-- CreateIndex
CREATE INDEX "image_phash_band1_idx" ON "image"("phash_band1");

-- CreateIndex
CREATE INDEX "image_phash_band2_idx" ON "image"("phash_band2");

-- CreateIndex
CREATE INDEX "image_phash_band3_idx" ON "image"("phash_band3");

-- CreateIndex
CREATE UNIQUE INDEX "image_source_kind_locator_image_id_key" ON "image_source"("kind", "locator", "image_id");

-- CreateIndex
CREATE INDEX "image_source_image_id_idx" ON "image_source"("image_id");

-- CreateIndex
CREATE INDEX "image_link_synset_id_state_image_id_idx" ON "image_link"("synset_id", "state", "image_id");

-- CreateIndex
CREATE INDEX "image_link_synset_id_image_id_idx" ON "image_link"("synset_id", "image_id");

-- CreateIndex
CREATE INDEX "ingest_run_created_at_idx" ON "ingest_run"("created_at");

-- CreateIndex
CREATE UNIQUE INDEX "ingest_skip_run_id_item_key" ON "ingest_skip"("run_id", "item");

-- AddForeignKey
ALTER TABLE "image_source" ADD CONSTRAINT "image_source_image_id_fkey" FOREIGN KEY ("image_id") REFERENCES "image"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "image_source" ADD CONSTRAINT "image_source_run_id_fkey" FOREIGN KEY ("run_id") REFERENCES "ingest_run"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "image_link" ADD CONSTRAINT "image_link_image_id_fkey" FOREIGN KEY ("image_id") REFERENCES "image"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "image_link" ADD CONSTRAINT "image_link_synset_id_fkey" FOREIGN KEY ("synset_id") REFERENCES "synset"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ingest_skip" ADD CONSTRAINT "ingest_skip_run_id_fkey" FOREIGN KEY ("run_id") REFERENCES "ingest_run"("id") ON DELETE CASCADE ON UPDATE CASCADE;
