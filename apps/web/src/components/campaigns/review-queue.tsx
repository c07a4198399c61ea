"use client";

import type { ReviewItem } from "@arbor/usecases";
import { useRouter } from "next/navigation";
import { apiPost } from "../api-client";
import { FormError } from "../form-error";
import { useSubmit } from "../use-submit";

/** Ambiguous images: the admin decides, overriding the crowd. */
export function ReviewQueue({ campaignId, items }: { campaignId: number; items: ReviewItem[] }) {
  const router = useRouter();
  const { run, busy, error } = useSubmit();
  if (items.length === 0) return <p className="muted">Nothing to review.</p>;
  const settle = (imageId: number, decision: "verified" | "rejected") =>
    run(async () => {
      await apiPost(`/api/v1/campaigns/${campaignId}/reviews`, { imageId, decision });
      router.refresh();
    });
  return (
    <>
      <FormError error={error} />
      <ul className="image-grid review">
        {items.map((item) => (
          <li key={item.imageId} className="review-item">
            {/* biome-ignore lint/performance/noImgElement: immutable thumbnails */}
            <img src={item.thumbnailUrl} alt={`#${item.imageId}: ${item.yes} yes, ${item.no} no`} />
            <span className="state">
              {item.yes}✓ {item.no}✗
            </span>
            <div className="review-actions">
              <button
                type="button"
                className="button"
                disabled={busy}
                onClick={() => void settle(item.imageId, "verified")}
              >
                Yes
              </button>
              <button
                type="button"
                className="button"
                disabled={busy}
                onClick={() => void settle(item.imageId, "rejected")}
              >
                No
              </button>
            </div>
          </li>
        ))}
      </ul>
    </>
  );
}
