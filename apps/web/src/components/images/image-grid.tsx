"use client";

import type { SynsetImages } from "@arbor/usecases";
import Link from "next/link";
import { useCallback, useEffect, useState } from "react";
import { apiGet, messageOf } from "../api-client";

type State = "" | "candidate" | "verified" | "rejected";

/**
 * A synset's images as a grid of lazily loaded thumbnails, a page at a time (keyset cursor), filtered by
 * link state (unless states are not shown: annotators get none) and optionally including the whole subtree.
 * Images whose labels are withheld from the viewer are not in the list the server sends.
 */
export function ImageGrid({
  wnid,
  refreshKey = 0,
  withDescendants = false,
  showStates = true,
}: {
  wnid: string;
  refreshKey?: number;
  withDescendants?: boolean;
  showStates?: boolean;
}) {
  const [state, setState] = useState<State>("");
  const [descendants, setDescendants] = useState(withDescendants);
  const [items, setItems] = useState<SynsetImages["items"]>([]);
  const [cursor, setCursor] = useState<number | null>(null);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const load = useCallback(
    async (after: number | null, replace: boolean) => {
      setLoading(true);
      setError(null);
      try {
        const page = await apiGet<SynsetImages>(`/api/v1/synsets/${wnid}/images`, {
          query: { limit: 60, descendants, state: state || undefined, cursor: after },
        });
        setItems((previous) => (replace ? page.items : [...previous, ...page.items]));
        setCursor(page.nextCursor);
      } catch (e) {
        setError(messageOf(e));
      } finally {
        setLoading(false);
      }
    },
    [wnid, state, descendants],
  );

  // biome-ignore lint/correctness/useExhaustiveDependencies: refreshKey reloads after an upload finished
  useEffect(() => {
    void load(null, true);
  }, [load, refreshKey]);

  return (
    <div>
      <div className="grid-toolbar">
        {showStates && (
          <label>
            Show{" "}
            <select value={state} onChange={(e) => setState(e.target.value as State)} aria-label="Link state">
              <option value="">all states</option>
              <option value="candidate">candidates</option>
              <option value="verified">verified</option>
              <option value="rejected">rejected</option>
            </select>
          </label>
        )}
        <label>
          <input type="checkbox" checked={descendants} onChange={(e) => setDescendants(e.target.checked)} /> include
          descendants
        </label>
      </div>
      {error && <p className="error">{error}</p>}
      {items.length === 0 && !loading && !error && (
        <div className="empty">No images here yet. Drop image files above, or ingest a folder.</div>
      )}
      <ul className="image-grid" aria-label="Images">
        {items.map((image) => (
          <li key={`${image.id}-${image.wnid}`}>
            <Link
              href={`/images/${image.id}`}
              title={`${image.width}×${image.height}${image.state ? ` · ${image.state}` : ""}`}
            >
              {/* biome-ignore lint/performance/noImgElement: thumbnails are already sized WebP served immutable */}
              <img
                src={image.thumbnailUrl}
                alt={image.state ? `#${image.id}, ${image.state}` : `#${image.id}`}
                loading="lazy"
                width={image.thumbnailWidth}
                height={image.thumbnailHeight}
              />
              {image.state && <span className={`state state-${image.state}`}>{image.state}</span>}
            </Link>
          </li>
        ))}
      </ul>
      {cursor !== null && (
        <button type="button" className="button" disabled={loading} onClick={() => void load(cursor, false)}>
          {loading ? "Loading…" : "Load more"}
        </button>
      )}
    </div>
  );
}
