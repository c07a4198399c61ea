import path from "node:path";
import { fileURLToPath } from "node:url";

/** The repository root, found from this file (src/testing/ of packages/train). */
export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../../..");
/** Shared read-only data beside the checkout: never copied into the repository. */
export const SHARED_DATA = path.resolve(REPO_ROOT, "../shared/data");
export const CIFAR10_JPG = path.join(SHARED_DATA, "cifar10-jpg");
export const IMAGENET_META = path.join(SHARED_DATA, "imagenet-meta");
export const CIFAR10_MAP = path.join(REPO_ROOT, "scripts/data/cifar10.map");
