// Restricted images (labels withheld) and ownership: who may see and change what.
export { assertMayBrowse, type ImageAccess, imageAccess, mayBrowse } from "./image-access.ts";
export { assertMayChange, assertMayExportLabels, mayChange, restrictedLabelledSplits } from "./ownership.ts";
export { type RestrictionReason, restrictImages } from "./restrict-images.ts";
export { type Actor, isAdmin, isAnnotatorOnly, OPERATOR, type Viewer } from "./viewer.ts";
export { visibleImage } from "./visible-image-sql.ts";
