-- Consensus runs after the answer's transaction (issue 14): the items an answer's votes changed wait here
-- until their consensus step (or the sweep) has decided with them.
CREATE TABLE "consensus_due" (
    "campaign_id" INTEGER NOT NULL,
    "image_id" INTEGER NOT NULL,
    "since" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "consensus_due_pkey" PRIMARY KEY ("campaign_id", "image_id")
);

-- AddForeignKey
ALTER TABLE "consensus_due" ADD CONSTRAINT "consensus_due_campaign_id_image_id_fkey" FOREIGN KEY ("campaign_id", "image_id") REFERENCES "campaign_item"("campaign_id", "image_id") ON DELETE CASCADE ON UPDATE CASCADE;
