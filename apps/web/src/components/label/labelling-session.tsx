"use client";

import type { TaskView } from "@arbor/usecases";
import { useEffect, useState } from "react";
import { useTaskQueue } from "./use-task-queue";

const COLUMNS = 4;

/**
 * ImageNet's verification task, keyboard first: arrows move, Space or a digit toggles, Enter submits.
 * Every image left unmarked counts as "no".
 */
export function LabellingSession() {
  const { current, error, done, submit } = useTaskQueue();
  if (current === null) return <p className="muted">Loading your first task…</p>;
  if (current === "none") {
    return (
      <div className="empty">
        <h2>Nothing to label right now</h2>
        <p>
          {done > 0 ? `You answered ${done} task${done === 1 ? "" : "s"} — thank you. ` : ""}This page checks for new
          work every few seconds: images come back when other annotators' tasks expire, and when an admin starts a
          campaign.
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
      const id = task.images[index]?.id;
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
              <img key={example.id} src={example.thumbnailUrl} alt={`verified example of ${head}`} />
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
            const on = selected.has(image.id);
            return (
              <li key={image.id}>
                <button
                  type="button"
                  className={`label-cell${on ? " on" : ""}${index === cursor ? " cursor" : ""}`}
                  aria-pressed={on}
                  aria-label={`image ${index + 1}${on ? ", selected" : ""}`}
                  onClick={() => {
                    setCursor(index);
                    setSelected((previous) => {
                      const next = new Set(previous);
                      if (next.has(image.id)) next.delete(image.id);
                      else next.add(image.id);
                      return next;
                    });
                  }}
                >
                  {/* biome-ignore lint/performance/noImgElement: immutable thumbnails, preloaded */}
                  <img src={image.thumbnailUrl} alt="" />
                  {index < 9 && <span className="digit">{index + 1}</span>}
                </button>
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
