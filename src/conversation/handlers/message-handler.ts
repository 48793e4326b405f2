import { isShortAnswer } from "../../text/input-limits.ts";
import type { UserInput } from "../choices.ts";
import type { Turn } from "../turn.ts";

/**
 * One link of the chain that decides what a message means (STYLE: one meaning per message, in one
 * visible order). It either takes the message ("mine": it answered) or passes it to the next.
 */
export interface MessageHandler {
  readonly name: string;
  handle(turn: Turn, input: UserInput): Promise<boolean>;
}

/** Offers the message to each handler in order; returns the name of the one that took it, or null. */
export async function handleInOrder(
  handlers: readonly MessageHandler[],
  turn: Turn,
  input: UserInput,
): Promise<string | null> {
  for (const handler of handlers) if (await handler.handle(turn, input)) return handler.name;
  return null;
}

// Matched on trimmed short text: "\s*[.)]?\s*$" backtracks quadratically over a long run of spaces.
const BARE_NUMBER = /^(\d{1,2})\s*[.)]?$/;

/** The number when the whole message is one ("2", " 3.", "1)"), else null. */
export function bareNumber(text: string | undefined): number | null {
  const match = text === undefined || !isShortAnswer(text) ? null : BARE_NUMBER.exec(text.trim());
  return match ? Number(match[1]) : null;
}
