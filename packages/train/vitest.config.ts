import { defineConfig } from "vitest/config";

export default defineConfig({
  // Gradient and learning tests run real (small) training steps on 2 cores.
  test: { testTimeout: 120_000 },
});
