-- Stale runs: a heartbeat on ingest runs and exports (a running one whose process died is marked failed), and
-- an ingest run's warning (why it ingested nothing).

-- AlterTable
ALTER TABLE "ingest_run" ADD COLUMN "warning" TEXT,
ADD COLUMN "heartbeat_at" TIMESTAMPTZ(3);

-- AlterTable
ALTER TABLE "export" ADD COLUMN "heartbeat_at" TIMESTAMPTZ(3);
