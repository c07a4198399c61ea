-- Crowd labelling: campaigns per synset, their candidate items with consensus state, leased tasks, votes.

-- CreateEnum
CREATE TYPE "CampaignStatus" AS ENUM ('active', 'paused', 'done');

-- CreateEnum
CREATE TYPE "ItemDecision" AS ENUM ('pending', 'verified', 'rejected', 'ambiguous');

-- CreateTable
CREATE TABLE "campaign" (
    "id" SERIAL NOT NULL,
    "synset_id" INTEGER NOT NULL,
    "policy" JSONB NOT NULL,
    "status" "CampaignStatus" NOT NULL DEFAULT 'active',
    "confidence_table" JSONB,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "campaign_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "campaign_item" (
    "campaign_id" INTEGER NOT NULL,
    "image_id" INTEGER NOT NULL,
    "is_seed" BOOLEAN NOT NULL DEFAULT false,
    "yes" INTEGER NOT NULL DEFAULT 0,
    "no" INTEGER NOT NULL DEFAULT 0,
    "decision" "ItemDecision" NOT NULL DEFAULT 'pending',
    "probability" DOUBLE PRECISION,
    "leased" INTEGER NOT NULL DEFAULT 0,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "campaign_item_pkey" PRIMARY KEY ("campaign_id", "image_id")
);

-- CreateTable
CREATE TABLE "task" (
    "id" UUID NOT NULL,
    "campaign_id" INTEGER NOT NULL,
    "annotator_id" INTEGER NOT NULL,
    "image_ids" INTEGER[] NOT NULL,
    "gold" JSONB NOT NULL DEFAULT '{}',
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lease_expires_at" TIMESTAMPTZ(3) NOT NULL,
    "submitted_at" TIMESTAMPTZ(3),
    "released_at" TIMESTAMPTZ(3),
    CONSTRAINT "task_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "vote" (
    "id" SERIAL NOT NULL,
    "task_id" UUID NOT NULL,
    "annotator_id" INTEGER NOT NULL,
    "image_id" INTEGER NOT NULL,
    "synset_id" INTEGER NOT NULL,
    "positive" BOOLEAN NOT NULL,
    "gold_correct" BOOLEAN,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "vote_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "campaign_status_idx" ON "campaign"("status");

-- CreateIndex
CREATE INDEX "campaign_item_campaign_id_decision_idx" ON "campaign_item"("campaign_id", "decision");

-- CreateIndex
CREATE INDEX "task_annotator_id_submitted_at_idx" ON "task"("annotator_id", "submitted_at");

-- CreateIndex
CREATE INDEX "task_released_at_lease_expires_at_idx" ON "task"("released_at", "lease_expires_at");

-- CreateIndex
CREATE UNIQUE INDEX "vote_annotator_id_image_id_synset_id_key" ON "vote"("annotator_id", "image_id", "synset_id");

-- CreateIndex
CREATE INDEX "vote_image_id_synset_id_idx" ON "vote"("image_id", "synset_id");

-- CreateIndex
CREATE INDEX "vote_created_at_idx" ON "vote"("created_at");

-- AddForeignKey
ALTER TABLE "campaign" ADD CONSTRAINT "campaign_synset_id_fkey" FOREIGN KEY ("synset_id") REFERENCES "synset"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "campaign_item" ADD CONSTRAINT "campaign_item_campaign_id_fkey" FOREIGN KEY ("campaign_id") REFERENCES "campaign"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "campaign_item" ADD CONSTRAINT "campaign_item_image_id_fkey" FOREIGN KEY ("image_id") REFERENCES "image"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "task" ADD CONSTRAINT "task_campaign_id_fkey" FOREIGN KEY ("campaign_id") REFERENCES "campaign"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "task" ADD CONSTRAINT "task_annotator_id_fkey" FOREIGN KEY ("annotator_id") REFERENCES "app_user"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "vote" ADD CONSTRAINT "vote_task_id_fkey" FOREIGN KEY ("task_id") REFERENCES "task"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "vote" ADD CONSTRAINT "vote_annotator_id_fkey" FOREIGN KEY ("annotator_id") REFERENCES "app_user"("id") ON DELETE CASCADE ON UPDATE CASCADE;
