-- ILSVRC-style challenges: challenges, their phases (ground truth, class list, hierarchy, quotas), teams and
-- their members, and submissions with their public and private scores. A phase's hidden split is restricted
-- with the new reason 'challenge' (not used in this transaction, which PostgreSQL would refuse).

-- AlterEnum
ALTER TYPE "RestrictionReason" ADD VALUE 'challenge';

-- CreateEnum
CREATE TYPE "ChallengeStatus" AS ENUM ('open', 'closed');

-- CreateEnum
CREATE TYPE "LeaderboardVisibility" AS ENUM ('public', 'hidden_until_end');

-- CreateEnum
CREATE TYPE "ChallengeTruthSource" AS ENUM ('version', 'upload');

-- CreateEnum
CREATE TYPE "ChallengeSubmissionFormat" AS ENUM ('devkit', 'csv', 'jsonl');

-- CreateEnum
CREATE TYPE "ChallengeSubmissionStatus" AS ENUM ('queued', 'scoring', 'scored', 'failed');

-- CreateTable
CREATE TABLE "challenge" (
    "id" SERIAL NOT NULL,
    "title" TEXT NOT NULL,
    "description" TEXT NOT NULL DEFAULT '',
    "owner_id" INTEGER,
    "open_sign_up" BOOLEAN NOT NULL DEFAULT true,
    "team_size_limit" INTEGER NOT NULL DEFAULT 1,
    "status" "ChallengeStatus" NOT NULL DEFAULT 'open',
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "challenge_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "challenge_phase" (
    "id" SERIAL NOT NULL,
    "challenge_id" INTEGER NOT NULL,
    "name" TEXT NOT NULL,
    "starts_at" TIMESTAMPTZ(3) NOT NULL,
    "ends_at" TIMESTAMPTZ(3) NOT NULL,
    "daily_quota" INTEGER NOT NULL,
    "total_quota" INTEGER NOT NULL,
    "failure_daily_cap" INTEGER NOT NULL,
    "leaderboard" "LeaderboardVisibility" NOT NULL DEFAULT 'public',
    "public_fraction" DOUBLE PRECISION NOT NULL DEFAULT 0.3,
    "public_seed" TEXT NOT NULL,
    "class_wnids" TEXT[] NOT NULL,
    "class_names" TEXT[] NOT NULL,
    "classes_published" BOOLEAN NOT NULL DEFAULT true,
    "hierarchy" JSONB,
    "hierarchy_fingerprint" TEXT,
    "truth_source" "ChallengeTruthSource" NOT NULL,
    "dataset_version_id" INTEGER,
    "split" "DatasetSplit",
    "truth_positional" BOOLEAN NOT NULL DEFAULT false,
    "truth_revision" INTEGER NOT NULL DEFAULT 1,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "challenge_phase_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "challenge_truth" (
    "phase_id" INTEGER NOT NULL,
    "revision" INTEGER NOT NULL,
    "image_key" TEXT NOT NULL,
    "position" INTEGER NOT NULL,
    "class_index" INTEGER NOT NULL,
    CONSTRAINT "challenge_truth_pkey" PRIMARY KEY ("phase_id", "revision", "image_key")
);

-- CreateTable
CREATE TABLE "challenge_team" (
    "id" SERIAL NOT NULL,
    "challenge_id" INTEGER NOT NULL,
    "name" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "challenge_team_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "challenge_member" (
    "team_id" INTEGER NOT NULL,
    "user_id" INTEGER NOT NULL,
    "challenge_id" INTEGER NOT NULL,
    "accepted_rules_at" TIMESTAMPTZ(3) NOT NULL,
    CONSTRAINT "challenge_member_pkey" PRIMARY KEY ("team_id", "user_id")
);

-- CreateTable
CREATE TABLE "challenge_submission" (
    "id" SERIAL NOT NULL,
    "phase_id" INTEGER NOT NULL,
    "team_id" INTEGER NOT NULL,
    "submitted_by_id" INTEGER,
    "sha256" CHAR(64) NOT NULL,
    "format" "ChallengeSubmissionFormat" NOT NULL,
    "bytes" INTEGER NOT NULL,
    "status" "ChallengeSubmissionStatus" NOT NULL DEFAULT 'queued',
    "counted" BOOLEAN NOT NULL DEFAULT true,
    "failure_reason" TEXT,
    "public_top1" DOUBLE PRECISION,
    "public_top5" DOUBLE PRECISION,
    "public_hier2010" DOUBLE PRECISION,
    "public_hier2011" DOUBLE PRECISION,
    "private_top1" DOUBLE PRECISION,
    "private_top5" DOUBLE PRECISION,
    "private_hier2010" DOUBLE PRECISION,
    "private_hier2011" DOUBLE PRECISION,
    "truth_revision" INTEGER,
    "selected_for_final" BOOLEAN NOT NULL DEFAULT false,
    "baseline_model_id" INTEGER,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "challenge_submission_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "challenge_phase_challenge_id_name_key" ON "challenge_phase"("challenge_id", "name");

-- CreateIndex
CREATE INDEX "challenge_phase_dataset_version_id_idx" ON "challenge_phase"("dataset_version_id");

-- CreateIndex
CREATE UNIQUE INDEX "challenge_team_challenge_id_name_key" ON "challenge_team"("challenge_id", "name");

-- CreateIndex
CREATE UNIQUE INDEX "challenge_member_challenge_id_user_id_key" ON "challenge_member"("challenge_id", "user_id");

-- CreateIndex
CREATE INDEX "challenge_member_user_id_idx" ON "challenge_member"("user_id");

-- CreateIndex
CREATE UNIQUE INDEX "challenge_submission_phase_id_team_id_sha256_key" ON "challenge_submission"("phase_id", "team_id", "sha256");

-- CreateIndex
CREATE INDEX "challenge_submission_phase_id_team_id_created_at_idx" ON "challenge_submission"("phase_id", "team_id", "created_at");

-- CreateIndex
CREATE INDEX "challenge_submission_status_updated_at_idx" ON "challenge_submission"("status", "updated_at");

-- AddForeignKey
ALTER TABLE "challenge" ADD CONSTRAINT "challenge_owner_id_fkey" FOREIGN KEY ("owner_id") REFERENCES "app_user"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "challenge_phase" ADD CONSTRAINT "challenge_phase_challenge_id_fkey" FOREIGN KEY ("challenge_id") REFERENCES "challenge"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "challenge_phase" ADD CONSTRAINT "challenge_phase_dataset_version_id_fkey" FOREIGN KEY ("dataset_version_id") REFERENCES "dataset_version"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "challenge_truth" ADD CONSTRAINT "challenge_truth_phase_id_fkey" FOREIGN KEY ("phase_id") REFERENCES "challenge_phase"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "challenge_team" ADD CONSTRAINT "challenge_team_challenge_id_fkey" FOREIGN KEY ("challenge_id") REFERENCES "challenge"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "challenge_member" ADD CONSTRAINT "challenge_member_team_id_fkey" FOREIGN KEY ("team_id") REFERENCES "challenge_team"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "challenge_member" ADD CONSTRAINT "challenge_member_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "app_user"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "challenge_submission" ADD CONSTRAINT "challenge_submission_phase_id_fkey" FOREIGN KEY ("phase_id") REFERENCES "challenge_phase"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "challenge_submission" ADD CONSTRAINT "challenge_submission_team_id_fkey" FOREIGN KEY ("team_id") REFERENCES "challenge_team"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "challenge_submission" ADD CONSTRAINT "challenge_submission_submitted_by_id_fkey" FOREIGN KEY ("submitted_by_id") REFERENCES "app_user"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "challenge_submission" ADD CONSTRAINT "challenge_submission_baseline_model_id_fkey" FOREIGN KEY ("baseline_model_id") REFERENCES "model"("id") ON DELETE SET NULL ON UPDATE CASCADE;
