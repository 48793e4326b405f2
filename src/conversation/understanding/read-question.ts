/**
 * Reads the questions people ask about the service itself, wherever they are in the dialogue
 * ("apakah polisi akan tahu nama saya?", "is this free?"), so that they are answered instead of
 * being taken as an answer or met with "not understood". Only a short reply that is asked as a
 * question (a question mark, or a question word first) and names one topic counts.
 */
import { type Lexicon, type ListKey, tableOf } from "./lexicon.ts";
import { normalizeReply } from "./normalize-reply.ts";
import { scan } from "./read-reply.ts";

/** What people ask about the service (issue 11, item 4). */
export const QUESTION_TOPICS = [
  "privacy",
  "nextSteps",
  "cost",
  "government",
  "forSomeoneElse",
  "wrong",
  "anonymous",
  "delete",
] as const;
/** One of QUESTION_TOPICS. */
export type QuestionTopic = (typeof QUESTION_TOPICS)[number];

/** A longer message is a story or an answer that happens to ask something, not a question to the bot. */
const MAX_QUESTION_WORDS = 16;

const TOPIC_LISTS: ReadonlyArray<[ListKey, string]> = QUESTION_TOPICS.map(
  (topic) => [`faq.${topic}` as ListKey, topic] as [ListKey, string],
);

/** The topic a question asks about, or null when the message is not such a question. */
export function readQuestion(text: string, lexicon: Lexicon): QuestionTopic | null {
  const { tokens, core } = normalizeReply(text, lexicon);
  if (core.length === 0 || tokens.length > MAX_QUESTION_WORDS) return null;
  const leads = tableOf(lexicon, "faq:leads", [
    ["questions", "lead"],
    ["faqLead", "lead"],
  ]);
  const asked = text.includes("?") || leads.longestAt(core, 0) !== null;
  if (!asked) return null;
  const { hits } = scan(core, tableOf(lexicon, "faq:topics", TOPIC_LISTS));
  const topics = [
    ...new Set(hits.map((h) => h.code).filter((c) => (QUESTION_TOPICS as readonly string[]).includes(c))),
  ];
  // Two topics at once ("gratis dan rahasia?"): the first one named is answered.
  return (topics[0] as QuestionTopic | undefined) ?? null;
}
