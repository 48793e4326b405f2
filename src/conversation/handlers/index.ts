import { attachmentsHandler } from "./attachments.ts";
import { cardReplyHandler } from "./card-reply.ts";
import { currentFlowHandler } from "./current-flow.ts";
import { globalCommandHandler } from "./global-command.ts";
import { groupChatterHandler } from "./group-chatter.ts";
import type { MessageHandler } from "./message-handler.ts";
import { serviceQuestionHandler } from "./service-question.ts";
import { staffCommandHandler } from "./staff-command.ts";
import { staffHintHandler } from "./staff-hint.ts";
import { unreadableHandler } from "./unreadable.ts";

/**
 * What a message means, decided in this order and nowhere else (DESIGN §2 Staff): a staff
 * command, then a reply to a card (or to the question just asked), then, in a group, nothing
 * more; then what cannot be read, files, the global commands, questions about the service, a
 * staff member's words between flows, and last the current flow.
 */
export const MESSAGE_HANDLERS: readonly MessageHandler[] = [
  staffCommandHandler,
  cardReplyHandler,
  groupChatterHandler,
  unreadableHandler,
  attachmentsHandler,
  globalCommandHandler,
  serviceQuestionHandler,
  staffHintHandler,
  currentFlowHandler,
];

export { handleInOrder, type MessageHandler } from "./message-handler.ts";
