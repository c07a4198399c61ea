"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { ImageGrid } from "./image-grid";
import { UploadDropZone } from "./upload-drop-zone";

/**
 * The synset page's image section: upload on top, grid below, the grid reloading after an upload. An inner
 * synset with nothing linked directly starts with its subtree's images.
 */
export function SynsetImages({
  wnid,
  withDescendants,
  canUpload,
  showStates,
}: {
  wnid: string;
  withDescendants: boolean;
  /** Uploading is for admins; the server enforces it, this only hides what would be refused. */
  canUpload: boolean;
  /** Annotators see no link states (the server leaves them out and refuses the filter). */
  showStates: boolean;
}) {
  const [refreshKey, setRefreshKey] = useState(0);
  const router = useRouter();
  return (
    <>
      {canUpload && (
        <UploadDropZone
          wnid={wnid}
          onIngested={() => {
            setRefreshKey((k) => k + 1);
            router.refresh(); // the server-rendered counts
          }}
        />
      )}
      <ImageGrid wnid={wnid} refreshKey={refreshKey} withDescendants={withDescendants} showStates={showStates} />
    </>
  );
}
