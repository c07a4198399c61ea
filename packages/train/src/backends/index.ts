export type { BackendChoice, BackendInfo } from "./select-backend.ts";
export { initBackend } from "./select-backend.ts";
