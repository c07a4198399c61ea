"use client";

import type { IdleReason, TaskView } from "@arbor/usecases";
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
  // Warm the browser cache so the next grid appears at once.
  for (const image of [...task.images, ...task.examples]) new Image().src = image.thumbnailUrl;
  return task;
}

/**
 * The current task and, already leased and preloaded, the next one: answering shows the next grid
 * immediately while the answers are sent in the background.
 */
export function useTaskQueue() {
  const [current, setCurrent] = useState<Fetched | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState(0);
  const next = useRef<Promise<Fetched> | null>(null);

  const advance = useCallback(async () => {
    try {
      const task = await (next.current ?? fetchTask());
      next.current = isIdle(task) ? null : fetchTask();
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
      const answered = apiPost(`/api/v1/tasks/${task.taskId}/answers`, { positive }).then(
        () => null,
        (failure: unknown) => failure,
      );
      await advance();
      const failure = await answered;
      if (failure === null) setDone((n) => n + 1);
      else if (failure instanceof ApiError && failure.status === 409)
        setError("That task's lease expired before it was answered; it went back to the pool.");
      else setError(messageOf(failure));
    },
    [advance],
  );

  return { current, error, done, submit };
}
