import { defineJob } from "@arbor/jobs";
import { z } from "zod";

/** The background job that executes a candidate run (a model proposing candidate links). */
export const proposeCandidatesJob = defineJob("propose-candidates", z.object({ runId: z.number().int().positive() }));
