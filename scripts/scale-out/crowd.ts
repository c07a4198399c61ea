/**
 * A simulated crowd labelling through several web processes at once: each annotator takes a task from one
 * process and answers it through the other, turn about, and now and then answers the same task again through
 * the first (a client retrying after a lost response), which must record nothing. Every answer the server
 * accepted is remembered with the number of images it carried, so the harness can compare with the votes in
 * the database afterwards.
 */
import { mulberry32 } from "@arbor/core";
import type { Db } from "@arbor/db";
import { type Api, type Latencies, sleep } from "./http.ts";

export interface CrowdOptions {
  /** Per annotator: one client per web process (same token). */
  annotators: Api[][];
  /** Per annotator: the probability each answer is right. */
  accuracy: number[];
  db: Db;
  campaignId: number;
  /** Whether an image really shows the synset (the harness's knowledge; annotators are never told). */
  truth: (imageId: number) => boolean;
  deadline: number;
  latencies: Latencies;
  /** Every n-th task is answered a second time through another process. */
  retryEvery: number;
}

export interface CrowdResult {
  /** taskId → images in it, for every task whose answer got a 2xx. */
  accepted: Map<string, number>;
  /** Sum of `recorded` in those answers. */
  recorded: number;
  /** Second answers of a task (retries): how many, and votes they recorded (must be 0). */
  retries: number;
  retriesRecorded: number;
  /** Answers refused because the lease expired (409): nothing recorded, nothing expected. */
  leaseExpired: number;
  /** Other refusals (4xx other than 409): a defect. */
  unexpected: string[];
  campaignDone: boolean;
  seconds: number;
}

interface Task {
  taskId: string;
  images: { handle: number }[];
}

export async function runCrowd(options: CrowdOptions): Promise<CrowdResult> {
  const { db, campaignId } = options;
  const result: CrowdResult = {
    accepted: new Map(),
    recorded: 0,
    retries: 0,
    retriesRecorded: 0,
    leaseExpired: 0,
    unexpected: [],
    campaignDone: false,
    seconds: 0,
  };
  const started = performance.now();
  let done = false;
  let lastDoneCheck = 0;
  const isDone = async () => {
    if (done || Date.now() - lastDoneCheck < 250) return done;
    lastDoneCheck = Date.now();
    const campaign = await db.campaign.findUniqueOrThrow({ where: { id: campaignId }, select: { status: true } });
    done = campaign.status === "done";
    return done;
  };
  let tasksAnswered = 0;

  await Promise.all(
    options.annotators.map(async (clients, a) => {
      const random = mulberry32(1000 + a);
      const accuracy = options.accuracy[a] as number;
      let turn = a;
      while (Date.now() < options.deadline && !(await isDone())) {
        const take = clients[turn % clients.length] as Api;
        const give = clients[(turn + 1) % clients.length] as Api;
        turn++;
        const next = await take.request<Task>("GET", "/tasks/next", undefined, "GET tasks/next");
        if (next.status !== 200) {
          if (next.status !== 204) {
            result.unexpected.push(`tasks/next ${next.status} on ${take.base}: ${JSON.stringify(next.body)}`);
          }
          await sleep(250);
          continue;
        }
        const task = next.body;
        const { imageIds } = await db.task.findUniqueOrThrow({
          where: { id: task.taskId },
          select: { imageIds: true },
        });
        const positive = task.images
          .filter((image) => options.truth(imageIds[image.handle] as number) === random() < accuracy)
          .map((image) => image.handle);
        const path = `/tasks/${task.taskId}/answers`;
        const answer = await give.request<{ recorded: number; alreadySubmitted: boolean }>(
          "POST",
          path,
          { positive },
          "POST tasks/{id}/answers",
        );
        if (answer.status === 409) {
          result.leaseExpired++;
          continue;
        }
        if (answer.status < 200 || answer.status >= 300) {
          result.unexpected.push(`answers ${answer.status} on ${give.base}: ${JSON.stringify(answer.body)}`);
          continue;
        }
        if (answer.body.alreadySubmitted) result.unexpected.push(`task ${task.taskId}: first answer taken as a repeat`);
        result.accepted.set(task.taskId, task.images.length);
        result.recorded += answer.body.recorded;
        if (++tasksAnswered % options.retryEvery === 0) {
          // The same answer again through the other process, as a client whose response was lost would send it.
          const again = await take.request<{ recorded: number; alreadySubmitted: boolean }>(
            "POST",
            path,
            { positive },
            "POST tasks/{id}/answers (retry)",
          );
          result.retries++;
          if (again.status !== 200 || !again.body.alreadySubmitted) {
            result.unexpected.push(`retried answer ${again.status}: ${JSON.stringify(again.body)}`);
          }
          if (again.status === 200) result.retriesRecorded += again.body.recorded;
        }
      }
    }),
  );
  result.campaignDone = await isDone();
  result.seconds = (performance.now() - started) / 1000;
  return result;
}
