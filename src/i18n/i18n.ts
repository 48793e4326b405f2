import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import i18next from "i18next";
import type { Translate } from "../conversation/ports.ts";
import { LANGUAGES, type Language } from "../domain/language.ts";
import { projectPath } from "../project-paths.ts";

/** The locales folder at the repository root. */
export const LOCALES_DIR = projectPath("locales");

type LocaleTree = { [key: string]: string | LocaleTree };

/**
 * Checks that a parsed locale file is a tree of strings, naming the first key that is not. A walk
 * of our own rather than a recursive zod schema: the files are ours, read at every start, and the
 * schema took 8 ms of a start that should take 500.
 */
function asLocaleTree(value: unknown, where: string): LocaleTree {
  if (typeof value !== "object" || value === null || Array.isArray(value))
    throw new Error(`${where}: expected a text or an object of translations`);
  for (const [key, child] of Object.entries(value)) {
    if (typeof child !== "string") asLocaleTree(child, `${where}.${key}`);
  }
  return value as LocaleTree;
}

/** All namespaces of all languages, read from locales/<lng>/<namespace>.json. */
export type LocaleResources = Record<Language, Record<string, LocaleTree>>;

/** Locale files read so far, by folder: they do not change while the process runs. */
const loaded = new Map<string, LocaleResources>();

/** Reads and validates every locale file (once per folder: the start asks several times). */
export function loadLocales(dir: string = LOCALES_DIR): LocaleResources {
  let resources = loaded.get(dir);
  if (!resources) {
    resources = readLocales(dir);
    loaded.set(dir, resources);
  }
  return resources;
}

function readLocales(dir: string): LocaleResources {
  const resources = {} as LocaleResources;
  for (const language of LANGUAGES) {
    resources[language] = {};
    for (const file of readdirSync(path.join(dir, language)).filter((f) => f.endsWith(".json"))) {
      const where = `${language}/${file}`;
      const content: unknown = JSON.parse(readFileSync(path.join(dir, language, file), "utf8"));
      resources[language][file.replace(/\.json$/, "")] = asLocaleTree(content, where);
    }
  }
  return resources;
}

/** Thrown in strict mode when code asks for a key the locales do not have. */
export class MissingTranslationError extends Error {
  override name = "MissingTranslationError";
}

/**
 * Creates the translator the engine uses: one fixed `t` per language. In strict mode (tests)
 * a missing key throws instead of showing the key to a person.
 */
export function createTranslator(
  resources: LocaleResources,
  options: { strict?: boolean } = {},
): (language: Language) => Translate {
  const instance = i18next.createInstance();
  void instance.init({
    resources,
    lng: "id",
    fallbackLng: false,
    supportedLngs: [...LANGUAGES],
    ns: Object.keys(resources.id),
    defaultNS: "common",
    interpolation: { escapeValue: false },
    returnNull: false,
    initAsync: false,
  });
  const fixed = new Map<Language, Translate>();
  for (const language of LANGUAGES) {
    const t = instance.getFixedT(language);
    // Labels and questions without parameters are rendered on every message: keep them.
    const plain = new Map<string, string>();
    fixed.set(language, (key, params) => {
      if (!params) {
        const cached = plain.get(key);
        if (cached !== undefined) return cached;
      }
      if (options.strict && !instance.exists(key, { lng: language })) {
        throw new MissingTranslationError(`missing locale key ${language}:${key}`);
      }
      const text = t(key, params ?? {}) as string;
      if (!params) plain.set(key, text);
      return text;
    });
  }
  return (language) => fixed.get(language) as Translate;
}
