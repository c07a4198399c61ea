"use client";

import { type ReactNode, useState } from "react";

type Tab = "ambiguous" | "label-errors";

/**
 * The review queue's tabs: the crowd's ambiguous images (rendered by the server, passed in) and likely label
 * errors (loaded when first opened, then kept, so switching back and forth does not ask the model again).
 */
export function ReviewTabs({
  ambiguous,
  ambiguousCount,
  labelErrors,
}: {
  ambiguous: ReactNode;
  ambiguousCount: number;
  labelErrors: ReactNode;
}) {
  const [tab, setTab] = useState<Tab>("ambiguous");
  const [opened, setOpened] = useState(false);
  const button = (id: Tab, label: string) => (
    <button
      type="button"
      role="tab"
      id={`review-tab-${id}`}
      aria-selected={tab === id}
      aria-controls={`review-panel-${id}`}
      className={`tab${tab === id ? " on" : ""}`}
      onClick={() => {
        setTab(id);
        if (id === "label-errors") setOpened(true);
      }}
    >
      {label}
    </button>
  );
  return (
    <>
      <div className="tabs" role="tablist" aria-label="Review queue">
        {button("ambiguous", `Ambiguous (${ambiguousCount})`)}
        {button("label-errors", "Likely label errors")}
      </div>
      <div
        role="tabpanel"
        id="review-panel-ambiguous"
        aria-labelledby="review-tab-ambiguous"
        hidden={tab !== "ambiguous"}
      >
        {ambiguous}
      </div>
      <div
        role="tabpanel"
        id="review-panel-label-errors"
        aria-labelledby="review-tab-label-errors"
        hidden={tab !== "label-errors"}
      >
        {opened && labelErrors}
      </div>
    </>
  );
}
