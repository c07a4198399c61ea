import type { Access } from "@arbor/usecases";

/** Pages and who may open them (the rest of the site is public). API routes state theirs in their definition. */
export const PAGE_POLICY = {
  "/ingest": ["admin"],
  "/label": ["annotator"],
  "/campaigns": ["admin"],
  /** Candidate links proposed by a model's predictions: admins curate what goes into labelling. */
  "/candidates": ["admin"],
  "/annotators": ["admin"],
  "/datasets": ["researcher", "admin"],
  "/models": ["researcher", "admin"],
  /** Challenges are public to read; a challenge's host page checks mayHost itself (its owner or an admin). */
  "/challenges/new": ["researcher", "admin"],
  /** Your own API tokens (admins: anyone's, with ?userId=). */
  "/account": "signed-in",
} as const satisfies Record<string, Access>;

export type PageSection = keyof typeof PAGE_POLICY;
