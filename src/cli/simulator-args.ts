import { parseArgs } from "node:util";
import { isLanguage, type Language } from "../domain/language.ts";

/** The simulator's command-line options. */
export interface SimulatorArgs {
  user: string;
  language?: Language;
}

/** Thrown for a bad command line; the message says what is expected. */
export class UsageError extends Error {
  override name = "UsageError";
}

/** Parses `--user <name> [--lang id|en]`. */
export function parseSimulatorArgs(argv: string[], defaultUser: string): SimulatorArgs {
  let values: { user?: string | undefined; lang?: string | undefined };
  try {
    ({ values } = parseArgs({
      args: argv,
      options: { user: { type: "string", short: "u" }, lang: { type: "string", short: "l" } },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    throw new UsageError(`${(error as Error).message}\nusage: --user <name> [--lang id|en]`);
  }
  if (values.lang !== undefined && !isLanguage(values.lang)) throw new UsageError('--lang: expected "id" or "en"');
  return {
    user: values.user ?? defaultUser,
    ...(values.lang !== undefined ? { language: values.lang as Language } : {}),
  };
}
