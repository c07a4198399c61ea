-- CreateEnum
CREATE TYPE "CampaignOrdering" AS ENUM ('random', 'uncertain', 'likely_positive');

-- AlterTable
ALTER TABLE "image_link" ADD COLUMN     "origin_model_id" INTEGER,
ADD COLUMN     "origin_score" REAL,
ADD COLUMN     "model_verified_by_id" INTEGER,
ADD COLUMN     "model_verified_prior" REAL;

-- AlterTable
ALTER TABLE "prediction" ADD COLUMN     "in_training" BOOLEAN NOT NULL DEFAULT false;

-- AlterTable
ALTER TABLE "campaign" ADD COLUMN     "model_id" INTEGER,
ADD COLUMN     "ordering" "CampaignOrdering" NOT NULL DEFAULT 'random',
ADD COLUMN     "calibration" JSONB,
ADD COLUMN     "auto_accept" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "auto_accept_threshold" DOUBLE PRECISION,
ADD COLUMN     "audit_fraction" DOUBLE PRECISION NOT NULL DEFAULT 0.05,
ADD COLUMN     "auto_accept_off_reason" TEXT,
ADD COLUMN     "show_model_guess" BOOLEAN NOT NULL DEFAULT false;

-- AlterTable
ALTER TABLE "campaign_item" ADD COLUMN     "model_score" REAL,
ADD COLUMN     "prior" DOUBLE PRECISION,
ADD COLUMN     "priority" DOUBLE PRECISION NOT NULL DEFAULT 0,
ADD COLUMN     "audit" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "auto_accepted" BOOLEAN NOT NULL DEFAULT false;

-- AlterTable
ALTER TABLE "task" ADD COLUMN     "shows_model_guess" BOOLEAN NOT NULL DEFAULT false;

-- CreateIndex
CREATE INDEX "campaign_item_campaign_id_decision_priority_idx" ON "campaign_item"("campaign_id", "decision", "priority");

-- AddForeignKey
ALTER TABLE "image_link" ADD CONSTRAINT "image_link_origin_model_id_fkey" FOREIGN KEY ("origin_model_id") REFERENCES "model"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "image_link" ADD CONSTRAINT "image_link_model_verified_by_id_fkey" FOREIGN KEY ("model_verified_by_id") REFERENCES "model"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "campaign" ADD CONSTRAINT "campaign_model_id_fkey" FOREIGN KEY ("model_id") REFERENCES "model"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- CreateTable
CREATE TABLE "candidate_run" (
    "id" SERIAL NOT NULL,
    "model_id" INTEGER NOT NULL,
    "synset_id" INTEGER NOT NULL,
    "subtree" BOOLEAN NOT NULL DEFAULT false,
    "min_score" DOUBLE PRECISION,
    "top_k" INTEGER,
    "status" "RunStatus" NOT NULL DEFAULT 'queued',
    "total" INTEGER,
    "processed" INTEGER NOT NULL DEFAULT 0,
    "proposed" INTEGER NOT NULL DEFAULT 0,
    "error" TEXT,
    "created_by_id" INTEGER,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "started_at" TIMESTAMPTZ(3),
    "finished_at" TIMESTAMPTZ(3),
    "heartbeat_at" TIMESTAMPTZ(3),
    CONSTRAINT "candidate_run_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "candidate_run_status_idx" ON "candidate_run"("status");

-- AddForeignKey
ALTER TABLE "candidate_run" ADD CONSTRAINT "candidate_run_model_id_fkey" FOREIGN KEY ("model_id") REFERENCES "model"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "candidate_run" ADD CONSTRAINT "candidate_run_synset_id_fkey" FOREIGN KEY ("synset_id") REFERENCES "synset"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "candidate_run" ADD CONSTRAINT "candidate_run_created_by_id_fkey" FOREIGN KEY ("created_by_id") REFERENCES "app_user"("id") ON DELETE SET NULL ON UPDATE CASCADE;
