"use client";

import type { AnswersRecorded, IdleReason, TaskView } from "@arbor/usecases";
import { useCallback, useEffect, useRef, useState } from "react";
import { ApiError, apiGet, apiPost, messageOf } from "../api-client";

/** Nothing for this annotator now, and why (null from a server that does not say). */
export interface Idle {
  none: IdleReason | null;
}
type Fetched = TaskView | Idle;

export const isIdle = (fetched: Fetched): fetched is Idle => "none" in fetched;

async function fetchTask(): Promise<Fetched> {
  // 204 No Content: nothing is left for this annotator; the Arbor-Idle-Reason header (IDLE_REASON_HEADER) says why.
  let reason: string | null = null;
  const task = await apiGet<TaskView | undefined>("/api/v1/tasks/next", {
    cache: "no-store",
    onHeaders: (headers) => {
      reason = headers.get("arbor-idle-reason");
    },
  });
  if (task === undefined) return { none: reason as IdleReason | null };
  return preloaded(task);
}

/** Warms the browser cache so the task's grid appears at once. */
function preloaded(task: TaskView): TaskView {
  for (const image of [...task.images, ...task.examples]) new Image().src = image.thumbnailUrl;
  return task;
}

/**
 * Sends a task's answers and asks for the annotator's next task in the same request (`next: true`: one round
 * trip per task instead of two). Settles to the refusal, if any, and to what follows: the task the answer
 * carried, or one fetched as before when the answer was refused.
 */
function answer(task: TaskView, positive: number[]): { failure: Promise<unknown>; following: Promise<Fetched> } {
  const posted = apiPost<AnswersRecorded>(`/api/v1/tasks/${task.taskId}/answers`, { positive, next: true });
  return {
    failure: posted.then(
      () => null,
      (failure: unknown) => failure,
    ),
    following: posted.then(
      (recorded) => (recorded.next ? preloaded(recorded.next) : { none: recorded.idle ?? null }),
      () => fetchTask(),
    ),
  };
}

/**
 * The current task and, already leased and preloaded, the next one: answering shows the next grid
 * immediately while the answers are sent in the background, and the answer brings back the one after.
 */
export function useTaskQueue() {
  const [current, setCurrent] = useState<Fetched | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState(0);
  const next = useRef<Promise<Fetched> | null>(null);

  /** Shows the queued task (or `following`, or a fetched one); `following` then becomes the queued one. */
  const advance = useCallback(async (following: Promise<Fetched> | null = null) => {
    try {
      const queued = next.current;
      next.current = null;
      let task = await (queued ?? following ?? fetchTask());
      let rest = queued ? following : null;
      // The queued one was "nothing" but the answer found a task since: show that one.
      if (isIdle(task) && rest) [task, rest] = [await rest, null];
      next.current = isIdle(task) ? null : (rest ?? fetchTask());
      next.current?.catch(() => {});
      setCurrent(task);
    } catch (e) {
      setError(messageOf(e));
    }
  }, []);

  useEffect(() => {
    void advance();
  }, [advance]);

  // "Nothing" can be momentary (every free slot is leased to someone else): keep checking.
  useEffect(() => {
    if (current === null || !isIdle(current)) return;
    const timer = setTimeout(() => void advance(), 5000);
    return () => clearTimeout(timer);
  }, [current, advance]);

  const submit = useCallback(
    async (task: TaskView, positive: number[]) => {
      // Settled to the failure (or null), so a refusal that comes while the next task loads is never unhandled.
      const answered = answer(task, positive);
      await advance(answered.following);
      const failure = await answered.failure;
      if (failure === null) setDone((n) => n + 1);
      else if (failure instanceof ApiError && failure.status === 409)
        setError("That task's lease expired before it was answered; it went back to the pool.");
      else setError(messageOf(failure));
    },
    [advance],
  );

  return { current, error, done, submit };
}
