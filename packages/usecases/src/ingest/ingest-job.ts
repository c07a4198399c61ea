import { defineJob } from "@arbor/jobs";
import { z } from "zod";

/** The background job that executes an ingest run. */
export const ingestRunJob = defineJob("ingest-run", z.object({ runId: z.number().int().positive() }));
