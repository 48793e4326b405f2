import { z } from "zod";
import {
  AGE_GROUPS,
  CASE_STATUSES,
  CATEGORIES,
  CONTACT_PREFERENCES,
  GENDERS,
  IndicatorsSchema,
  NATIONALITIES,
  REPORTER_ROLES,
  URGENCIES,
  VICTIM_COUNTS,
} from "../domain/case.ts";
import { LANGUAGES } from "../domain/language.ts";

/** The steps of the reporter intake, in the order they are usually asked (DESIGN §2). */
export const INTAKE_STEPS = [
  "danger",
  "role",
  "category_story",
  "category",
  "ind_documents",
  "ind_free",
  "ind_debt",
  "ind_deceived",
  "place_story",
  "place",
  "place_pick",
  "place_narrow",
  "place_confirm",
  "place_list",
  "country",
  "home_province",
  "victim_age",
  "victim_gender",
  "victim_count",
  "victim_nationality",
  "victim_country",
  "story",
  "contact",
  "contact_number",
  "consent",
  "consent_declined",
  "summary",
  "empty_check",
  "edit",
] as const;
/** One of INTAKE_STEPS. */
export type IntakeStep = (typeof INTAKE_STEPS)[number];

/** The parts of a report the reporter can go back and change from the summary. */
export const EDIT_SECTIONS = ["role", "category", "place", "victim", "story", "contact"] as const;
/** One of EDIT_SECTIONS. */
export type EditSection = (typeof EDIT_SECTIONS)[number];

/** A place in Indonesia as far as it is known: the province always, the lower levels when given. */
export const PlaceOptionSchema = z.object({
  provinceCode: z.string(),
  regencyCode: z.string().nullable().default(null),
  districtCode: z.string().nullable().default(null),
  villageCode: z.string().nullable().default(null),
  /** What the person was shown and agreed to ("Kab. Bogor, Jawa Barat"). */
  label: z.string().optional(),
});
/** A place in Indonesia as far as it is known. */
export type PlaceOption = z.infer<typeof PlaceOptionSchema>;

const PlaceSchema = z.discriminatedUnion("kind", [
  PlaceOptionSchema.extend({ kind: z.literal("province") }),
  z.object({
    kind: z.literal("abroad"),
    country: z.string().nullable(),
    countryText: z.string().nullable(),
    homeProvinceCode: z.string().nullable(),
  }),
  z.object({ kind: z.literal("unknown") }),
]);
/** Where it is happening, as far as the reporter knows. */
export type Place = z.infer<typeof PlaceSchema>;

/** Facts a story told in the first message states clearly: confirmed at their question, never taken silently. */
export const StoryHintsSchema = z.object({
  place: z
    .discriminatedUnion("kind", [
      PlaceOptionSchema.extend({ kind: z.literal("province") }),
      z.object({ kind: z.literal("abroad"), country: z.string() }),
    ])
    .optional(),
  category: z.enum(CATEGORIES).optional(),
});
/** Facts a story states clearly. */
export type StoryHints = z.infer<typeof StoryHintsSchema>;

/** The answers given so far in an intake. Every field is optional until its step is answered. */
export const DraftSchema = z.object({
  urgency: z.enum(URGENCIES).optional(),
  reporterRole: z.enum(REPORTER_ROLES).optional(),
  category: z.enum(CATEGORIES).optional(),
  indicators: IndicatorsSchema.default({}),
  indicatorsSkipped: z.boolean().optional(),
  place: PlaceSchema.optional(),
  placeText: z.string().optional(),
  pin: z.object({ latitude: z.number(), longitude: z.number() }).optional(),
  victimAgeGroup: z.enum(AGE_GROUPS).optional(),
  victimGender: z.enum(GENDERS).optional(),
  victimCount: z.enum(VICTIM_COUNTS).optional(),
  victimNationality: z.enum(NATIONALITIES).optional(),
  victimCountry: z.string().nullable().optional(),
  /** The report held no place, story or sign and the person was asked once for one of them. */
  emptyAsked: z.boolean().optional(),
  /** The story names foreigners or another country: the victims' nationality is asked. */
  foreignersMentioned: z.boolean().optional(),
  story: z.string().nullable().optional(),
  /** "Not sure" at the danger question: the summary says so, it never becomes "no". */
  dangerUnsure: z.boolean().optional(),
  /** The person's distress was acknowledged once; it is not repeated at every question. */
  distressAcknowledged: z.boolean().optional(),
  /** The story says someone leaves or is taken away soon: the report was marked urgent for it. */
  departureFlagged: z.boolean().optional(),
  contactPreference: z.enum(CONTACT_PREFERENCES).optional(),
  contactNumber: z.string().optional(),
  consent: z.boolean().optional(),
  /** What the first message's story stated, waiting to be confirmed at its question. */
  storyHints: StoryHintsSchema.optional(),
  /** Files sent while writing the report; they join the case when it is sent. */
  attachmentIds: z.array(z.string()).optional(),
});
/** The answers given so far in an intake. */
export type Draft = z.infer<typeof DraftSchema>;

const IdleSchema = z.object({
  flow: z.literal("idle"),
  /** Set when an unfinished conversation expired; the next reply says so gently. */
  expiredNotice: z.boolean().optional(),
  /** An anonymous reporter was just offered to allow replies here: typing the case PIN accepts. */
  contactOffer: z.boolean().optional(),
});

const IntakeSchema = z.object({
  flow: z.literal("intake"),
  step: z.enum(INTAKE_STEPS),
  draft: DraftSchema,
  /** When changing one part from the summary: return to the summary after it. */
  editing: z.enum(EDIT_SECTIONS).nullable().default(null),
  /** Province candidates to pick from after an ambiguous typed name (home province). */
  candidates: z.array(z.string()).optional(),
  /** Places to pick from after an ambiguous typed place. */
  placeOptions: z.array(PlaceOptionSchema).optional(),
  /** The place waiting for the person's "yes, that's it". */
  pendingPlace: PlaceOptionSchema.optional(),
  /** Set when the pending place came from words that also mean yes or no ("bener"): what was typed. */
  pendingPlaceWords: z.string().optional(),
  /** A bare number given for the age that is also a choice number, waiting to be told which. */
  pendingNumber: z.number().int().min(0).optional(),
  /** The island group picked in a province list, shown a page at a time. */
  island: z.string().optional(),
  /** The person chose to add to the story they told: the next text is appended to it. */
  addingToStory: z.boolean().optional(),
  /** What was typed before, when the bot asked for the regency to narrow it down. */
  placeQuery: z.string().optional(),
});

const StatusSchema = z.object({
  flow: z.literal("status"),
  step: z.enum(["reference", "pin"]),
  reference: z.string().optional(),
  /** References of reports sent from this chat, offered as choices. */
  references: z.array(z.string()).default([]),
});

/** The steps of the privacy and contact settings. */
export const SETTINGS_STEPS = [
  "menu",
  "withdraw_pick",
  "erase_confirm",
  "duress_pick",
  "duress_current",
  "duress_new",
] as const;

const SettingsSchema = z.object({
  flow: z.literal("settings"),
  step: z.enum(SETTINGS_STEPS),
  /** References of reports sent from this chat, offered as choices. */
  references: z.array(z.string()).default([]),
  reference: z.string().optional(),
  /** The PIN just checked, kept only until the emergency PIN is chosen (the whole document is encrypted). */
  currentPin: z.string().optional(),
});

/** Where a person is in the dialogue: a discriminated union by flow. */
export const FlowStateSchema = z.discriminatedUnion("flow", [IdleSchema, IntakeSchema, StatusSchema, SettingsSchema]);
/** Where a person is in the dialogue. */
export type FlowState = z.infer<typeof FlowStateSchema>;
/** The intake variant of FlowState. */
export type IntakeState = z.infer<typeof IntakeSchema>;
/** The status-check variant of FlowState. */
export type StatusState = z.infer<typeof StatusSchema>;
/** The privacy-settings variant of FlowState. */
export type SettingsState = z.infer<typeof SettingsSchema>;

/** A filter of the staff case list, as remembered between pages. */
export const CaseFilterSchema = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("all") }),
  z.object({ kind: z.literal("mine") }),
  z.object({ kind: z.literal("new") }),
  z.object({ kind: z.literal("overdue") }),
  z.object({ kind: z.literal("status"), status: z.enum(CASE_STATUSES) }),
  z.object({ kind: z.literal("place"), text: z.string().max(100) }),
]);

/**
 * A question the bot just asked one staff member in this chat (a confirmation, "which case?",
 * a status to pick, the next page of a list). Their next message may answer it by number or by
 * the words shown; any other message from them drops it. It never outlives a quarter of an hour.
 */
export const StaffPromptSchema = z.object({
  staffId: z.string(),
  askedAt: z.string(),
  /** The choices shown, each a button id that carries its case and action. */
  choices: z.array(z.object({ id: z.string(), label: z.string() })).default([]),
  /** A yes / no confirmation: "ya" and "batal" answer it too. */
  confirm: z.boolean().default(false),
  /** The case list being paged: "lagi" shows the page from this offset. */
  more: z.object({ filter: CaseFilterSchema, offset: z.number().int().min(0) }).optional(),
});
/** A question the bot asked a staff member. */
export type StaffPrompt = z.infer<typeof StaffPromptSchema>;

/** Bumped when the stored shape changes; older documents are migrated or reset on load. */
export const CONVERSATION_SCHEMA_VERSION = 1;

/** Everything the engine remembers about one chat, stored encrypted between messages. */
export const ConversationDocSchema = z.object({
  v: z.literal(CONVERSATION_SCHEMA_VERSION),
  language: z.enum(LANGUAGES),
  /** True once the person picked a language; until then the channel's hint may change it. */
  languageChosen: z.boolean().default(false),
  /** The language question is showing on top of the flow. */
  askingLanguage: z.boolean().default(false),
  /** "hapus aja" / "batal dong": the command waits for a yes before it acts. */
  confirmingCommand: z.enum(["delete", "cancel"]).optional(),
  /**
   * Set once a report in this chat happened abroad: every later emergency message gives that
   * country's numbers, also after the report was sent.
   */
  abroad: z.object({ country: z.string().nullable() }).optional(),
  /** Consecutive answers the current question could not use. */
  invalidAnswers: z.number().int().min(0).default(0),
  updatedAt: z.string(),
  state: FlowStateSchema,
  /** The question a staff member was just asked here, if any (kept apart from the chat's own flow). */
  staffPrompt: StaffPromptSchema.optional(),
});
/** Everything the engine remembers about one chat. */
export type ConversationDoc = z.infer<typeof ConversationDocSchema>;

/** A fresh conversation for someone writing for the first time. */
export function newConversation(language: ConversationDoc["language"], now: Date): ConversationDoc {
  return {
    v: CONVERSATION_SCHEMA_VERSION,
    language,
    languageChosen: false,
    askingLanguage: false,
    invalidAnswers: 0,
    updatedAt: now.toISOString(),
    state: { flow: "idle" },
  };
}

/** Reads a stored document; anything unreadable (old or corrupt) starts over as idle rather than crash. */
export function parseConversation(
  raw: unknown,
  fallbackLanguage: ConversationDoc["language"],
  now: Date,
): ConversationDoc {
  const parsed = ConversationDocSchema.safeParse(raw);
  if (parsed.success) return parsed.data;
  const language =
    typeof raw === "object" && raw !== null && (raw as { language?: unknown }).language === "en"
      ? "en"
      : fallbackLanguage;
  return { ...newConversation(language, now), state: { flow: "idle", expiredNotice: true } };
}
