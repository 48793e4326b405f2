import {
  AGE_GROUPS,
  type AgeGroup,
  CATEGORIES,
  type Category,
  type ContactPreference,
  GENDERS,
  type Gender,
  type Indicator,
  type IndicatorAnswer,
  type Nationality,
  REPORTER_ROLES,
  type ReporterRole,
  VICTIM_COUNTS,
  type VictimCount,
} from "../domain/case.ts";
import { labelForCodes, labelForResolution } from "../regions/area-names.ts";
import { COMMON_DESTINATIONS, COUNTRY_CODES } from "../regions/countries.ts";
import { getPlaceResolver, type PlaceResolution } from "../regions/index.ts";
import { matchCountry, matchProvinces } from "../regions/place-match.ts";
import { PROVINCES, provinceByCode } from "../regions/provinces.ts";
import { isShortAnswer, MAX_PLACE_TEXT, placeHead } from "../text/input-limits.ts";
import { normalizeName } from "../text/normalize.ts";
import type { ChoiceDef, UserInput } from "./choices.ts";
import type { Translate } from "./ports.ts";
import { previewDraftRoute, recipientsInWords } from "./route-preview.ts";
import {
  type Draft,
  EDIT_SECTIONS,
  type EditSection,
  INTAKE_STEPS,
  type IntakeState,
  type IntakeStep,
  type PlaceOption,
} from "./state.ts";
import type { Turn } from "./turn.ts";
import { lexiconFor } from "./understanding/lexicon.ts";
import { normalizeReply, trimEdgeParticles } from "./understanding/normalize-reply.ts";
import { type AnswerKind, type Reading, readReply } from "./understanding/read-reply.ts";

/** What answering a step does to the intake. */
export type StepOutcome =
  | { kind: "next"; draft: Draft }
  | { kind: "goto"; step: IntakeStep; draft: Draft; editing?: EditSection | null; extra?: StepExtras }
  | { kind: "stay"; draft: Draft; extra?: StepExtras }
  | { kind: "submit" }
  | { kind: "cancel" }
  | { kind: "invalid"; hintKey?: string; params?: Record<string, unknown> };

/** Working data a step keeps between two messages (candidates to pick from, a place to confirm). */
export type StepExtras = Pick<
  IntakeState,
  | "candidates"
  | "placeOptions"
  | "pendingPlace"
  | "pendingPlaceWords"
  | "placeQuery"
  | "pendingNumber"
  | "addingToStory"
  | "island"
>;

/** How typed replies to a step are read (src/conversation/understanding). */
export interface StepReading {
  /** Which families of words answer the question. */
  kind: AnswerKind;
  /** An age: a bare number that is also a choice number ("2") is asked about once. */
  ageNumbers?: boolean;
  /** A confirmation: text is only yes, no, or "no, <correction>"; never a new answer. */
  confirm?: boolean;
  /** The step takes free text: a meaning picks a choice only when the reply holds nothing else. */
  freeText?: boolean;
  /** False where a typed name must never be guessed from words of a label ("jawa timur" is not "Jawa"). */
  labelWords?: boolean;
}

/** One question of the intake: its text, its choices, and what each kind of answer does. */
export interface StepDef {
  question(t: Translate, state: IntakeState): string;
  choices(state: IntakeState): ChoiceDef[];
  /** A picked choice (already matched against choices()). */
  onChoice(state: IntakeState, id: string, turn: Turn): StepOutcome;
  /** Free text that matched no choice; absent when the step only takes choices. */
  onText?(state: IntakeState, text: string, turn: Turn): StepOutcome;
  /** A shared location pin; absent when the step does not take one. */
  onLocation?(state: IntakeState, location: NonNullable<UserInput["location"]>, turn: Turn): StepOutcome;
  /** What follows a "no" at a confirmation ("bukan, di Batam"); absent when the step takes none. */
  onCorrection?(state: IntakeState, text: string, turn: Turn): StepOutcome;
  /** How typed replies are read; yes / no / not sure / skip when absent. */
  reads?: StepReading;
  /** A typed reply that names one of the step's hidden choices exactly (a province on an island page). */
  exactChoice?(text: string): string | null;
  /** Shown when the answer could not be used, before the question is asked again. */
  hintKey: string;
}

const yes = { id: "yes", label: { key: "common:choice.yes" }, meanings: ["yes"] } as const;
const no = { id: "no", label: { key: "common:choice.no" }, meanings: ["no"] } as const;
const dontKnow = { id: "unknown", label: { key: "common:choice.unknown" }, meanings: ["unsure"] } as const;
const skip = { id: "skip", label: { key: "common:choice.skip" }, meanings: ["skip"] } as const;

/** True when the person writing is the victim: questions about the victim are asked to "Anda". */
export function isSelfReport(draft: Draft): boolean {
  return draft.reporterRole === "VICTIM";
}

/** Choices named by codes; each is picked by its code's words, and UNKNOWN also by "not sure" and "skip". */
const codeChoices = (prefix: string, codes: readonly string[]): ChoiceDef[] =>
  codes.map((code) => ({
    id: code,
    label: { key: `${prefix}.${code}` },
    meanings: code === "UNKNOWN" || code === "UNSURE" ? [code, "unsure", "skip"] : [code],
  }));

/** Island groups by the first digit of the province code, so that a province list fits a small screen. */
const ISLANDS: ReadonlyArray<readonly [string, string]> = [
  ["SUMATERA", "1"],
  ["JAWA", "3"],
  ["BALI_NUSA_TENGGARA", "5"],
  ["KALIMANTAN", "6"],
  ["SULAWESI", "7"],
  ["MALUKU", "8"],
  ["PAPUA", "9"],
];

/** The island groups as choices ("i:JAWA"). */
const islandChoices = (): ChoiceDef[] =>
  ISLANDS.map(([island]) => ({ id: `i:${island}`, label: { key: `intake:island.${island}` } }));

/** The provinces of one island group, or every province when the group is unknown. */
const provinceChoices = (island?: string): ChoiceDef[] => {
  const prefix = ISLANDS.find(([name]) => name === island)?.[1];
  return PROVINCES.filter((p) => prefix === undefined || p.code.startsWith(prefix)).map((p) => ({
    id: p.code,
    label: { text: p.name },
  }));
};

/** A province list a page at a time: island groups first, then that group's provinces. */
const pagedProvinceChoices = (state: IntakeState): ChoiceDef[] =>
  state.island
    ? [...provinceChoices(state.island), { id: "islands", label: { key: "intake:island.other" } }]
    : islandChoices();

/** The province a reply names exactly ("Jawa Timur", "jatim", "Bali"), whatever page is shown. */
function exactProvince(text: string): string | null {
  const typed = normalizeName(text);
  return (
    PROVINCES.find((p) => normalizeName(p.name) === typed || p.aliases.some((a) => normalizeName(a) === typed))?.code ??
    null
  );
}

/** Moves between the pages of a province list; null when the choice is something else. */
function islandPage(state: IntakeState, id: string): StepOutcome | null {
  if (id.startsWith("i:")) return { kind: "stay", draft: state.draft, extra: { island: id.slice(2) } };
  if (id === "islands") return { kind: "stay", draft: state.draft };
  return null;
}
const candidateChoices = (codes: readonly string[]): ChoiceDef[] =>
  codes.flatMap((code) => {
    const province = provinceByCode(code);
    return province ? [{ id: province.code, label: { text: province.name } }] : [];
  });

const next = (draft: Draft): StepOutcome => ({ kind: "next", draft });

/** A step that asks one question with fixed choices and stores the picked code. */
function codedStep<T extends string>(
  questionKey: string,
  choices: ChoiceDef[],
  apply: (draft: Draft, code: T) => Draft,
  kind: AnswerKind,
  /** Asked instead when the victim is the person writing ("Berapa usia Anda?"). */
  selfQuestionKey?: string,
): StepDef {
  return {
    question: (t, state) => t(selfQuestionKey && isSelfReport(state.draft) ? selfQuestionKey : questionKey),
    choices: () => choices,
    onChoice: (state, id) => next(apply(state.draft, id as T)),
    reads: { kind },
    hintKey: "intake:hint.choose",
  };
}

/**
 * The age question. A bare number that is also a choice number and means another group as years
 * ("2": choice 2, Dewasa, or 2 years old?) is asked about once.
 */
function ageStep(): StepDef {
  const choices = codeChoices("intake:victimAge", AGE_GROUPS);
  return {
    question: (t, state) =>
      state.pendingNumber === undefined
        ? t(isSelfReport(state.draft) ? "intake:victimAge.questionSelf" : "intake:victimAge.question")
        : t("intake:victimAge.numberQuestion", { number: state.pendingNumber }),
    choices: (state) => {
      const number = state.pendingNumber;
      if (number === undefined) return choices;
      const picked = choices[number - 1]?.id ?? "UNKNOWN";
      const years: AgeGroup = number < 18 ? "CHILD" : "ADULT";
      return [
        { id: picked, label: { key: `intake:victimAge.meantChoice.${picked}` }, meanings: [picked] },
        { id: years, label: { key: "intake:victimAge.meantYears", params: { number } }, meanings: [years] },
      ];
    },
    onChoice: (state, id) => next({ ...state.draft, victimAgeGroup: id as AgeGroup }),
    reads: { kind: "age", ageNumbers: true },
    hintKey: "intake:hint.choose",
  };
}

/** An indicator question: yes / no / don't know, or skip the remaining ones. */
function indicatorStep(indicator: Indicator, questionKey: string): StepDef {
  const answers: Record<string, IndicatorAnswer> = { yes: "YES", no: "NO", unknown: "UNKNOWN" };
  return {
    question: (t, state) => t(isSelfReport(state.draft) ? `intake:indicators.self.${indicator}` : questionKey),
    choices: () => [yes, no, dontKnow, { ...skip, label: { key: "intake:indicators.skipRest" } }],
    reads: { kind: "yesNo" },
    onChoice: (state, id) => {
      if (id === "skip") return next({ ...state.draft, indicatorsSkipped: true });
      const answer = answers[id] as IndicatorAnswer;
      return next({ ...state.draft, indicators: { ...state.draft.indicators, [indicator]: answer } });
    },
    hintKey: "intake:hint.choose",
  };
}

/** Reads a typed reply as yes / no / not sure / skip, to keep such words from being taken as names. */
function readWords(turn: Turn, text: string): Reading {
  return readReply(text, "yesNo", lexiconFor(turn.allLanguages));
}

/** Province by typed name: one match is taken, several are offered as choices. */
function provinceFromText(
  state: IntakeState,
  rawText: string,
  apply: (draft: Draft, code: string) => Draft,
  hintKey: string,
  turn: Turn,
): StepOutcome {
  // "bener", "iya betul" also resolve to places; they are never taken as one here.
  if (readWords(turn, rawText).fillerOnly) return { kind: "invalid", hintKey };
  const text = trimEdgeParticles(rawText, lexiconFor(turn.allLanguages));
  const matches = matchProvinces(text);
  if (matches.length === 1) return next(apply(state.draft, (matches[0] as { code: string }).code));
  if (matches.length > 1)
    return { kind: "stay", draft: state.draft, extra: { candidates: matches.map((p) => p.code) } };
  // Not a province name: a town or regency tells the province too ("Cianjur" -> Jawa Barat).
  const resolution = getPlaceResolver().resolveText(text);
  const provinces = [
    ...new Set(
      resolution.status === "resolved"
        ? [resolution.province?.code ?? ""]
        : resolution.status === "ambiguous"
          ? resolution.candidates.map((c) => c.province.code)
          : [],
    ),
  ].filter((code) => code !== "");
  if (provinces.length === 1) return next(apply(state.draft, provinces[0] as string));
  if (provinces.length > 1) return { kind: "stay", draft: state.draft, extra: { candidates: provinces.slice(0, 5) } };
  return { kind: "invalid", hintKey };
}

/** At most this many places are offered as choices; more and the person is asked for the regency. */
const MAX_PLACE_CHOICES = 5;

function optionOf(
  area: Pick<PlaceResolution, "province" | "regency" | "district" | "village">,
  label?: string,
): PlaceOption {
  return {
    provinceCode: area.province?.code ?? "",
    regencyCode: area.regency?.code ?? null,
    districtCode: area.district?.code ?? null,
    villageCode: area.village?.code ?? null,
    label: label ?? labelForResolution(area),
  };
}

/**
 * What a typed place or a pin leads to: a place to confirm, places to pick from, a question for
 * the regency when there are too many, abroad, or a hint when nothing fits.
 */
function placeFromResolution(state: IntakeState, resolution: PlaceResolution, typed: string | null): StepOutcome {
  const draft: Draft = typed ? { ...state.draft, placeText: typed.slice(0, 200) } : state.draft;
  if (resolution.status === "abroad") {
    return next({
      ...draft,
      place: { kind: "abroad", country: resolution.country?.code ?? null, countryText: null, homeProvinceCode: null },
    });
  }
  if (resolution.status === "resolved" && resolution.province) {
    // One province; several regencies possible ("Kupang": Kota and Kab.), then the person picks.
    if (resolution.candidates.length > 1) {
      const options = resolution.candidates.slice(0, MAX_PLACE_CHOICES).map((c) => optionOf(c, c.label));
      const provinceOnly = optionOf({ province: resolution.province, regency: null, district: null, village: null });
      return { kind: "goto", step: "place_pick", draft, extra: { placeOptions: [...options, provinceOnly] } };
    }
    return { kind: "goto", step: "place_confirm", draft, extra: { pendingPlace: optionOf(resolution) } };
  }
  if (resolution.status === "ambiguous" && resolution.candidates.length > 0) {
    if (resolution.candidates.length <= MAX_PLACE_CHOICES) {
      return {
        kind: "goto",
        step: "place_pick",
        draft,
        extra: { placeOptions: resolution.candidates.map((c) => optionOf(c, c.label)) },
      };
    }
    return {
      kind: "goto",
      step: "place_narrow",
      draft,
      extra: { placeQuery: (typed ?? resolution.query).slice(0, 200) },
    };
  }
  return { kind: "invalid", hintKey: typed ? "intake:hint.place" : "intake:hint.pin" };
}

/**
 * A reply made only of yes / no / filler words ("bener", "iya betul") that happens to be a place
 * name (Kec. Bener, Purworejo) is offered only with its regency and province named, for the
 * person to confirm; never taken silently. Anything vaguer gets a hint.
 */
function placeFromWords(state: IntakeState, text: string, reading: Reading): StepOutcome {
  if (reading.meaning === "skip") return { kind: "invalid", hintKey: "intake:hint.placeNeeded" };
  const resolution = getPlaceResolver().resolveText(text);
  if (
    resolution.status === "resolved" &&
    resolution.province &&
    resolution.regency &&
    resolution.candidates.length <= 1
  ) {
    return {
      kind: "goto",
      step: "place_confirm",
      draft: { ...state.draft, placeText: text.slice(0, 200) },
      extra: { pendingPlace: optionOf(resolution), pendingPlaceWords: text.trim().slice(0, 100) },
    };
  }
  return { kind: "invalid", hintKey: "intake:hint.placeWords" };
}

/**
 * A shared pin: abroad keeps the country (one the intake does not list is kept by name for
 * staff); near a provincial border both sides are offered, the one found first; otherwise as a
 * typed place.
 */
function placeFromPin(state: IntakeState, resolution: PlaceResolution, turn: Turn): StepOutcome {
  if (resolution.status === "abroad") {
    const code = resolution.country?.code ?? null;
    const listed = code !== null && COUNTRY_CODES.includes(code);
    return next({
      ...state.draft,
      place: {
        kind: "abroad",
        country: listed ? code : null,
        countryText: listed ? null : (resolution.country?.name ?? null),
        homeProvinceCode: null,
      },
    });
  }
  if (resolution.status === "resolved" && resolution.nearBorder && resolution.candidates.length > 1) {
    turn.sayKey("intake:place.nearBorder");
    return {
      kind: "goto",
      step: "place_pick",
      draft: state.draft,
      extra: { placeOptions: resolution.candidates.map((c) => optionOf(c, c.label)) },
    };
  }
  return placeFromResolution(state, resolution, null);
}

/** A typed place: abroad words, a destination country, or a place in Indonesia. */
function placeFromText(state: IntakeState, rawText: string, turn: Turn): StepOutcome {
  const reading = readWords(turn, rawText);
  if (reading.fillerOnly) return placeFromWords(state, rawText, reading);
  const text = trimEdgeParticles(rawText, lexiconFor(turn.allLanguages));
  if (saysAbroad(turn, text)) return STEPS.place.onChoice(state, "abroad", turn);
  const country = matchCountry(text);
  if (country) {
    return next({
      ...state.draft,
      placeText: text.slice(0, 200),
      place: { kind: "abroad", country, countryText: null, homeProvinceCode: null },
    });
  }
  return placeFromResolution(state, getPlaceResolver().resolveText(text), text);
}

/** Settles the place on an option in Indonesia. */
function withPlace(draft: Draft, option: PlaceOption): Draft {
  return { ...draft, place: { kind: "province", ...option } };
}

const ABROAD_WORDS = "intake:place.abroadWords";

/** True when the text says "abroad" in either language ("di luar negeri kak"). */
function saysAbroad(turn: Turn, text: string): boolean {
  if (!isShortAnswer(text)) return false;
  const lexicon = lexiconFor(turn.allLanguages);
  const typed = normalizeReply(text, lexicon).core.join(" ");
  return turn.allLanguages.some((t) =>
    t(ABROAD_WORDS)
      .split("|")
      .some((w) => normalizeReply(w, lexicon).core.join(" ") === typed),
  );
}

const PHONE = /^\+?\d{8,15}$/;
/** The longest message a channel delivers (InboundMessageSchema): a story is kept whole. */
export const MAX_STORY_LENGTH = 65_536;
/** How much of a kept story is shown back when asking whether to add to it. */
const STORY_PREVIEW_LENGTH = 300;

/** The start of a story, for showing it back. */
function storyPreview(story: string): string {
  return story.length > STORY_PREVIEW_LENGTH ? `${story.slice(0, STORY_PREVIEW_LENGTH).trimEnd()}…` : story;
}

/** The draft without one of its story hints (answered, or refused by the person). */
function withoutHint(draft: Draft, hint: "place" | "category"): Draft {
  const { [hint]: _dropped, ...hints } = draft.storyHints ?? {};
  const { storyHints: _old, ...rest } = draft;
  return Object.keys(hints).length > 0 ? { ...rest, storyHints: hints } : rest;
}

/** The category a reply names in words, taken in place of the story's, or null. */
function categoryNamed(state: IntakeState, text: string, turn: Turn): StepOutcome | null {
  const category = readReply(text, "category", lexiconFor(turn.allLanguages)).meaning;
  return category && (CATEGORIES as readonly string[]).includes(category)
    ? next({ ...withoutHint(state.draft, "category"), category: category as Category })
    : null;
}

/** How a place from the story reads in the question that confirms it. */
function storyPlaceLabel(t: Translate, place: NonNullable<NonNullable<Draft["storyHints"]>["place"]>): string {
  return place.kind === "abroad"
    ? t("intake:placeStory.abroad", { country: t(`countries:${place.country}`) })
    : (place.label ?? provinceByCode(place.provinceCode)?.name ?? place.provinceCode);
}

/** Accepts a phone number as people type it; local 0-prefixed numbers become +62. */
export function normalizePhone(text: string): string | null {
  const compact = text.replace(/[\s\-().]/g, "");
  if (!PHONE.test(compact)) return null;
  if (compact.startsWith("+")) return compact;
  if (compact.startsWith("62")) return `+${compact}`;
  if (compact.startsWith("0")) return `+62${compact.slice(1)}`;
  return compact;
}

/** The intake's questions, one definition per step. */
export const STEPS: Record<IntakeStep, StepDef> = {
  danger: {
    question: (t) => t("intake:danger.question"),
    choices: () => [
      yes,
      no,
      // Skipping the danger question shows the numbers too: nobody said there is no danger.
      { id: "unsure", label: { key: "common:choice.unsure" }, meanings: ["unsure", "skip"] },
    ],
    onChoice: (state, id, turn) => {
      if (id === "yes") {
        // Numbers first: someone in danger needs them before any further question.
        turn.sayEmergency();
        turn.sayKey("intake:danger.urgentNext");
        return next({ ...state.draft, urgency: "URGENT" });
      }
      if (id === "unsure") {
        turn.sayEmergency();
        return next({ ...state.draft, urgency: "NORMAL", dangerUnsure: true });
      }
      const { dangerUnsure: _cleared, ...draft } = state.draft;
      return next({ ...draft, urgency: "NORMAL" });
    },
    reads: { kind: "yesNo" },
    hintKey: "intake:hint.choose",
  },
  category_story: {
    question: (t, state) =>
      t("intake:categoryStory.question", { category: t(`intake:category.${state.draft.storyHints?.category}`) }),
    choices: () => [
      { ...yes, label: { key: "intake:categoryStory.yes" } },
      { ...no, label: { key: "intake:categoryStory.no" } },
    ],
    onChoice: (state, id) => {
      const category = state.draft.storyHints?.category;
      const draft = withoutHint(state.draft, "category");
      return id === "yes" && category ? next({ ...draft, category }) : { kind: "goto", step: "category", draft };
    },
    // "kerja paksa", "bukan, jeratan utang": the person names the category themselves.
    onText: (state, text, turn) => categoryNamed(state, text, turn) ?? { kind: "invalid" },
    onCorrection: (state, text, turn) =>
      categoryNamed(state, text, turn) ?? {
        kind: "goto",
        step: "category",
        draft: withoutHint(state.draft, "category"),
      },
    reads: { kind: "category" },
    hintKey: "intake:hint.choose",
  },
  role: codedStep<string>(
    "intake:role.question",
    [
      ...codeChoices(
        "intake:role",
        REPORTER_ROLES.filter((r) => r !== "UNKNOWN"),
      ),
      { ...skip, meanings: ["skip", "unsure"] },
    ],
    (draft, code) => ({ ...draft, reporterRole: code === "skip" ? "UNKNOWN" : (code as ReporterRole) }),
    "role",
  ),
  category: codedStep<Category>(
    "intake:category.question",
    codeChoices("intake:category", CATEGORIES),
    (draft, code) => ({
      ...draft,
      category: code,
    }),
    "category",
  ),
  ind_documents: indicatorStep("documentsHeld", "intake:indicators.documentsHeld"),
  ind_free: indicatorStep("freeToLeave", "intake:indicators.freeToLeave"),
  ind_debt: indicatorStep("debt", "intake:indicators.debt"),
  ind_deceived: indicatorStep("deceived", "intake:indicators.deceived"),
  place_story: {
    question: (t, state) =>
      t("intake:placeStory.question", {
        place: state.draft.storyHints?.place ? storyPlaceLabel(t, state.draft.storyHints.place) : "",
      }),
    choices: () => [
      { ...yes, label: { key: "intake:place.confirmYes" } },
      { ...no, label: { key: "intake:placeStory.no" } },
    ],
    onChoice: (state, id) => {
      const place = state.draft.storyHints?.place;
      const draft = withoutHint(state.draft, "place");
      if (id !== "yes" || !place) return { kind: "goto", step: "place", draft };
      if (place.kind === "abroad") {
        return next({
          ...draft,
          place: { kind: "abroad", country: place.country, countryText: null, homeProvinceCode: null },
        });
      }
      const { kind: _kind, ...option } = place;
      return next(withPlace(draft, option));
    },
    onCorrection: (state, text, turn) =>
      placeFromText({ ...state, draft: withoutHint(state.draft, "place") }, text, turn),
    reads: { kind: "yesNo", confirm: true },
    hintKey: "intake:hint.confirmPlace",
  },
  place: {
    question: (t, state) => t(state.draft.pin ? "intake:place.questionAfterPin" : "intake:place.question"),
    choices: () => [
      { id: "abroad", label: { key: "intake:place.abroad" } },
      { ...dontKnow, label: { key: "intake:place.unknown" } },
      { id: "list", label: { key: "intake:place.list" } },
    ],
    onChoice: (state, id) => {
      if (id === "abroad") {
        return next({
          ...state.draft,
          place: { kind: "abroad", country: null, countryText: null, homeProvinceCode: null },
        });
      }
      if (id === "list") return { kind: "goto", step: "place_list", draft: state.draft };
      return next({ ...state.draft, place: { kind: "unknown" } });
    },
    onText: (state, text, turn) => placeFromText(state, text, turn),
    onLocation: (state, location, turn) =>
      placeFromPin(
        { ...state, draft: { ...state.draft, pin: location } },
        getPlaceResolver().resolvePoint(location.latitude, location.longitude),
        turn,
      ),
    reads: { kind: "yesNo", freeText: true },
    hintKey: "intake:hint.place",
  },
  place_pick: {
    question: (t) => t("intake:place.pick"),
    choices: (state) => [
      ...(state.placeOptions ?? []).map((option, i) => ({
        id: `p${i}`,
        label:
          option.regencyCode || option.districtCode
            ? { text: option.label ?? option.provinceCode }
            : { key: "intake:place.provinceOnly", params: { province: provinceLabel(option) } },
      })),
      { id: "none", label: { key: "intake:place.noneOfThese" }, meanings: ["no"] },
    ],
    onChoice: (state, id) => {
      const option = state.placeOptions?.[Number(id.slice(1))];
      if (!option) return { kind: "goto", step: "place", draft: state.draft };
      return next(withPlace(state.draft, option));
    },
    onText: (state, text, turn) => placeFromText(state, text, turn),
    onLocation: (state, location, turn) => STEPS.place.onLocation?.(state, location, turn) ?? { kind: "invalid" },
    reads: { kind: "yesNo", freeText: true },
    hintKey: "intake:hint.choose",
  },
  place_narrow: {
    question: (t, state) => t("intake:place.narrow", { place: state.placeQuery ?? "" }),
    choices: () => [{ ...dontKnow, label: { key: "intake:place.unknown" } }],
    onChoice: (state) => next({ ...state.draft, place: { kind: "unknown" } }),
    onText: (state, text, turn) => {
      if (readWords(turn, text).fillerOnly) return { kind: "invalid", hintKey: "intake:hint.place" };
      // The regency the person adds narrows the place they typed before ("Sidomulyo" + "Wonosari").
      // Each part is cut on its own, so that a long first answer cannot push the new one out of the place readers' view.
      const earlier = (state.placeQuery ?? "").slice(0, MAX_PLACE_TEXT / 2);
      const narrowed = placeFromText(state, `${earlier}, ${placeHead(text)}`, turn);
      return narrowed.kind === "invalid" ? placeFromText(state, text, turn) : narrowed;
    },
    onLocation: (state, location, turn) => STEPS.place.onLocation?.(state, location, turn) ?? { kind: "invalid" },
    reads: { kind: "yesNo", freeText: true },
    hintKey: "intake:hint.place",
  },
  place_confirm: {
    question: (t, state) =>
      state.pendingPlaceWords
        ? t("intake:place.confirmWords", { typed: state.pendingPlaceWords, place: state.pendingPlace?.label ?? "" })
        : t("intake:place.confirm", { place: state.pendingPlace?.label ?? "" }),
    choices: () => [
      { ...yes, label: { key: "intake:place.confirmYes" } },
      { ...no, label: { key: "intake:place.confirmNo" } },
    ],
    onChoice: (state, id) =>
      id === "yes" && state.pendingPlace
        ? next(withPlace(state.draft, state.pendingPlace))
        : { kind: "goto", step: "place", draft: state.draft },
    // "bukan, di Batam": the correction is a place typed anew, confirmed again in its turn.
    onCorrection: (state, text, turn) => placeFromText(state, text, turn),
    reads: { kind: "yesNo", confirm: true },
    hintKey: "intake:hint.confirmPlace",
  },
  place_list: {
    question: (t, state) => t(state.island ? "intake:place.listQuestion" : "intake:island.question"),
    choices: (state) => [
      ...pagedProvinceChoices(state),
      { id: "back", label: { key: "intake:place.back" }, meanings: ["back", "no"] },
    ],
    onChoice: (state, id) =>
      islandPage(state, id) ??
      (id === "back"
        ? { kind: "goto", step: "place", draft: state.draft }
        : next(
            withPlace(state.draft, {
              provinceCode: id,
              regencyCode: null,
              districtCode: null,
              villageCode: null,
              label: provinceByCode(id)?.name ?? id,
            }),
          )),
    onText: (state, text, turn) => placeFromText(state, text, turn),
    reads: { kind: "yesNo", freeText: true, labelWords: false },
    exactChoice: exactProvince,
    hintKey: "intake:hint.choose",
  },
  country: {
    question: (t) => t("intake:country.question"),
    choices: () => [
      ...COMMON_DESTINATIONS.map((code) => ({ id: code, label: { key: `countries:${code}` } })),
      { id: "other", label: { key: "intake:country.other" }, meanings: ["unsure", "skip"] },
    ],
    onChoice: (state, id) => {
      const country = id === "other" ? null : id;
      return next({ ...state.draft, place: { ...abroad(state.draft), country, countryText: null } });
    },
    onText: (state, rawText, turn) => {
      if (readWords(turn, rawText).fillerOnly) return { kind: "invalid" };
      const text = trimEdgeParticles(rawText, lexiconFor(turn.allLanguages));
      // An unlisted country is kept as typed for staff; the code stays unknown.
      const country = matchCountry(text);
      return next({
        ...state.draft,
        place: { ...abroad(state.draft), country, countryText: country ? null : text.slice(0, 100) },
      });
    },
    reads: { kind: "yesNo", freeText: true },
    hintKey: "intake:hint.choose",
  },
  home_province: {
    question: (t, state) =>
      state.candidates
        ? t("intake:place.pickCandidate")
        : t(isSelfReport(state.draft) ? "intake:homeProvince.questionSelf" : "intake:homeProvince.question"),
    choices: (state) => [
      ...(state.candidates ? candidateChoices(state.candidates) : pagedProvinceChoices(state)),
      { ...dontKnow, label: { key: "intake:homeProvince.unknown" }, meanings: ["unsure", "skip"] },
    ],
    onChoice: (state, id) =>
      islandPage(state, id) ??
      next({ ...state.draft, place: { ...abroad(state.draft), homeProvinceCode: id === "unknown" ? null : id } }),
    onText: (state, text, turn) =>
      provinceFromText(
        state,
        text,
        (draft, code) => ({ ...draft, place: { ...abroad(draft), homeProvinceCode: code } }),
        "intake:hint.homeProvince",
        turn,
      ),
    reads: { kind: "yesNo", freeText: true, labelWords: false },
    exactChoice: exactProvince,
    hintKey: "intake:hint.homeProvince",
  },
  victim_age: ageStep(),
  victim_gender: codedStep<Gender>(
    "intake:victimGender.question",
    codeChoices("intake:victimGender", GENDERS),
    (draft, code) => ({ ...draft, victimGender: code }),
    "gender",
    "intake:victimGender.questionSelf",
  ),
  victim_count: codedStep<VictimCount>(
    "intake:victimCount.question",
    codeChoices("intake:victimCount", VICTIM_COUNTS),
    (draft, code) => ({ ...draft, victimCount: code }),
    "count",
    "intake:victimCount.questionSelf",
  ),
  victim_nationality: {
    question: (t, state) =>
      t(isSelfReport(state.draft) ? "intake:nationality.questionSelf" : "intake:nationality.question"),
    choices: () => [
      {
        id: "INDONESIAN",
        label: { key: "intake:nationality.INDONESIAN" },
        synonyms: "intake:nationality.indonesianWords",
        meanings: ["yes"],
      },
      {
        id: "FOREIGN",
        label: { key: "intake:nationality.FOREIGN" },
        synonyms: "intake:nationality.foreignWords",
        meanings: ["no"],
      },
      { id: "UNKNOWN", label: { key: "intake:nationality.UNKNOWN" }, meanings: ["unsure", "skip"] },
    ],
    onChoice: (state, id) => {
      const { victimCountry: _dropped, ...draft } = state.draft;
      return next({ ...draft, victimNationality: id as Nationality });
    },
    // "dari Myanmar", "orang Kamboja": a country named says foreign, and which.
    onText: (state, text, turn) => {
      const country = matchCountry(
        trimEdgeParticles(text, lexiconFor(turn.allLanguages)).replace(/^(dari|orang|from)\s+/i, ""),
      );
      return country
        ? next({ ...state.draft, victimNationality: "FOREIGN", victimCountry: country })
        : { kind: "invalid" };
    },
    reads: { kind: "yesNo" },
    hintKey: "intake:hint.choose",
  },
  victim_country: {
    question: (t) => t("intake:nationality.countryQuestion"),
    choices: () => [{ ...dontKnow, meanings: ["unsure", "skip"] }],
    onChoice: (state) => next({ ...state.draft, victimCountry: null }),
    onText: (state, text, turn) => {
      if (readWords(turn, text).fillerOnly) return { kind: "invalid" };
      const country = matchCountry(
        trimEdgeParticles(text, lexiconFor(turn.allLanguages)).replace(/^(dari|orang|from)\s+/i, ""),
      );
      return country
        ? next({ ...state.draft, victimCountry: country })
        : { kind: "invalid", hintKey: "intake:hint.country" };
    },
    reads: { kind: "yesNo", freeText: true },
    hintKey: "intake:hint.country",
  },
  story: {
    question: (t, state) =>
      state.addingToStory
        ? t("intake:story.addQuestion")
        : state.draft.story
          ? t("intake:story.kept", { story: storyPreview(state.draft.story) })
          : t("intake:story.question"),
    choices: (state) =>
      state.addingToStory
        ? [{ id: "keep", label: { key: "intake:story.keep" }, meanings: ["yes", "no", "skip", "back"] }]
        : state.draft.story
          ? [
              { id: "keep", label: { key: "intake:story.keep" }, meanings: ["yes", "no", "skip", "back"] },
              { id: "add", label: { key: "intake:story.add" } },
              { id: "replace", label: { key: "intake:story.replace" } },
            ]
          : [skip],
    onChoice: (state, id) => {
      if (id === "keep") return next(state.draft);
      if (id === "add") return { kind: "stay", draft: state.draft, extra: { addingToStory: true } };
      // Written again from the start: the ordinary question is asked with no story.
      if (id === "replace") return { kind: "stay", draft: { ...state.draft, story: null } };
      return next({ ...state.draft, story: null });
    },
    onText: (state, text, turn) => {
      // "ga tau", "tidak": nothing to tell; "ok", "hmm" are not a story either.
      const words = readWords(turn, text);
      const kept = state.draft.story;
      if (kept) {
        // A story is there already: words like "ok" or "back" keep it, anything else is added to it.
        if (words.fillerOnly) return next(state.draft);
        return next({ ...state.draft, story: `${kept}\n\n${text.trim()}`.slice(0, MAX_STORY_LENGTH) });
      }
      if (words.fillerOnly) {
        return words.meaning === "skip" || words.meaning === "unsure" || words.meaning === "no"
          ? next({ ...state.draft, story: null })
          : { kind: "invalid" };
      }
      return next({ ...state.draft, story: text.trim().slice(0, MAX_STORY_LENGTH) });
    },
    reads: { kind: "yesNo", freeText: true },
    hintKey: "intake:hint.story",
  },
  contact: {
    question: (t) => t("intake:contact.question"),
    choices: () => [
      { id: "CHAT", label: { key: "intake:contact.CHAT" }, meanings: ["CHAT", "yes"] },
      { id: "OTHER_NUMBER", label: { key: "intake:contact.OTHER_NUMBER" }, meanings: ["OTHER_NUMBER"] },
      { id: "NONE", label: { key: "intake:contact.NONE" }, meanings: ["NONE", "no", "skip"] },
    ],
    onChoice: (state, id) => {
      const preference = id as ContactPreference;
      // A number is asked (again) whenever "another number" is picked.
      const { contactNumber: _dropped, ...rest } = state.draft;
      return next({ ...rest, contactPreference: preference });
    },
    onText: (state, text) => {
      // A number typed straight away says "another number" and gives it.
      const phone = normalizePhone(text);
      return phone
        ? next({ ...state.draft, contactPreference: "OTHER_NUMBER", contactNumber: phone })
        : { kind: "invalid" };
    },
    reads: { kind: "contact" },
    hintKey: "intake:hint.choose",
  },
  contact_number: {
    question: (t) => t("intake:contactNumber.question"),
    choices: () => [{ id: "back", label: { key: "intake:contactNumber.back" }, meanings: ["back", "no", "skip"] }],
    onChoice: (state) => ({ kind: "goto", step: "contact", draft: state.draft, editing: state.editing ?? null }),
    onText: (state, text) => {
      const phone = normalizePhone(text);
      return phone ? next({ ...state.draft, contactNumber: phone }) : { kind: "invalid", hintKey: "intake:hint.phone" };
    },
    reads: { kind: "yesNo", freeText: true },
    hintKey: "intake:hint.phone",
  },
  consent: {
    // Names who really receives the report: KP2MI and the home province abroad, the province's office at home.
    question: (t, state) =>
      t("intake:consent.question", { recipients: recipientsInWords(t, previewDraftRoute(state.draft)) }),
    choices: () => [
      { ...yes, label: { key: "intake:consent.yes" } },
      { ...no, label: { key: "intake:consent.no" } },
    ],
    onChoice: (state, id) =>
      id === "yes"
        ? next({ ...state.draft, consent: true })
        : { kind: "goto", step: "consent_declined", draft: { ...state.draft, consent: false } },
    reads: { kind: "yesNo", confirm: true },
    hintKey: "intake:hint.consent",
  },
  consent_declined: {
    question: (t) => t("intake:consent.declined"),
    choices: () => [
      { ...yes, label: { key: "intake:consent.changeMind" } },
      { id: "cancel", label: { key: "intake:consent.cancel" }, meanings: ["no"] },
    ],
    onChoice: (state, id) =>
      id === "yes" ? { kind: "goto", step: "summary", draft: { ...state.draft, consent: true } } : { kind: "cancel" },
    reads: { kind: "yesNo", confirm: true },
    hintKey: "intake:hint.choose",
  },
  summary: {
    question: (t, state) => summaryText(t, state.draft),
    choices: () => [
      // "Apakah sudah benar?" - "iya betul" sends, "belum" / "bukan" goes to changing an answer.
      { id: "send", label: { key: "intake:summary.send" }, meanings: ["yes"] },
      { id: "edit", label: { key: "intake:summary.edit" }, meanings: ["no"] },
      { id: "cancel", label: { key: "intake:summary.cancel" } },
    ],
    onChoice: (state, id) => {
      if (id === "send") {
        // Nothing an office could act on: ask once for a place, a story or a sign.
        if (isEmptyReport(state.draft) && !state.draft.emptyAsked)
          return { kind: "goto", step: "empty_check", draft: { ...state.draft, emptyAsked: true } };
        return { kind: "submit" };
      }
      if (id === "edit") return { kind: "goto", step: "edit", draft: state.draft };
      return { kind: "cancel" };
    },
    hintKey: "intake:hint.choose",
  },
  empty_check: {
    question: (t) => t("intake:empty.question"),
    choices: () => [{ id: "send", label: { key: "intake:empty.sendAnyway" }, meanings: ["no", "skip"] }],
    onChoice: () => ({ kind: "submit" }),
    onText: (state, text, turn) => {
      if (readWords(turn, text).fillerOnly) return { kind: "invalid", hintKey: "intake:hint.story" };
      return {
        kind: "goto",
        step: "summary",
        draft: { ...state.draft, story: text.trim().slice(0, MAX_STORY_LENGTH) },
      };
    },
    reads: { kind: "yesNo", freeText: true },
    hintKey: "intake:hint.story",
  },
  edit: {
    question: (t) => t("intake:edit.question"),
    choices: () => [
      ...EDIT_SECTIONS.map((section) => ({ id: section, label: { key: `intake:edit.${section}` } })),
      { id: "back", label: { key: "intake:edit.back" }, meanings: ["back", "no", "skip"] },
    ],
    onChoice: (state, id) => {
      if (id === "back") return { kind: "goto", step: "summary", draft: state.draft };
      const section = id as EditSection;
      return { kind: "goto", step: SECTION_STEPS[section][0] as IntakeStep, draft: state.draft, editing: section };
    },
    hintKey: "intake:hint.choose",
  },
};

/** The abroad part of a draft's place, created empty if the place was something else. */
function abroad(draft: Draft): Extract<NonNullable<Draft["place"]>, { kind: "abroad" }> {
  return draft.place?.kind === "abroad"
    ? draft.place
    : { kind: "abroad", country: null, countryText: null, homeProvinceCode: null };
}

/** The steps that belong to each part a reporter can change from the summary. */
const SECTION_STEPS: Record<EditSection, readonly IntakeStep[]> = {
  role: ["role"],
  category: ["category", "ind_documents", "ind_free", "ind_debt", "ind_deceived"],
  place: ["place", "country", "home_province"],
  victim: ["victim_age", "victim_gender", "victim_count", "victim_nationality", "victim_country"],
  story: ["story"],
  contact: ["contact", "contact_number"],
};

const INDICATOR_STEPS: readonly IntakeStep[] = ["ind_documents", "ind_free", "ind_debt", "ind_deceived"];

/** Whether a step applies to this draft (an urgent report asks only the minimum). */
function applies(step: IntakeStep, draft: Draft, editing: boolean): boolean {
  const urgent = draft.urgency === "URGENT";
  // What the first message's story said is confirmed, even in an urgent report: one yes is quick.
  if (step === "category_story") return !editing && !!draft.storyHints?.category && draft.category === undefined;
  if (step === "place_story") return !editing && !!draft.storyHints?.place && draft.place === undefined;
  if (step === "category" && !editing && draft.category !== undefined) return false;
  if (step === "place" && !editing && draft.place !== undefined) return false;
  if (INDICATOR_STEPS.includes(step)) return !draft.indicatorsSkipped && (!urgent || editing);
  if (step === "role" || step === "category" || step === "victim_count") return !urgent || editing;
  // A country typed at the place question needs no second asking.
  if (step === "country")
    return draft.place?.kind === "abroad" && draft.place.country === null && draft.place.countryText === null;
  if (step === "home_province") return draft.place?.kind === "abroad";
  // Foreign victims in Indonesia (fishermen from Myanmar in Maluku) need another kind of help.
  // Asked where it matters, so that most reports stay short: a fishing vessel, or a story that
  // names foreigners or another country (and again when the victim part is edited).
  if (step === "victim_nationality")
    return (
      draft.place?.kind === "province" &&
      (!urgent || editing) &&
      (draft.category === "FISHING_VESSEL" ||
        draft.foreignersMentioned === true ||
        draft.victimNationality !== undefined)
    );
  if (step === "victim_country") return draft.victimNationality === "FOREIGN" && draft.victimCountry === undefined;
  if (step === "contact_number") return draft.contactPreference === "OTHER_NUMBER" && !draft.contactNumber;
  return true;
}

/** Steps only reached by a jump from another step, never in the planned order. */
const JUMP_ONLY_STEPS: readonly IntakeStep[] = [
  "place_pick",
  "place_narrow",
  "place_confirm",
  "place_list",
  "consent_declined",
  "summary",
  "empty_check",
  "edit",
];

const ORDINARY_STEPS: readonly IntakeStep[] = INTAKE_STEPS.filter((s) => !JUMP_ONLY_STEPS.includes(s));

/** The step after the current one, given the answers so far; the summary when there is none. */
export function nextStep(draft: Draft, current: IntakeStep, editing: EditSection | null): IntakeStep {
  const plan = editing ? SECTION_STEPS[editing] : ORDINARY_STEPS;
  const position = INTAKE_STEPS.indexOf(current);
  return plan.find((s) => INTAKE_STEPS.indexOf(s) > position && applies(s, draft, editing !== null)) ?? "summary";
}

/** True when a report holds no place, no story and no answered sign: an office could not act on it. */
export function isEmptyReport(draft: Draft): boolean {
  const place = draft.place;
  const placed = place !== undefined && place.kind !== "unknown";
  const signs = Object.values(draft.indicators).some((answer) => answer === "YES" || answer === "NO");
  return !placed && !draft.story && !signs;
}

/** The summary shown before sending (DESIGN §2 step 10). */
export function summaryText(t: Translate, draft: Draft): string {
  const lines = [t("intake:summary.title"), ""];
  const add = (labelKey: string, value: string) => lines.push(`• ${t(labelKey)}: ${value}`);
  add(
    "intake:summary.urgency",
    t(
      draft.urgency === "URGENT"
        ? "intake:summary.urgent"
        : draft.dangerUnsure
          ? "intake:summary.dangerUnsure"
          : "intake:summary.notUrgent",
    ),
  );
  if (draft.reporterRole) add("intake:summary.role", t(`intake:role.${draft.reporterRole}`));
  if (draft.category) add("intake:summary.category", t(`intake:category.${draft.category}`));
  const answered = Object.entries(draft.indicators);
  if (answered.length > 0) {
    const words = answered.map(
      ([k, v]) => `${t(`intake:indicators.short.${k}`)}: ${t(`intake:indicators.answer.${v}`)}`,
    );
    add("intake:summary.indicators", words.join("; "));
  }
  add("intake:summary.place", placeText(t, draft));
  const victim = [
    t(`intake:victimAge.${draft.victimAgeGroup ?? "UNKNOWN"}`),
    t(`intake:victimGender.${draft.victimGender ?? "UNKNOWN"}`),
    ...(draft.victimCount ? [t(`intake:victimCount.${draft.victimCount}`)] : []),
  ];
  if (draft.victimNationality) {
    const country = draft.victimCountry ? ` (${t(`countries:${draft.victimCountry}`)})` : "";
    victim.push(`${t(`intake:nationality.${draft.victimNationality}`)}${country}`);
  }
  add("intake:summary.victim", victim.join(", "));
  add("intake:summary.story", draft.story ? `"${storyPreview(draft.story)}"` : t("intake:summary.none"));
  const contact = draft.contactPreference ?? "NONE";
  add(
    "intake:summary.contact",
    contact === "OTHER_NUMBER"
      ? `${t("intake:contact.OTHER_NUMBER")}: ${draft.contactNumber ?? "-"}`
      : t(`intake:contact.${contact}`),
  );
  add("intake:summary.sentTo", recipientsInWords(t, previewDraftRoute(draft)));
  lines.push("", t("intake:summary.question"));
  return lines.join("\n");
}

/** The label of a province-only option. */
function provinceLabel(option: PlaceOption): string {
  return option.label ?? provinceByCode(option.provinceCode)?.name ?? option.provinceCode;
}

/** How the place reads in the summary. */
function placeText(t: Translate, draft: Draft): string {
  const place = draft.place;
  if (!place || place.kind === "unknown") return t("intake:place.unknown");
  if (place.kind === "province") return place.label ?? labelForCodes(place);
  const country = place.country
    ? t(`countries:${place.country}`)
    : (place.countryText ?? t("intake:summary.countryUnknown"));
  const home = place.homeProvinceCode ? provinceByCode(place.homeProvinceCode)?.name : null;
  return home ? t("intake:summary.abroadWithHome", { country, home }) : t("intake:summary.abroad", { country });
}
