import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    // Each file gets its own temporary database, so files can run side by side. Vitest's default is
    // one worker fewer than the cores, which on these 2-core machines ran every file in turn.
    pool: "forks",
    maxWorkers: 2,
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
