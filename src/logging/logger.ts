import pino, { type DestinationStream, type Logger } from "pino";

export type { Logger } from "pino";

// Message text, identities and secrets never reach the logs; these paths catch the names
// a careless call might use.
const REDACTED_PATHS = [
  "text",
  "*.text",
  "address",
  "*.address",
  "phone",
  "*.phone",
  "narrative",
  "*.narrative",
  "pin",
  "*.pin",
  "name",
  "*.name",
  "payload",
  "*.payload",
];

/** Error messages can quote input; keep the type, code and stack frames, scrub quoted text and long numbers. */
function safeError(error: unknown): Record<string, unknown> {
  if (!(error instanceof Error)) return { type: typeof error };
  const scrub = (s: string) => s.replace(/(["'`]).*?\1/g, "$1…$1").replace(/\d{5,}/g, "…");
  const frames = (error.stack ?? "").split("\n").filter((line) => line.trimStart().startsWith("at "));
  return {
    type: error.name,
    code: (error as { code?: unknown }).code,
    message: scrub(error.message).slice(0, 300),
    stack: frames.slice(0, 12).join("\n"),
  };
}

/** Creates the process logger: JSON lines on stderr (stdout belongs to each CLI's own output). */
export function createLogger(level: string, destination?: DestinationStream): Logger {
  return pino(
    {
      level,
      base: undefined,
      // pino copies the message of an error under its errorKey into "msg", past the serializer
      // that scrubs it; under any other name an error is only serialized (quoted text removed).
      errorKey: "errorObject",
      redact: { paths: REDACTED_PATHS, censor: "[redacted]" },
      serializers: { err: safeError, error: safeError },
    },
    destination ?? pino.destination({ dest: 2, sync: true }),
  );
}
