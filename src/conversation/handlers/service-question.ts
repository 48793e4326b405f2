import { answerQuestion, questionIn } from "../questions.ts";
import type { MessageHandler } from "./message-handler.ts";

/**
 * After the global commands: a question about the service ("apakah polisi akan tahu nama
 * saya?") is answered wherever it is asked, and the flow's pending question is asked again.
 */
export const serviceQuestionHandler: MessageHandler = {
  name: "service-question",
  async handle(turn, input) {
    const topic = questionIn(turn, input);
    if (!topic) return false;
    if (turn.firstContact) turn.sayKey("common:welcomeShort");
    answerQuestion(turn, topic);
    return true;
  },
};
