import type { Db } from "@arbor/db";
import { usecasesEnv } from "../env.ts";
import { notFound, UseCaseError } from "../errors.ts";
import { isAdmin, isAnnotatorOnly, type Viewer } from "./viewer.ts";
import { visibleImage } from "./visible-image-sql.ts";

type Queries = Pick<Db, "$queryRaw">;

/** What a viewer may see of one image. */
export interface ImageAccess {
  /**
   * Restricted for this viewer: in a split whose labels are withheld, and they are neither an admin nor the
   * owner of a version that restricts it. Nothing that could give its label away is shown: link states,
   * predictions, near-duplicates, sha256, sources.
   */
  restricted: boolean;
  /** Link states and predictions may be shown: not restricted, and the viewer is not only an annotator. */
  labels: boolean;
  /** Source locators (server paths, URLs: they often name the class) are for admins only. */
  locators: boolean;
}

/** What `viewer` may see of image `imageId`; `not-found` when there is no such image. */
export async function imageAccess(db: Queries, viewer: Viewer, imageId: number): Promise<ImageAccess> {
  const [row] = await db.$queryRaw<{ visible: boolean }[]>`
    SELECT ${visibleImage("i.id", viewer)} AS visible FROM image i WHERE i.id = ${imageId}`;
  if (!row) throw notFound(`no image ${imageId}`);
  const restricted = !row.visible;
  return { restricted, labels: !restricted && !isAnnotatorOnly(viewer), locators: isAdmin(viewer) };
}

/** Whether the viewer may see images at all: anyone, unless ARBOR_PUBLIC_BROWSE is off (then the signed-in). */
export function mayBrowse(viewer: Viewer, publicBrowse = usecasesEnv().publicBrowse): boolean {
  return viewer !== null || publicBrowse;
}

/** `unauthenticated` for an anonymous visitor when ARBOR_PUBLIC_BROWSE is off. */
export function assertMayBrowse(viewer: Viewer, publicBrowse = usecasesEnv().publicBrowse): void {
  if (!mayBrowse(viewer, publicBrowse)) {
    throw new UseCaseError("unauthenticated", "sign in to see images (ARBOR_PUBLIC_BROWSE is off on this server)");
  }
}
