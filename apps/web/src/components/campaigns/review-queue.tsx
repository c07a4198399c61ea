"use client";

import type { ReviewItem } from "@arbor/usecases";
import { useRouter } from "next/navigation";

/** Ambiguous images: the admin decides, overriding the crowd. */
export function ReviewQueue({ campaignId, items }: { campaignId: number; items: ReviewItem[] }) {
  const router = useRouter();
  if (items.length === 0) return <p className="muted">Nothing to review.</p>;
  const settle = async (imageId: number, decision: "verified" | "rejected") => {
    await fetch(`/api/v1/campaigns/${campaignId}/reviews`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ imageId, decision }),
    });
    router.refresh();
  };
  return (
    <ul className="image-grid review">
      {items.map((item) => (
        <li key={item.imageId} className="review-item">
          {/* biome-ignore lint/performance/noImgElement: immutable thumbnails */}
          <img src={item.thumbnailUrl} alt={`#${item.imageId}: ${item.yes} yes, ${item.no} no`} />
          <span className="state">
            {item.yes}✓ {item.no}✗
          </span>
          <div className="review-actions">
            <button type="button" className="button" onClick={() => void settle(item.imageId, "verified")}>
              Yes
            </button>
            <button type="button" className="button" onClick={() => void settle(item.imageId, "rejected")}>
              No
            </button>
          </div>
        </li>
      ))}
    </ul>
  );
}
