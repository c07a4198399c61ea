-- Auth hardening: API tokens can expire; failed sign-ins are counted per email and per address (throttling
-- shared by every web process).

-- AlterTable
ALTER TABLE "api_token" ADD COLUMN "expires_at" TIMESTAMPTZ(3);

-- CreateTable
CREATE TABLE "login_throttle" (
    "key" TEXT NOT NULL,
    "failures" INTEGER NOT NULL,
    "last_failure_at" TIMESTAMPTZ(3) NOT NULL,
    CONSTRAINT "login_throttle_pkey" PRIMARY KEY ("key")
);

-- CreateIndex
CREATE INDEX "login_throttle_last_failure_at_idx" ON "login_throttle"("last_failure_at");
