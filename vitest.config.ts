import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["tests/**/*.test.ts"],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // Each file gets its own temporary database; files run in parallel on the two cores.
    pool: "forks",
  },
});
