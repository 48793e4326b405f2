import { SimulatorUsageError } from "../channels/terminal/simulator.ts";
import { ConfigError } from "../config.ts";
import { KeyConfigError } from "../security/key-ring.ts";
import { UsageError } from "./simulator-args.ts";

/**
 * Ends the process once what was written to stdout and stderr has gone out: output to a pipe
 * is written in the background, and exiting at once would cut a long listing short.
 */
function exitAfterOutput(code: number): void {
  let waiting = 2;
  const done = () => {
    if (--waiting === 0) process.exit(code);
  };
  process.stdout.write("", done);
  process.stderr.write("", done);
}

/**
 * Runs a command-line entry point: a configuration or usage problem is one clear line on
 * stderr (exit 2); anything else is reported on stderr with exit 1. Stdout stays the tool's.
 */
export function runCli(main: () => Promise<void>): void {
  // A reader that stops early (`| head`) ends the command as a closed pipe ends any Unix tool
  // (status 141, as if by SIGPIPE), not in an error with a stack.
  process.stdout.on("error", (error: NodeJS.ErrnoException) => {
    if (error.code === "EPIPE") process.exit(141);
    throw error;
  });
  main().then(
    () => exitAfterOutput(0),
    (error: unknown) => {
      if (
        error instanceof ConfigError ||
        error instanceof UsageError ||
        error instanceof KeyConfigError ||
        error instanceof SimulatorUsageError
      ) {
        process.stderr.write(`${error.message}\n`);
        exitAfterOutput(2);
        return;
      }
      process.stderr.write(
        `Unexpected error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
      );
      exitAfterOutput(1);
    },
  );
}
