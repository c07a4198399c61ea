import type { Db } from "@arbor/db";
import { describeSource, type IngestOptionsInput, ingestOptionsSchema } from "./ingest-options.ts";

/** Records a new run (queued); a worker or the CLI then executes it. Options are validated here. */
export async function createIngestRun(db: Db, input: IngestOptionsInput): Promise<{ id: number }> {
  const options = ingestOptionsSchema.parse(input);
  return db.ingestRun.create({
    data: { kind: options.kind, source: describeSource(options), options },
    select: { id: true },
  });
}
