-- CreateTable
CREATE TABLE "freeze_run" (
    "id" SERIAL NOT NULL,
    "dataset_name" TEXT NOT NULL,
    "definition" JSONB NOT NULL,
    "actor_id" INTEGER,
    "actor_roles" TEXT[] NOT NULL,
    "status" "RunStatus" NOT NULL DEFAULT 'queued',
    "phase" TEXT,
    "total" INTEGER,
    "processed" INTEGER NOT NULL DEFAULT 0,
    "version_id" INTEGER,
    "error" TEXT,
    "error_kind" TEXT,
    "error_detail" JSONB,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "started_at" TIMESTAMPTZ(3),
    "finished_at" TIMESTAMPTZ(3),
    "heartbeat_at" TIMESTAMPTZ(3),

    CONSTRAINT "freeze_run_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "freeze_run_status_idx" ON "freeze_run"("status");
