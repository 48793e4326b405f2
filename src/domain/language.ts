/** The languages the bot speaks; Indonesian is the default. */
export const LANGUAGES = ["id", "en"] as const;
/** One of LANGUAGES. */
export type Language = (typeof LANGUAGES)[number];

/** True when a value is one of the supported languages. */
export function isLanguage(value: unknown): value is Language {
  return value === "id" || value === "en";
}
