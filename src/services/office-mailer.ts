import type { OutboundMessage } from "../channels/types.ts";
import type { Translate } from "../conversation/ports.ts";
import type { OutboxStore } from "../db/outbox-store.ts";
import type { StepWriter } from "../db/step-writer.ts";
import type { OfficeRepository } from "../directory/office-repository.ts";
import type { Language } from "../domain/language.ts";

/** Where an office message went: the office whose chats got it, or nobody yet (it waits). */
export interface MailResult {
  deliveredTo: string | null;
  viaFallback: boolean;
}

/** What sending to offices needs. */
export interface OfficeMailerDeps {
  offices: OfficeRepository;
  outbox: OutboxStore;
  translate: (language: Language) => Translate;
  /** The desk that receives an office's messages while that office has no destination. */
  fallbackOffice: string;
}

/**
 * Sends cards and notices to an office's chats, inside the step's transaction: to the office's
 * own destination, else the fallback desk's (saying so), else they wait in the outbox until an
 * admin sets a destination (DESIGN §4).
 */
export class OfficeMailer {
  readonly #deps: OfficeMailerDeps;
  readonly #writer: StepWriter;
  readonly #now: Date;

  constructor(deps: OfficeMailerDeps, writer: StepWriter, now: Date) {
    this.#deps = deps;
    this.#writer = writer;
    this.#now = now;
  }

  /**
   * Renders the message in each recipient's language and queues it; `caseId` names the case a
   * card or notice is about, so that staff answering it by number act on that case. With
   * `oncePerCase`, a chat that still has an unsent message about the case gets no other: a
   * reporter sending ten files makes one notice, not ten slots of the office's chat.
   */
  async send(
    officeCode: string,
    render: (t: Translate, viaFallback: boolean) => OutboundMessage,
    caseId: string | null = null,
    options: { oncePerCase?: boolean } = {},
  ): Promise<MailResult> {
    const { offices, outbox, translate, fallbackOffice } = this.#deps;
    let recipients = await offices.recipientsOf(officeCode);
    let viaFallback = false;
    if (recipients.length === 0 && officeCode !== fallbackOffice) {
      recipients = await offices.recipientsOf(fallbackOffice);
      viaFallback = recipients.length > 0;
    }
    const coalesce = options.oncePerCase === true && caseId !== null;
    if (recipients.length === 0) {
      if (!coalesce || !(await outbox.hasUnsentAbout(caseId, { officeCode })))
        this.#writer.add(outbox.enqueueWaitingWrite(officeCode, [render(translate("id"), false)], this.#now, caseId));
      return { deliveredTo: null, viaFallback: false };
    }
    for (const r of recipients) {
      if (coalesce && (await outbox.hasUnsentAbout(caseId, { identityId: r.identityId }))) continue;
      this.#writer.add(
        outbox.enqueueWrite(
          r.identityId,
          r.channel,
          [render(translate(r.language), viaFallback)],
          this.#now,
          officeCode,
          caseId,
        ),
      );
    }
    return { deliveredTo: viaFallback ? fallbackOffice : officeCode, viaFallback };
  }
}
