import { defineJob } from "@arbor/jobs";
import { z } from "zod";

/** The background job that freezes a definition (a freeze run) into the next version of its dataset. */
export const freezeRunJob = defineJob("freeze-run", z.object({ runId: z.number().int().positive() }));
