import type { OutboundMessage } from "../channels/types.ts";
import type { AssistanceStage, CaseStatus, Resolution } from "../domain/case.ts";
import type { CaseDetails, CaseFacts, CaseLine } from "../domain/staff-actions.ts";
import { type StatusViewer, statusStageFor } from "../domain/status-view.ts";
import { labelForCodes } from "../regions/area-names.ts";
import { provinceByCode } from "../regions/provinces.ts";
import { dateFormat } from "../text/date-format.ts";
import { actionChoiceId } from "./action-ids.ts";
import type { Translate } from "./ports.ts";

/** Why a card is sent. */
export type CardReason = "NEW" | "COPY" | "TRANSFER" | "ESCALATION" | "REMINDER";

const ZONE_NAMES: Record<string, string> = { "Asia/Jakarta": "WIB", "Asia/Makassar": "WITA", "Asia/Jayapura": "WIT" };

/** A date and time in a province's own time zone, named (WIB, WITA, WIT); WIB when unknown. */
export function localTime(at: Date, provinceCode: string | null, language: "id" | "en"): string {
  const timeZone = (provinceCode ? provinceByCode(provinceCode)?.timeZone : undefined) ?? "Asia/Jakarta";
  const text = dateFormat(language === "id" ? "id-ID" : "en-GB", {
    timeZone,
    day: "numeric",
    month: "short",
    hour: "2-digit",
    minute: "2-digit",
    hourCycle: "h23",
  }).format(at);
  return `${text} ${ZONE_NAMES[timeZone] ?? ""}`.trim();
}

/** Where a case happened, in words, as staff read it. */
export function placeLabel(
  t: Translate,
  facts: Pick<CaseFacts, "provinceCode" | "country" | "homeProvinceCode"> & { regencyCode?: string | null },
): string {
  if (facts.provinceCode)
    return labelForCodes({ provinceCode: facts.provinceCode, regencyCode: facts.regencyCode ?? null });
  if (facts.country || facts.homeProvinceCode) {
    const country = facts.country ? t(`countries:${facts.country}`) : t("staff:place.countryUnknown");
    const home = facts.homeProvinceCode ? provinceByCode(facts.homeProvinceCode)?.name : null;
    return home ? t("staff:place.abroadWithHome", { country, home }) : t("staff:place.abroad", { country });
  }
  return t("staff:place.unknown");
}

/** A status as staff read it, with the service stage when there is one. */
export function statusLabel(t: Translate, status: CaseStatus, stage: AssistanceStage | null): string {
  const name = t(`staff:statusName.${status}`);
  return stage && status === "ASSISTANCE" ? `${name}: ${t(`staff:stageName.${stage}`)}` : name;
}

/**
 * The short card an office receives: reference, urgency, category, place, victim age group.
 * Never the narrative, names or contacts, because a whole group may read it.
 */
export function caseCard(
  t: Translate,
  facts: CaseFacts,
  card: {
    reason: CardReason;
    officeName: string;
    viaFallback: boolean;
    /** Deadlines shown on the card, already written in the office's local time. */
    acceptBy?: string;
    serviceBy?: string;
    why?: "ACK_DEADLINE" | "NO_CONTACT";
  },
): OutboundMessage {
  const titles: Record<CardReason, string> = {
    NEW: facts.urgency === "URGENT" ? "staff:card.titleUrgent" : "staff:card.title",
    COPY: "staff:card.titleCopy",
    TRANSFER: "staff:card.titleTransfer",
    ESCALATION: "staff:card.titleEscalation",
    REMINDER: "staff:card.titleReminder",
  };
  const title = t(titles[card.reason]);
  const lines = [
    card.reason !== "NEW" && facts.urgency === "URGENT" ? `${title}${t("staff:urgentMark")}` : title,
    t("staff:card.reference", { reference: facts.reference }),
    t("staff:card.category", { category: t(`intake:category.${facts.category}`) }),
    t("staff:card.place", { place: placeLabel(t, facts) }),
    t("staff:card.victim", { victim: t(`intake:victimAge.${facts.victimAgeGroup}`) }),
    ...(facts.victimNationality
      ? [
          t("staff:card.nationality", {
            nationality: `${t(`staff:nationality.${facts.victimNationality}`)}${
              facts.victimCountry ? ` (${t(`countries:${facts.victimCountry}`)})` : ""
            }`,
          }),
        ]
      : []),
    t("staff:card.office", { office: card.officeName }),
  ];
  if (card.why) lines.push(t(`staff:card.why.${card.why}`));
  if (card.acceptBy) lines.push(t("staff:card.acceptBy", { time: card.acceptBy }));
  if (card.serviceBy) lines.push(t("staff:card.serviceBy", { time: card.serviceBy }));
  if (card.viaFallback) lines.push(t("staff:card.viaFallback", { office: card.officeName }));
  lines.push(t("staff:card.hint", { reference: facts.reference }));
  return {
    text: lines.join("\n"),
    choices: [
      { id: actionChoiceId("acc", facts.reference), label: t("staff:card.accept") },
      { id: actionChoiceId("det", facts.reference), label: t("staff:card.details") },
      { id: actionChoiceId("st", facts.reference), label: t("staff:card.setStatus") },
      { id: actionChoiceId("cl", facts.reference), label: t("staff:card.close") },
    ],
  };
}

/** The private view of a case for the staff member who asked (audited where it is produced). */
export function caseDetailsMessage(
  t: Translate,
  details: CaseDetails,
  formatDate: (d: Date) => string,
): OutboundMessage {
  const ref = details.reference;
  const lines = [
    t("staff:details.title"),
    t("staff:details.reference", { reference: ref }),
    t("staff:details.status", { status: statusLabel(t, details.status, details.assistanceStage) }),
  ];
  if (details.officeName) lines.push(t("staff:details.office", { office: details.officeName }));
  if (details.copiedTo.length > 0) lines.push(t("staff:details.copiedTo", { offices: details.copiedTo.join(", ") }));
  if (details.assignedStaffName) lines.push(t("staff:details.assigned", { name: details.assignedStaffName }));
  lines.push(
    t("staff:details.received", { date: formatDate(details.createdAt) }),
    t("staff:details.urgency", { value: t(details.urgency === "URGENT" ? "common:choice.yes" : "common:choice.no") }),
    `${t("intake:summary.role")}: ${t(`intake:role.${details.reporterRole}`)}`,
    `${t("intake:summary.category")}: ${t(`intake:category.${details.category}`)}`,
  );
  const indicators = Object.entries(details.indicators);
  if (indicators.length > 0) {
    const words = indicators.map(
      ([k, v]) => `${t(`intake:indicators.short.${k}`)}: ${t(`intake:indicators.answer.${v}`)}`,
    );
    lines.push(`${t("intake:summary.indicators")}: ${words.join("; ")}`);
  }
  lines.push(`${t("intake:summary.place")}: ${placeLabel(t, details)}`);
  if (details.placeDetail?.text) lines.push(t("staff:details.placeText", { text: details.placeDetail.text }));
  if (details.placeDetail?.latitude !== undefined && details.placeDetail.longitude !== undefined) {
    lines.push(
      t("staff:details.pin", { latitude: details.placeDetail.latitude, longitude: details.placeDetail.longitude }),
    );
  }
  lines.push(
    `${t("intake:summary.victim")}: ${[
      t(`intake:victimAge.${details.victimAgeGroup}`),
      t(`intake:victimGender.${details.victimGender}`),
      t(`intake:victimCount.${details.victimCount}`),
    ].join(", ")}`,
    `${t("intake:summary.story")}: ${details.narrative ? `"${details.narrative}"` : t("intake:summary.none")}`,
  );
  if (details.copyView) lines.push(t("staff:details.contactViaOffice"));
  else if (details.contactPreference === "CHAT") lines.push(t("staff:details.contactChat", { reference: ref }));
  else if (details.contactPreference === "OTHER_NUMBER") {
    lines.push(t("staff:details.contactNumber", { number: details.contactNumber ?? "-" }));
  } else lines.push(t("staff:details.contactNone"));
  if (details.services.length > 0) {
    lines.push("", t("staff:details.services"));
    for (const s of details.services) {
      const extra = [s.provider, s.note].filter(Boolean).join(" · ");
      lines.push(
        `• ${s.givenOn.toISOString().slice(0, 10)} · ${t(`staff:serviceName.${s.type}`)} (${t(`staff:stageName.${s.stage}`)})${extra ? ` – ${extra}` : ""}${s.staffName ? ` · ${s.staffName}` : ""}`,
      );
    }
  }
  if (details.messages.length > 0) {
    lines.push("", t("staff:details.messages"));
    for (const m of details.messages) {
      const who =
        m.direction === "FROM_REPORTER"
          ? t("staff:details.fromReporter")
          : t(m.direction === "NOTE" ? "staff:details.note" : "staff:details.toReporter", { name: m.staffName ?? "-" });
      lines.push(`• [${formatDate(m.at)}, ${who}] ${m.text}`);
    }
    if (details.messageCount > details.messages.length)
      lines.push(
        t("staff:details.moreMessages", {
          shown: details.messages.length,
          total: details.messageCount,
          reference: ref,
        }),
      );
  }
  lines.push("", t("staff:details.commands", { reference: ref }));
  return { text: lines.join("\n") };
}

/** How long ago something happened, in the largest whole unit ("3 hari", "5 jam", "20 menit"). */
export function ageText(t: Translate, since: Date, now: Date): string {
  const minutes = Math.max(0, Math.floor((now.getTime() - since.getTime()) / 60_000));
  if (minutes >= 24 * 60) return t("staff:age.days", { count: Math.floor(minutes / (24 * 60)) });
  if (minutes >= 60) return t("staff:age.hours", { count: Math.floor(minutes / 60) });
  return t("staff:age.minutes", { count: minutes });
}

/** One line of the staff case list: reference, status, category, place, age, assignee and the next deadline. */
export function caseLineText(t: Translate, line: CaseLine, now: Date, language: "id" | "en"): string {
  const deadline = line.deadline
    ? t(
        line.deadline.at.getTime() < now.getTime()
          ? `staff:deadline.${line.deadline.kind}Late`
          : `staff:deadline.${line.deadline.kind}`,
        {
          time: localTime(line.deadline.at, line.provinceCode, language),
        },
      )
    : "";
  return t("staff:caseLine", {
    reference: line.reference,
    status: t(`staff:statusName.${line.status}`),
    category: t(`intake:category.${line.category}`),
    place: placeLabel(t, {
      provinceCode: line.provinceCode,
      regencyCode: line.regencyCode,
      country: line.country,
      homeProvinceCode: null,
    }),
    urgent: line.urgency === "URGENT" ? t("staff:urgentMark") : "",
    age: ageText(t, line.createdAt, now),
    assignee: line.assigneeName ? t("staff:handledBy", { name: line.assigneeName }) : t("staff:notAccepted"),
    deadline: deadline ? ` · ${deadline}` : "",
    copy: line.copy ? t("staff:copyMark") : "",
  });
}

/** What a reporter or victim is told when the stage they can see changes; the first line names nothing. */
export function statusNotification(
  t: Translate,
  viewer: StatusViewer,
  reference: string,
  status: CaseStatus,
  stage: AssistanceStage | null,
): OutboundMessage {
  return {
    text: t("status:notification", { reference, stage: t(`status:stage.${statusStageFor(viewer, status, stage)}`) }),
  };
}

/** A staff reply relayed to the reporter, without revealing who wrote it. */
export function staffMessageToReporter(t: Translate, reference: string, text: string): OutboundMessage {
  return { text: t("status:staffMessage", { reference, text }) };
}

/** What a staff member is told when a case is handed to them; a card with its own actions. */
export function assignedNotice(t: Translate, facts: CaseFacts, byName: string): OutboundMessage {
  return {
    text: [
      t("staff:assignedToYou", { reference: facts.reference, name: byName }),
      t("staff:card.category", { category: t(`intake:category.${facts.category}`) }),
      t("staff:card.place", { place: placeLabel(t, facts) }),
    ].join("\n"),
    choices: [
      { id: actionChoiceId("det", facts.reference), label: t("staff:card.details") },
      { id: actionChoiceId("his", facts.reference), label: t("staff:card.history") },
      { id: actionChoiceId("st", facts.reference), label: t("staff:card.setStatus") },
    ],
  };
}

/** The notice an office gets when a reporter writes about a case; the text itself is read privately. */
export function reporterMessageNotice(t: Translate, reference: string): OutboundMessage {
  return {
    text: t("staff:reporterMessage", { reference }),
    choices: [{ id: actionChoiceId("det", reference), label: t("staff:card.details") }],
  };
}

/** The label of a resolution in the staff member's language. */
export function resolutionLabel(t: Translate, resolution: Resolution): string {
  return t(`staff:resolutionName.${resolution}`);
}
