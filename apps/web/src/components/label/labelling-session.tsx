"use client";

import type { IdleReason, TaskView } from "@arbor/usecases";
import { useEffect, useState } from "react";
import { formatGuess } from "../prelabels/prelabels-format";
import { isIdle, useTaskQueue } from "./use-task-queue";

const COLUMNS = 4;

/** What the 204 of tasks/next means to the annotator, by its Arbor-Idle-Reason. */
const IDLE: Record<IdleReason | "unknown", { title: string; text: string }> = {
  "voted-all": {
    title: "Nothing left for you",
    text: "you have voted on every remaining image; the other annotators decide the rest.",
  },
  "waiting-for-others": {
    title: "Waiting for others",
    text:
      "the images you have not voted on are in other annotators' tasks right now, or wait for the seed set, " +
      "which needs their votes first. They come back when those tasks are answered or expire.",
  },
  "campaign-blocked": {
    title: "Waiting for more annotators",
    text: "a campaign needs more annotators than it has before it can go on; an admin can add some.",
  },
  "no-campaigns": { title: "No campaign is running", text: "an admin starts one from the Campaigns page." },
  unknown: { title: "Nothing free", text: "images come back when other annotators' tasks expire." },
};

/**
 * ImageNet's verification task, keyboard first: arrows move, Space or a digit toggles, Enter submits.
 * Every image left unmarked counts as "no".
 */
export function LabellingSession() {
  const { current, error, done, submit } = useTaskQueue();
  if (current === null) return <p className="muted">Loading your first task…</p>;
  if (isIdle(current)) {
    // A reason this page does not know gets the generic text.
    const idle = (current.none && IDLE[current.none]) || IDLE.unknown;
    return (
      <div className="empty">
        <h2>Nothing to label right now</h2>
        <p>
          <b>{idle.title}</b>: {idle.text}
        </p>
        <p>
          {done > 0 ? `You answered ${done} task${done === 1 ? "" : "s"} — thank you. ` : ""}This page checks for new
          work every few seconds.
        </p>
      </div>
    );
  }
  return (
    <TaskGrid
      key={current.taskId}
      task={current}
      done={done}
      error={error}
      onSubmit={(positive) => submit(current, positive)}
    />
  );
}

function TaskGrid({
  task,
  done,
  error,
  onSubmit,
}: {
  task: TaskView;
  done: number;
  error: string | null;
  onSubmit: (positive: number[]) => void;
}) {
  const [selected, setSelected] = useState<Set<number>>(new Set());
  const [cursor, setCursor] = useState(0);
  const count = task.images.length;

  useEffect(() => {
    const toggle = (index: number) => {
      const id = task.images[index]?.handle;
      if (id === undefined) return;
      setSelected((previous) => {
        const next = new Set(previous);
        if (next.has(id)) next.delete(id);
        else next.add(id);
        return next;
      });
    };
    const onKey = (event: KeyboardEvent) => {
      if (event.target instanceof HTMLInputElement || event.metaKey || event.ctrlKey || event.altKey) return;
      const moves: Record<string, number> = { ArrowRight: 1, ArrowLeft: -1, ArrowDown: COLUMNS, ArrowUp: -COLUMNS };
      if (event.key in moves) {
        setCursor((c) => Math.min(count - 1, Math.max(0, c + (moves[event.key] as number))));
      } else if (event.key === " ") {
        toggle(cursor);
      } else if (/^[1-9]$/.test(event.key)) {
        toggle(Number(event.key) - 1);
        setCursor(Number(event.key) - 1);
      } else if (event.key === "Enter") {
        onSubmit([...selected]);
      } else if (event.key === "Escape") {
        setSelected(new Set());
      } else return;
      event.preventDefault();
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [task, cursor, count, selected, onSubmit]);

  const [head, ...synonyms] = task.synset.lemmas;
  return (
    <div className="label-layout">
      <section className="panel label-brief">
        <p className="muted" style={{ margin: 0 }}>
          Select every image that shows
        </p>
        <h1 className="label-target">{head}</h1>
        {synonyms.length > 0 && <p className="synonyms">{synonyms.join(" · ")}</p>}
        <p className="gloss" style={{ fontSize: "0.95rem" }}>
          {task.synset.gloss}
        </p>
        <p className="muted" style={{ fontSize: "0.85rem" }}>
          Regardless of occlusion, number of objects and clutter.
        </p>
        {task.examples.length > 0 && (
          <figure className="examples">
            {task.examples.map((example) => (
              // biome-ignore lint/performance/noImgElement: small immutable thumbnails
              <img key={example.thumbnailUrl} src={example.thumbnailUrl} alt={`verified example of ${head}`} />
            ))}
            <figcaption className="muted" style={{ width: "100%", fontSize: "0.8rem" }}>
              verified examples
            </figcaption>
          </figure>
        )}
        <p className="keys">
          <kbd>←↑→↓</kbd> move · <kbd>Space</kbd>/<kbd>1</kbd>–<kbd>9</kbd> toggle · <kbd>Enter</kbd> submit ·{" "}
          <kbd>Esc</kbd> clear
        </p>
        <p className="muted" style={{ fontSize: "0.85rem" }}>
          {done} task{done === 1 ? "" : "s"} answered this session
        </p>
        {error && <p className="error">{error}</p>}
      </section>
      <section>
        <ul className="label-grid" aria-label={`Images: which show ${head}?`}>
          {task.images.map((image, index) => {
            const on = selected.has(image.handle);
            return (
              <li key={image.handle}>
                <button
                  type="button"
                  className={`label-cell${on ? " on" : ""}${index === cursor ? " cursor" : ""}`}
                  aria-pressed={on}
                  aria-label={`image ${index + 1}${on ? ", selected" : ""}`}
                  onClick={() => {
                    setCursor(index);
                    setSelected((previous) => {
                      const next = new Set(previous);
                      if (next.has(image.handle)) next.delete(image.handle);
                      else next.add(image.handle);
                      return next;
                    });
                  }}
                >
                  {/* biome-ignore lint/performance/noImgElement: immutable thumbnails, preloaded */}
                  <img src={image.thumbnailUrl} alt="" />
                  {index < 9 && <span className="digit">{index + 1}</span>}
                </button>
                {image.modelGuess && (
                  <span className="model-guess">model&apos;s guess: {formatGuess(image.modelGuess.prior)}</span>
                )}
              </li>
            );
          })}
        </ul>
        <button type="button" className="button primary" onClick={() => onSubmit([...selected])}>
          Submit ({selected.size} yes, {count - selected.size} no) ⏎
        </button>
      </section>
    </div>
  );
}
