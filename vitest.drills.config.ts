import { defineConfig } from "vitest/config";

/**
 * The reliability drills (`npm run drills`, issue 8): minutes each, so kept out of `npm test`
 * (whose config takes only *.test.ts). One drill at a time: each loads the machine on its own
 * and prints its figures as one JSON line on stdout.
 */
export default defineConfig({
  test: {
    include: ["tests/drills/**/*.drill.ts"],
    testTimeout: 15 * 60_000,
    hookTimeout: 2 * 60_000,
    pool: "forks",
    fileParallelism: false,
    // The figure lines go straight to stdout, not through the reporter's console capture.
    disableConsoleIntercept: true,
  },
});
