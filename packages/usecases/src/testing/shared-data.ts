import { fileURLToPath } from "node:url";

/** `../shared/data` beside the checkout: real ImageNet metadata and images used by tests (see SOURCE.md). */
export const SHARED_DATA_DIR = fileURLToPath(new URL("../../../../../shared/data", import.meta.url));
