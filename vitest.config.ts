import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    // Each file gets its own temporary database; files run in parallel on the two cores.
    pool: "forks",
    projects: [
      {
        extends: true,
        test: {
          name: "unit and integration",
          include: ["tests/unit/**/*.test.ts", "tests/integration/**/*.test.ts"],
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
      {
        extends: true,
        test: {
          name: "e2e",
          include: ["tests/e2e/**/*.test.ts"],
          // Each test starts real processes (npm, the bot, the CLI) one after another: on a machine
          // busy with other work each start can take several times as long as on a quiet one.
          testTimeout: 300_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
});
