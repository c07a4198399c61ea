export * from "./blob-schemas.ts";
export { openSignedBlob, type SignedBlob } from "./open-signed-blob.ts";
