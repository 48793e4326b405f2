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
import { COMMON_DESTINATIONS } from "../regions/countries.ts";
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
} from "./state.ts";
import type { Turn } from "./turn.ts";

/** What answering a step does to the intake. */
export type StepOutcome =
  | { kind: "next"; draft: Draft }
  | { kind: "goto"; step: IntakeStep; draft: Draft; editing?: EditSection | null; candidates?: string[] }
  | { kind: "stay"; draft: Draft; candidates?: string[] }
  | { kind: "submit" }
  | { kind: "cancel" }
  | { kind: "invalid"; hintKey?: string; params?: Record<string, unknown> };

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
  if (matches.length > 1) return { kind: "stay", draft: state.draft, candidates: matches.map((p) => p.code) };
  return { kind: "invalid", hintKey };
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
        turn.sayKey("common:emergency");
        turn.sayKey("intake:danger.urgentNext");
        return next({ ...state.draft, urgency: "URGENT" });
      }
      if (id === "unsure") turn.sayKey("common:emergency");
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
    question: (t, state) =>
      state.candidates
        ? t("intake:place.pickCandidate")
        : t(state.draft.pin ? "intake:place.questionAfterPin" : "intake:place.question"),
    choices: (state) => [
      ...(state.candidates ? candidateChoices(state.candidates) : provinceChoices()),
      { id: "abroad", label: { key: "intake:place.abroad" } },
      { ...dontKnow, label: { key: "intake:place.unknown" } },
    ],
    onChoice: (state, id) => {
      if (id === "abroad") {
        return next({
          ...state.draft,
          place: { kind: "abroad", country: null, countryText: null, homeProvinceCode: null },
        });
      }
      if (id === "unknown") return next({ ...state.draft, place: { kind: "unknown" } });
      return next({ ...state.draft, place: { kind: "province", provinceCode: id } });
    },
    onText: (state, text, turn) => {
      if (saysAbroad(turn, text)) return STEPS.place.onChoice(state, "abroad", turn);
      const country = matchCountry(text);
      if (country) {
        return next({
          ...state.draft,
          placeText: text.slice(0, 200),
          place: { kind: "abroad", country, countryText: null, homeProvinceCode: null },
        });
      }
      const outcome = provinceFromText(
        state,
        text,
        (draft, code) => ({ ...draft, placeText: text.slice(0, 200), place: { kind: "province", provinceCode: code } }),
        "intake:hint.place",
      );
      return outcome;
    },
    onLocation: (state, location) => ({ kind: "stay", draft: { ...state.draft, pin: location } }),
    hintKey: "intake:hint.place",
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

const ORDINARY_STEPS: readonly IntakeStep[] = INTAKE_STEPS.filter(
  (s) => s !== "consent_declined" && s !== "summary" && s !== "edit",
);

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

/** How the place reads in the summary. */
function placeText(t: Translate, draft: Draft): string {
  const place = draft.place;
  if (!place || place.kind === "unknown") return t("intake:place.unknown");
  if (place.kind === "province") return provinceByCode(place.provinceCode)?.name ?? place.provinceCode;
  const country = place.country
    ? t(`countries:${place.country}`)
    : (place.countryText ?? t("intake:summary.countryUnknown"));
  const home = place.homeProvinceCode ? provinceByCode(place.homeProvinceCode)?.name : null;
  return home ? t("intake:summary.abroadWithHome", { country, home }) : t("intake:summary.abroad", { country });
}
