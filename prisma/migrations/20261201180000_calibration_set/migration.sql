-- AlterTable
ALTER TABLE "campaign_item" ADD COLUMN "calibration" BOOLEAN NOT NULL DEFAULT false;
