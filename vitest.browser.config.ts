import { defineConfig } from "vitest/config";

// The staff web inbox in Debian's chromium (npm run test:browser; .ci/run installs chromium). The
// bot runs as terminal simulators on one database, so the tests of this file run in order.
export default defineConfig({
  test: {
    include: ["tests/browser/**/*.test.ts"],
    pool: "forks",
    fileParallelism: false,
    testTimeout: 240_000,
    hookTimeout: 240_000,
  },
});
