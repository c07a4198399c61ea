-- AlterTable: teams made before invite codes get a random one (md5 of random(): not guessable by a participant).
ALTER TABLE "challenge_team" ADD COLUMN     "invite_code" TEXT;
UPDATE "challenge_team" SET "invite_code" = md5(random()::text || id::text) WHERE "invite_code" IS NULL;
ALTER TABLE "challenge_team" ALTER COLUMN "invite_code" SET NOT NULL;

-- AlterTable
ALTER TABLE "challenge_submission" ADD COLUMN     "queued_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP;

-- CreateIndex
CREATE UNIQUE INDEX "challenge_team_invite_code_key" ON "challenge_team"("invite_code");
