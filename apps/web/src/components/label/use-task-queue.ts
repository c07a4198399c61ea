"use client";

import type { TaskView } from "@arbor/usecases";
import { useCallback, useEffect, useRef, useState } from "react";

type Fetched = TaskView | "none";

async function fetchTask(): Promise<Fetched> {
  const response = await fetch("/api/v1/tasks/next", { cache: "no-store" });
  if (response.status === 204) return "none";
  if (!response.ok) throw new Error((await response.json()).error?.message ?? `HTTP ${response.status}`);
  const task = (await response.json()) as TaskView;
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
      next.current = task === "none" ? null : fetchTask();
      next.current?.catch(() => {});
      setCurrent(task);
    } catch (e) {
      setError((e as Error).message);
    }
  }, []);

  useEffect(() => {
    void advance();
  }, [advance]);

  // "Nothing" can be momentary (every free slot is leased to someone else): keep checking.
  useEffect(() => {
    if (current !== "none") return;
    const timer = setTimeout(() => void advance(), 5000);
    return () => clearTimeout(timer);
  }, [current, advance]);

  const submit = useCallback(
    async (task: TaskView, positive: number[]) => {
      const answered = fetch(`/api/v1/tasks/${task.taskId}/answers`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ positive }),
      });
      await advance();
      const response = await answered;
      if (response.ok) setDone((n) => n + 1);
      else if (response.status === 409)
        setError("That task's lease expired before it was answered; it went back to the pool.");
      else setError((await response.json()).error?.message ?? `HTTP ${response.status}`);
    },
    [advance],
  );

  return { current, error, done, submit };
}
