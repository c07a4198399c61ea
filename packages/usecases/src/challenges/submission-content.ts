import type { BlobStore } from "@arbor/storage";
import { submissionBlobKey } from "./submit-to-phase.ts";

/** A stored submission's text, read back from the blob store (its key: phase, team and sha256). */
export async function readSubmissionContent(
  blobs: BlobStore,
  row: { phaseId: number; teamId: number; sha256: string },
): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of await blobs.getStream(submissionBlobKey(row))) chunks.push(Buffer.from(chunk as Buffer));
  return Buffer.concat(chunks).toString("utf8");
}
