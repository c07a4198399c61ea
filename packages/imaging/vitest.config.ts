import { defineConfig } from "vitest/config";

export default defineConfig({
  // The real-image tests decode a few dozen JPEGs; give slow CI machines room.
  test: { testTimeout: 30_000 },
});
