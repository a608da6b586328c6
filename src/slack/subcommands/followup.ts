import { parseDueDateOrNull } from "../../domain/natural-dates.js";
import { localDateOf } from "../../domain/time.js";
import { parseFollowUpArgs } from "../../domain/touch-args.js";
import type { Translator } from "../../i18n/translate.js";
import { MAX_FOLLOWUP_TITLE, type FollowUpProblem } from "../../services/followup-service.js";
import { formatLocalDay } from "../blocks/account-format.js";
import { escapeMrkdwn } from "../blocks/mrkdwn.js";
import { deniedReply, doneReply, errorReply } from "../blocks/reply-blocks.js";
import { openFollowUpModal } from "../modals/account-modals.js";
import { lookupAccount } from "./account-lookup.js";
import type { Subcommand } from "./subcommand.js";

const EXAMPLE = '/ae followup "Acme Corp" in 3 days send the proposal';

export function followUpProblemText(t: Translator, problem: FollowUpProblem): string {
  switch (problem) {
    case "title_empty":
      return t("followups.error.titleMissing");
    case "title_too_long":
      return t("followups.error.titleTooLong", { max: MAX_FOLLOWUP_TITLE });
    case "due_invalid":
      return t("followups.error.dueInvalid");
    case "due_past":
      return t("followups.error.duePast");
  }
}

/**
 * `/ae followup <account> <when> <what>`: `when` is read in the user's language and zone
 * ("tomorrow", "in 3 days", "nächsten Montag", "2026-12-03"), unquoted. Without arguments: the modal.
 */
export const followup: Subcommand = {
  name: "followup",
  aliases: ["fu", "follow-up", "wiedervorlage"],
  run: async (ctx) => {
    const { t, actor, deps, argsText } = ctx;
    const now = deps.now();
    const args = parseFollowUpArgs(argsText, (when) => parseDueDateOrNull(when, { now, zone: actor.zone, language: actor.language }));
    if (args.kind === "no_account") return errorReply(t, t("followups.error.accountFirst"), EXAMPLE);
    if (args.kind === "no_date") return errorReply(t, t("followups.error.noDate"), EXAMPLE);
    if (args.kind === "no_title") return errorReply(t, t("followups.error.titleMissing"), EXAMPLE);
    const principal = await deps.services.principal(actor);
    if (args.kind === "empty" || args.kind === "account_only") {
      let accountId: number | undefined;
      if (args.kind === "account_only") {
        const found = await lookupAccount(ctx, principal, [{ query: args.account, rerun: (id) => `followup #${id}` }], EXAMPLE);
        if (found.kind === "reply") return found.reply;
        accountId = found.account.id;
      }
      const opened = await openFollowUpModal(ctx.client, ctx.triggerId, actor, deps, { channelId: ctx.channelId, ...(accountId ? { accountId } : {}) });
      return opened ? undefined : errorReply(t, t("accounts.error.modalFailed"), EXAMPLE);
    }
    const found = await lookupAccount(
      ctx,
      principal,
      args.candidates.map((c) => ({ query: c.account, rerun: (id: number) => `followup #${id} ${c.rest}`.trim() })),
      EXAMPLE,
    );
    if (found.kind === "reply") return found.reply;
    const c = args.candidates[found.index]!;
    const result = await deps.services.followUps.create(actor, principal, { accountId: found.account.id, title: c.title, dueDate: c.date });
    if (result.kind === "invalid") return errorReply(t, followUpProblemText(t, result.problem), EXAMPLE);
    if (result.kind === "denied") return deniedReply(t, result.reason);
    if (result.kind === "not_found") return errorReply(t, t("account.notFound", { query: escapeMrkdwn(c.account.slice(0, 100)) }), EXAMPLE);
    const text = t("followups.created", {
      id: result.followUp.id,
      account: escapeMrkdwn(result.account.name),
      title: escapeMrkdwn(result.followUp.title),
      date: formatLocalDay(localDateOf(result.followUp.dueAt, actor.zone), actor.locale),
    });
    return { ...doneReply(text), changed: true };
  },
};
