import type { MessageHandler } from "./message-handler.ts";

/**
 * Files join the report being written, or the chat's open case. A caption in the story step is
 * still read as the story, so that message goes on to the flow.
 */
export const attachmentsHandler: MessageHandler = {
  name: "attachments",
  async handle(turn, input) {
    const ids = (input.attachments ?? []).map((a) => a.id);
    if (ids.length === 0) return false;
    const state = turn.doc.state;
    if (state.flow === "intake") {
      const draft = { ...state.draft, attachmentIds: [...(state.draft.attachmentIds ?? []), ...ids].slice(0, 20) };
      turn.setState({ ...state, draft });
      if (state.step === "story" && input.text?.trim()) return false;
      turn.sayKey("common:attachmentSaved", { count: ids.length });
      return true;
    }
    const outcome = await turn.ctx.desk.attachToOpenCase(turn.ctx.identityId, ids);
    turn.sayKey(outcome === "attached" ? "common:attachmentForwarded" : "common:attachmentNeedsReport");
    return true;
  },
};
