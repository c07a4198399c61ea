import { TAR_END, tarHeader, tarPadding } from "@arbor/core";
import type { Db } from "@arbor/db";
import type { BlobStore } from "@arbor/storage";
import { notFound } from "../errors.ts";
import { streamToBuffer } from "../exports/image-file.ts";
import { type ImageBlob, openImageBytes } from "../images/open-image-blob.ts";
import type { Viewer } from "../restrictions/viewer.ts";
import { assertTestSetReader, readTestImages, testImagesCsv } from "./list-test-images.ts";

/**
 * A test image's bytes, without the image's ETag: a content-derived tag is the same for the same image
 * wherever it is served, so it would tell a participant which public image (and so which label) it is.
 */
export type TestImage = Omit<ImageBlob, "etag">;

const elsewhere = (phase: { name: string }) =>
  notFound(`the host keeps this phase's images elsewhere (phase ${phase.name} was made from an uploaded ground truth)`);

/**
 * The stored original of a phase's test image at `position` (1-based), for its participants and host. Only a
 * phase made from a dataset version's split has its images here (`not-found` for an uploaded ground truth).
 * The image is read as the test set names it (by position), never by its dataset id, so this door serves
 * the phase's own images and nothing else.
 */
export async function openTestImage(
  services: { db: Db; blobs: BlobStore },
  phaseId: number,
  position: number,
  actor: Viewer,
): Promise<TestImage> {
  const phase = await assertTestSetReader(services.db, phaseId, actor);
  if (phase.truthSource !== "version") throw elsewhere(phase);
  const row = await services.db.challengeTruth.findFirst({
    where: { phaseId, revision: phase.truthRevision, position },
    select: { imageKey: true },
  });
  if (!row) throw notFound(`phase ${phase.name} has no test image at position ${position}`);
  const { etag: _etag, ...image } = await openImageBytes(services, Number(row.imageKey), "original");
  return image;
}

/**
 * A phase's test images as one tar: `test-images.csv` (position,image_id) first, then
 * `images/<position, 6 digits>-<image id>.<ext>` in position order. Access is checked and the list read
 * before this resolves (so a refusal is an ordinary error); the images are then read one at a time as the
 * archive is consumed, never all held at once.
 */
export async function openTestImageArchive(
  services: { db: Db; blobs: BlobStore },
  phaseId: number,
  actor: Viewer,
): Promise<AsyncIterable<Uint8Array>> {
  const phase = await assertTestSetReader(services.db, phaseId, actor);
  if (phase.truthSource !== "version") throw elsewhere(phase);
  const list = await readTestImages(services.db, phase);
  return (async function* archive() {
    const csv = Buffer.from(testImagesCsv(list), "utf8");
    yield* member("test-images.csv", csv);
    for (const { position, imageId } of list.images) {
      const image = await openImageBytes(services, Number(imageId), "original");
      // One image in memory at a time: a tar header needs the member's size before its bytes.
      const bytes = await streamToBuffer(image.stream);
      yield* member(`images/${String(position).padStart(6, "0")}-${imageId}.${extensionOf(image.contentType)}`, bytes);
    }
    yield TAR_END;
  })();
}

function* member(name: string, bytes: Uint8Array): Generator<Uint8Array> {
  yield tarHeader(name, bytes.length);
  yield bytes;
  const padding = tarPadding(bytes.length);
  if (padding.length > 0) yield padding;
}

const extensionOf = (contentType: string) => {
  const format = contentType.replace(/^image\//, "");
  return format === "jpeg" ? "jpg" : format;
};
