import { defineJob } from "@arbor/jobs";
import { z } from "zod";

/** The background job that writes an export. */
export const exportJob = defineJob("export", z.object({ exportId: z.number().int().positive() }));
