-- AlterEnum
ALTER TYPE "Role" ADD VALUE 'participant';

-- AlterTable
ALTER TABLE "challenge_phase" ADD COLUMN     "post_challenge" BOOLEAN NOT NULL DEFAULT true,
ADD COLUMN     "released_at" TIMESTAMPTZ(3);

-- AlterTable
ALTER TABLE "challenge_team" ADD COLUMN     "baseline" BOOLEAN NOT NULL DEFAULT false;

-- AlterTable
ALTER TABLE "challenge_submission" ADD COLUMN     "late" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "flagged_at" TIMESTAMPTZ(3),
ADD COLUMN     "flag_reason" TEXT;

-- CreateTable
CREATE TABLE "challenge_ban" (
    "challenge_id" INTEGER NOT NULL,
    "user_id" INTEGER NOT NULL,
    "reason" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "challenge_ban_pkey" PRIMARY KEY ("challenge_id","user_id")
);

-- CreateTable
CREATE TABLE "challenge_export" (
    "challenge_id" INTEGER NOT NULL,
    "export_id" INTEGER NOT NULL,
    CONSTRAINT "challenge_export_pkey" PRIMARY KEY ("challenge_id","export_id")
);

-- CreateIndex
CREATE INDEX "challenge_export_export_id_idx" ON "challenge_export"("export_id");

-- AddForeignKey
ALTER TABLE "challenge_ban" ADD CONSTRAINT "challenge_ban_challenge_id_fkey" FOREIGN KEY ("challenge_id") REFERENCES "challenge"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "challenge_ban" ADD CONSTRAINT "challenge_ban_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "app_user"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "challenge_export" ADD CONSTRAINT "challenge_export_challenge_id_fkey" FOREIGN KEY ("challenge_id") REFERENCES "challenge"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "challenge_export" ADD CONSTRAINT "challenge_export_export_id_fkey" FOREIGN KEY ("export_id") REFERENCES "export"("id") ON DELETE CASCADE ON UPDATE CASCADE;
