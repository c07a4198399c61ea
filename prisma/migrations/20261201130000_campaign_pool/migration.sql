-- The annotator pool of a campaign: annotators active in the last days are those who held a task since,
-- found per annotator by this index (the campaign page counts them on every read).

-- CreateIndex
CREATE INDEX "task_annotator_id_created_at_idx" ON "task"("annotator_id", "created_at");
