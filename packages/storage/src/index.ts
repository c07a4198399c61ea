export {
  type BlobBody,
  type BlobInfo,
  BlobNotFoundError,
  type BlobStore,
  type ListOptions,
  type PresignOptions,
  type PutOptions,
  type SignedRequest,
} from "./blob-store.ts";
export { contentTypeForKey } from "./content-type.ts";
export {
  type CreateBlobStoreOptions,
  createBlobStore,
  createBlobStoreForBucket,
  createS3Client,
  type S3ClientOptions,
} from "./create-blob-store.ts";
export { parseStorageEnv, type S3Env, type StorageEnv, storageEnv } from "./env.ts";
export {
  assertValidKey,
  assertValidPrefix,
  blobKeySchema,
  type ContentKind,
  contentKey,
  InvalidBlobKeyError,
} from "./keys.ts";
export { verifyLocalSignature } from "./local-signature.ts";
export { LocalDiskStore, type LocalDiskStoreOptions } from "./local-store.ts";
export { S3Store, type S3StoreOptions } from "./s3-store.ts";
