import {
  AGE_GROUPS,
  type AgeGroup,
  CATEGORIES,
  type Category,
  CONTACT_PREFERENCES,
  type ContactPreference,
  GENDERS,
  type Gender,
  type Indicator,
  type IndicatorAnswer,
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
import type { ChoiceDef, UserInput } from "./choices.ts";
import type { Translate } from "./ports.ts";
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

/** What answering a step does to the intake. */
export type StepOutcome =
  | { kind: "next"; draft: Draft }
  | { kind: "goto"; step: IntakeStep; draft: Draft; editing?: EditSection | null; extra?: StepExtras }
  | { kind: "stay"; draft: Draft; extra?: StepExtras }
  | { kind: "submit" }
  | { kind: "cancel" }
  | { kind: "invalid"; hintKey?: string; params?: Record<string, unknown> };

/** Working data a step keeps between two messages (candidates to pick from, a place to confirm). */
export type StepExtras = Pick<IntakeState, "candidates" | "placeOptions" | "pendingPlace" | "placeQuery">;

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
  /** Shown when the answer could not be used, before the question is asked again. */
  hintKey: string;
}

const yes = { id: "yes", label: { key: "common:choice.yes" }, synonyms: "common:synonyms.yes" } as const;
const no = { id: "no", label: { key: "common:choice.no" }, synonyms: "common:synonyms.no" } as const;
const dontKnow = {
  id: "unknown",
  label: { key: "common:choice.unknown" },
  synonyms: "common:synonyms.unknown",
} as const;
const skip = { id: "skip", label: { key: "common:choice.skip" }, synonyms: "common:synonyms.skip" } as const;

const codeChoices = (prefix: string, codes: readonly string[]): ChoiceDef[] =>
  codes.map((code) => ({
    id: code,
    label: { key: `${prefix}.${code}` },
    ...(code === "UNKNOWN" ? { synonyms: "common:synonyms.unknown" } : {}),
  }));

const provinceChoices = (): ChoiceDef[] => PROVINCES.map((p) => ({ id: p.code, label: { text: p.name } }));
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
): StepDef {
  return {
    question: (t) => t(questionKey),
    choices: () => choices,
    onChoice: (state, id) => next(apply(state.draft, id as T)),
    hintKey: "intake:hint.choose",
  };
}

/** An indicator question: yes / no / don't know, or skip the remaining ones. */
function indicatorStep(indicator: Indicator, questionKey: string): StepDef {
  const answers: Record<string, IndicatorAnswer> = { yes: "YES", no: "NO", unknown: "UNKNOWN" };
  return {
    question: (t) => t(questionKey),
    choices: () => [yes, no, dontKnow, { ...skip, label: { key: "intake:indicators.skipRest" } }],
    onChoice: (state, id) => {
      if (id === "skip") return next({ ...state.draft, indicatorsSkipped: true });
      const answer = answers[id] as IndicatorAnswer;
      return next({ ...state.draft, indicators: { ...state.draft.indicators, [indicator]: answer } });
    },
    hintKey: "intake:hint.choose",
  };
}

/** Province by typed name: one match is taken, several are offered as choices. */
function provinceFromText(
  state: IntakeState,
  text: string,
  apply: (draft: Draft, code: string) => Draft,
  hintKey: string,
): StepOutcome {
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
function placeFromText(state: IntakeState, text: string, turn: Turn): StepOutcome {
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

/** True when the text says "abroad" in either language. */
function saysAbroad(turn: Turn, text: string): boolean {
  const typed = text.trim().toLowerCase();
  return turn.allLanguages.some((t) =>
    t(ABROAD_WORDS)
      .split("|")
      .some((w) => w === typed),
  );
}

const PHONE = /^\+?\d{8,15}$/;
/** Long enough for any story told in a chat; bounds the encrypted state. */
const MAX_STORY_LENGTH = 20_000;

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
      { id: "unsure", label: { key: "common:choice.unsure" }, synonyms: "common:synonyms.unknown" },
    ],
    onChoice: (state, id, turn) => {
      if (id === "yes") {
        // Numbers first: someone in danger needs them before any further question.
        turn.sayEmergency();
        turn.sayKey("intake:danger.urgentNext");
        return next({ ...state.draft, urgency: "URGENT" });
      }
      if (id === "unsure") turn.sayEmergency();
      return next({ ...state.draft, urgency: "NORMAL" });
    },
    hintKey: "intake:hint.choose",
  },
  role: codedStep<string>(
    "intake:role.question",
    [
      ...codeChoices(
        "intake:role",
        REPORTER_ROLES.filter((r) => r !== "UNKNOWN"),
      ),
      skip,
    ],
    (draft, code) => ({ ...draft, reporterRole: code === "skip" ? "UNKNOWN" : (code as ReporterRole) }),
  ),
  category: codedStep<Category>(
    "intake:category.question",
    codeChoices("intake:category", CATEGORIES),
    (draft, code) => ({
      ...draft,
      category: code,
    }),
  ),
  ind_documents: indicatorStep("documentsHeld", "intake:indicators.documentsHeld"),
  ind_free: indicatorStep("freeToLeave", "intake:indicators.freeToLeave"),
  ind_debt: indicatorStep("debt", "intake:indicators.debt"),
  ind_deceived: indicatorStep("deceived", "intake:indicators.deceived"),
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
      { id: "none", label: { key: "intake:place.noneOfThese" }, synonyms: "common:synonyms.no" },
    ],
    onChoice: (state, id) => {
      const option = state.placeOptions?.[Number(id.slice(1))];
      if (!option) return { kind: "goto", step: "place", draft: state.draft };
      return next(withPlace(state.draft, option));
    },
    onText: (state, text, turn) => placeFromText(state, text, turn),
    onLocation: (state, location, turn) => STEPS.place.onLocation?.(state, location, turn) ?? { kind: "invalid" },
    hintKey: "intake:hint.choose",
  },
  place_narrow: {
    question: (t, state) => t("intake:place.narrow", { place: state.placeQuery ?? "" }),
    choices: () => [{ ...dontKnow, label: { key: "intake:place.unknown" } }],
    onChoice: (state) => next({ ...state.draft, place: { kind: "unknown" } }),
    onText: (state, text, turn) => {
      // The regency the person adds narrows the place they typed before ("Sidomulyo" + "Wonosari").
      const narrowed = placeFromText(state, `${state.placeQuery ?? ""}, ${text}`, turn);
      return narrowed.kind === "invalid" ? placeFromText(state, text, turn) : narrowed;
    },
    onLocation: (state, location, turn) => STEPS.place.onLocation?.(state, location, turn) ?? { kind: "invalid" },
    hintKey: "intake:hint.place",
  },
  place_confirm: {
    question: (t, state) => t("intake:place.confirm", { place: state.pendingPlace?.label ?? "" }),
    choices: () => [
      { ...yes, label: { key: "intake:place.confirmYes" } },
      { ...no, label: { key: "intake:place.confirmNo" } },
    ],
    onChoice: (state, id) =>
      id === "yes" && state.pendingPlace
        ? next(withPlace(state.draft, state.pendingPlace))
        : { kind: "goto", step: "place", draft: state.draft },
    onText: (state, text, turn) => placeFromText(state, text, turn),
    hintKey: "intake:hint.choose",
  },
  place_list: {
    question: (t) => t("intake:place.listQuestion"),
    choices: () => [...provinceChoices(), { id: "back", label: { key: "intake:place.back" } }],
    onChoice: (state, id) =>
      id === "back"
        ? { kind: "goto", step: "place", draft: state.draft }
        : next(
            withPlace(state.draft, {
              provinceCode: id,
              regencyCode: null,
              districtCode: null,
              villageCode: null,
              label: provinceByCode(id)?.name ?? id,
            }),
          ),
    onText: (state, text, turn) => placeFromText(state, text, turn),
    hintKey: "intake:hint.choose",
  },
  country: {
    question: (t) => t("intake:country.question"),
    choices: () => [
      ...COMMON_DESTINATIONS.map((code) => ({ id: code, label: { key: `countries:${code}` } })),
      { id: "other", label: { key: "intake:country.other" }, synonyms: "common:synonyms.unknown" },
    ],
    onChoice: (state, id) => {
      const country = id === "other" ? null : id;
      return next({ ...state.draft, place: { ...abroad(state.draft), country, countryText: null } });
    },
    onText: (state, text) => {
      // An unlisted country is kept as typed for staff; the code stays unknown.
      const country = matchCountry(text);
      return next({
        ...state.draft,
        place: { ...abroad(state.draft), country, countryText: country ? null : text.slice(0, 100) },
      });
    },
    hintKey: "intake:hint.choose",
  },
  home_province: {
    question: (t, state) => (state.candidates ? t("intake:place.pickCandidate") : t("intake:homeProvince.question")),
    choices: (state) => [
      ...(state.candidates ? candidateChoices(state.candidates) : provinceChoices()),
      { ...dontKnow, label: { key: "intake:homeProvince.unknown" } },
    ],
    onChoice: (state, id) =>
      next({ ...state.draft, place: { ...abroad(state.draft), homeProvinceCode: id === "unknown" ? null : id } }),
    onText: (state, text) =>
      provinceFromText(
        state,
        text,
        (draft, code) => ({ ...draft, place: { ...abroad(draft), homeProvinceCode: code } }),
        "intake:hint.homeProvince",
      ),
    hintKey: "intake:hint.homeProvince",
  },
  victim_age: codedStep<AgeGroup>(
    "intake:victimAge.question",
    codeChoices("intake:victimAge", AGE_GROUPS),
    (draft, code) => ({
      ...draft,
      victimAgeGroup: code,
    }),
  ),
  victim_gender: codedStep<Gender>(
    "intake:victimGender.question",
    codeChoices("intake:victimGender", GENDERS),
    (draft, code) => ({ ...draft, victimGender: code }),
  ),
  victim_count: codedStep<VictimCount>(
    "intake:victimCount.question",
    codeChoices("intake:victimCount", VICTIM_COUNTS),
    (draft, code) => ({ ...draft, victimCount: code }),
  ),
  story: {
    question: (t) => t("intake:story.question"),
    choices: () => [skip],
    onChoice: (state) => next({ ...state.draft, story: null }),
    onText: (state, text) => next({ ...state.draft, story: text.trim().slice(0, MAX_STORY_LENGTH) }),
    hintKey: "intake:hint.story",
  },
  contact: {
    question: (t) => t("intake:contact.question"),
    choices: () => codeChoices("intake:contact", CONTACT_PREFERENCES),
    onChoice: (state, id) => {
      const preference = id as ContactPreference;
      const { contactNumber: _dropped, ...rest } = state.draft;
      return next(
        preference === "OTHER_NUMBER"
          ? { ...state.draft, contactPreference: preference }
          : { ...rest, contactPreference: preference },
      );
    },
    hintKey: "intake:hint.choose",
  },
  contact_number: {
    question: (t) => t("intake:contactNumber.question"),
    choices: () => [{ id: "back", label: { key: "intake:contactNumber.back" } }],
    onChoice: (state) => ({ kind: "goto", step: "contact", draft: state.draft, editing: state.editing ?? null }),
    onText: (state, text) => {
      const phone = normalizePhone(text);
      return phone ? next({ ...state.draft, contactNumber: phone }) : { kind: "invalid", hintKey: "intake:hint.phone" };
    },
    hintKey: "intake:hint.phone",
  },
  consent: {
    question: (t) => t("intake:consent.question"),
    choices: () => [
      { ...yes, label: { key: "intake:consent.yes" } },
      { ...no, label: { key: "intake:consent.no" } },
    ],
    onChoice: (state, id) =>
      id === "yes"
        ? next({ ...state.draft, consent: true })
        : { kind: "goto", step: "consent_declined", draft: { ...state.draft, consent: false } },
    hintKey: "intake:hint.choose",
  },
  consent_declined: {
    question: (t) => t("intake:consent.declined"),
    choices: () => [
      { ...yes, label: { key: "intake:consent.changeMind" } },
      { id: "cancel", label: { key: "intake:consent.cancel" }, synonyms: "common:synonyms.no" },
    ],
    onChoice: (state, id) =>
      id === "yes" ? { kind: "goto", step: "summary", draft: { ...state.draft, consent: true } } : { kind: "cancel" },
    hintKey: "intake:hint.choose",
  },
  summary: {
    question: (t, state) => summaryText(t, state.draft),
    choices: () => [
      { id: "send", label: { key: "intake:summary.send" }, synonyms: "common:synonyms.yes" },
      { id: "edit", label: { key: "intake:summary.edit" } },
      { id: "cancel", label: { key: "intake:summary.cancel" } },
    ],
    onChoice: (state, id) => {
      if (id === "send") return { kind: "submit" };
      if (id === "edit") return { kind: "goto", step: "edit", draft: state.draft };
      return { kind: "cancel" };
    },
    hintKey: "intake:hint.choose",
  },
  edit: {
    question: (t) => t("intake:edit.question"),
    choices: () => [
      ...EDIT_SECTIONS.map((section) => ({ id: section, label: { key: `intake:edit.${section}` } })),
      { id: "back", label: { key: "intake:edit.back" } },
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
  victim: ["victim_age", "victim_gender", "victim_count"],
  story: ["story"],
  contact: ["contact", "contact_number"],
};

const INDICATOR_STEPS: readonly IntakeStep[] = ["ind_documents", "ind_free", "ind_debt", "ind_deceived"];

/** Whether a step applies to this draft (an urgent report asks only the minimum). */
function applies(step: IntakeStep, draft: Draft, editing: boolean): boolean {
  const urgent = draft.urgency === "URGENT";
  if (INDICATOR_STEPS.includes(step)) return !draft.indicatorsSkipped && (!urgent || editing);
  if (step === "role" || step === "category" || step === "victim_count") return !urgent || editing;
  // A country typed at the place question needs no second asking.
  if (step === "country")
    return draft.place?.kind === "abroad" && draft.place.country === null && draft.place.countryText === null;
  if (step === "home_province") return draft.place?.kind === "abroad";
  if (step === "contact_number") return draft.contactPreference === "OTHER_NUMBER";
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
  "edit",
];

const ORDINARY_STEPS: readonly IntakeStep[] = INTAKE_STEPS.filter((s) => !JUMP_ONLY_STEPS.includes(s));

/** The step after the current one, given the answers so far; the summary when there is none. */
export function nextStep(draft: Draft, current: IntakeStep, editing: EditSection | null): IntakeStep {
  const plan = editing ? SECTION_STEPS[editing] : ORDINARY_STEPS;
  const position = INTAKE_STEPS.indexOf(current);
  return plan.find((s) => INTAKE_STEPS.indexOf(s) > position && applies(s, draft, editing !== null)) ?? "summary";
}

/** The summary shown before sending (DESIGN §2 step 10). */
export function summaryText(t: Translate, draft: Draft): string {
  const lines = [t("intake:summary.title"), ""];
  const add = (labelKey: string, value: string) => lines.push(`• ${t(labelKey)}: ${value}`);
  add("intake:summary.urgency", t(draft.urgency === "URGENT" ? "intake:summary.urgent" : "intake:summary.notUrgent"));
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
  add("intake:summary.victim", victim.join(", "));
  add("intake:summary.story", draft.story ? `"${draft.story}"` : t("intake:summary.none"));
  const contact = draft.contactPreference ?? "NONE";
  add(
    "intake:summary.contact",
    contact === "OTHER_NUMBER"
      ? `${t("intake:contact.OTHER_NUMBER")}: ${draft.contactNumber ?? "-"}`
      : t(`intake:contact.${contact}`),
  );
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
