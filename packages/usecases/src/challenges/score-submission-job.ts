import { defineJob } from "@arbor/jobs";
import { z } from "zod";

/** The background job that scores one submission (`scoreSubmission`); sent by `submitToPhase` and the sweep. */
export const scoreSubmissionJob = defineJob(
  "score-submission",
  z.object({ submissionId: z.number().int().positive() }),
);
