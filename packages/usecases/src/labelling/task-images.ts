import type { Db } from "@arbor/db";
import type { BlobStore } from "@arbor/storage";
import { conflict, forbidden, notFound } from "../errors.ts";
import { type ImageBlob, openImageBytes } from "../images/open-image-blob.ts";
import { visibleImage } from "../restrictions/visible-image-sql.ts";

type Queries = Pick<Db, "$queryRaw">;

/** How many verified examples a task shows beside its grid. */
export const TASK_EXAMPLES = 4;

/**
 * A task's images and examples are served through the task, by position, never by global image id: an
 * annotator who could look an image up would find the gold questions (already verified) and their answers.
 */
export const taskImageUrl = (taskId: string, n: number) => `/api/v1/tasks/${taskId}/images/${n}`;
export const taskExampleUrl = (taskId: string, n: number) => `/api/v1/tasks/${taskId}/examples/${n}`;

/**
 * The verified examples of a synset shown with its tasks: its first verified images by id, restricted ones
 * left out. The same for every task of the synset, so gold questions are never drawn from them (an annotator
 * who saw one as an example would know it for a gold question, and its answer).
 */
export async function taskExampleIds(db: Queries, synsetId: number): Promise<number[]> {
  const rows = await db.$queryRaw<{ image_id: number }[]>`
    SELECT l.image_id FROM image_link l
    WHERE l.synset_id = ${synsetId} AND l.state = 'verified' AND ${visibleImage("l.image_id", null)}
    ORDER BY l.image_id LIMIT ${TASK_EXAMPLES}`;
  return rows.map((r) => r.image_id);
}

export interface TaskImage extends Omit<ImageBlob, "etag"> {
  /** Until when the lease runs: how long the bytes may be cached, privately. */
  leaseExpiresAt: Date;
}

/**
 * The thumbnail of a task's `n`th image (or example), for the annotator who holds the task while its lease is
 * live: `not-found` for no such task or position, `forbidden` for someone else's task, `conflict` once the
 * task was answered or its lease ran out.
 */
export async function openTaskImage(
  deps: { db: Db; blobs: BlobStore },
  annotatorId: number,
  taskId: string,
  which: { kind: "image" | "example"; n: number },
): Promise<TaskImage> {
  const [task] = await deps.db.$queryRaw<
    {
      annotator_id: number;
      image_ids: number[];
      synset_id: number;
      submitted_at: Date | null;
      released_at: Date | null;
      lease_expires_at: Date;
    }[]
  >`SELECT t.annotator_id, t.image_ids, c.synset_id, t.submitted_at, t.released_at, t.lease_expires_at
    FROM task t JOIN campaign c ON c.id = t.campaign_id WHERE t.id = ${taskId}::uuid`;
  if (!task) throw notFound(`no task ${taskId}`);
  if (task.annotator_id !== annotatorId) throw forbidden("this task was given to someone else");
  if (task.submitted_at || task.released_at || task.lease_expires_at <= new Date()) {
    throw conflict("this task was answered or its lease ran out; its images are no longer shown");
  }
  const ids = which.kind === "image" ? task.image_ids : await taskExampleIds(deps.db, task.synset_id);
  const imageId = ids[which.n];
  if (imageId === undefined) throw notFound(`task ${taskId} has no ${which.kind} ${which.n}`);
  const { etag: _etag, ...blob } = await openImageBytes(deps, imageId, "thumbnail");
  return { ...blob, leaseExpiresAt: task.lease_expires_at };
}
