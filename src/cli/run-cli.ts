import { SimulatorUsageError } from "../channels/terminal/simulator.ts";
import { ConfigError } from "../config.ts";
import { KeyConfigError } from "../security/key-ring.ts";
import { UsageError } from "./simulator-args.ts";

/**
 * Runs a command-line entry point: a configuration or usage problem is one clear line on
 * stderr (exit 2); anything else is reported on stderr with exit 1. Stdout stays the tool's.
 */
export function runCli(main: () => Promise<void>): void {
  main().then(
    () => process.exit(0),
    (error: unknown) => {
      if (
        error instanceof ConfigError ||
        error instanceof UsageError ||
        error instanceof KeyConfigError ||
        error instanceof SimulatorUsageError
      ) {
        process.stderr.write(`${error.message}\n`);
        process.exit(2);
      }
      process.stderr.write(
        `Unexpected error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
      );
      process.exit(1);
    },
  );
}
