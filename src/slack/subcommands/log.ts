import { tokenize } from "../../domain/command-args.js";
import { parseLogArgs, TOUCH_KINDS } from "../../domain/touch-args.js";
import type { Translator } from "../../i18n/translate.js";
import { MAX_NOTE, MAX_PARTICIPANTS, type TouchProblem } from "../../services/touch-service.js";
import { kindLabel, mention } from "../blocks/account-format.js";
import { escapeMrkdwn } from "../blocks/mrkdwn.js";
import { deniedReply, doneReply, errorReply } from "../blocks/reply-blocks.js";
import { openLogTouchModal } from "../modals/account-modals.js";
import { lookupAccount } from "./account-lookup.js";
import type { Subcommand } from "./subcommand.js";

const EXAMPLE = '/ae log "Acme Corp" call with @dana talked about the renewal';

export function touchProblemText(t: Translator, problem: TouchProblem): string {
  switch (problem) {
    case "note_too_long":
      return t("touches.error.noteTooLong", { max: MAX_NOTE });
    case "in_future":
      return t("touches.error.future");
    case "too_many_participants":
      return t("touches.error.tooManyParticipants", { max: MAX_PARTICIPANTS });
  }
}

/**
 * `/ae log <account> <kind> [with @colleague …] [text]`. Without arguments it opens the log-touch
 * modal; with only an account, the modal with that account picked.
 */
export const log: Subcommand = {
  name: "log",
  aliases: ["touch", "erfassen", "kontakt"],
  run: async (ctx) => {
    const { t, actor, deps, argsText } = ctx;
    const args = parseLogArgs(argsText);
    const kinds = TOUCH_KINDS.join("|");
    if (args.kind === "no_account") return errorReply(t, t("touches.error.accountFirst"), EXAMPLE);
    const principal = await deps.services.principal(actor);
    if (args.kind === "no_kind") {
      // "/ae log acme corp" names only an account (unquoted): the form with it picked. Otherwise
      // the kind is missing.
      const whole = tokenize(argsText).map((tok) => (tok.kind === "word" ? tok.value : null));
      const query = whole.every((w) => w !== null) ? whole.join(" ") : "";
      const resolved = query.length > 0 && query.length <= 200 ? await deps.services.accountResolver.resolve(actor, principal, query) : null;
      if (resolved?.kind !== "found") return errorReply(t, t("touches.error.kind", { kinds }), EXAMPLE);
      const opened = await openLogTouchModal(ctx.client, ctx.triggerId, actor, deps, { channelId: ctx.channelId, accountId: resolved.account.id });
      return opened ? undefined : errorReply(t, t("accounts.error.modalFailed"), EXAMPLE);
    }
    if (args.kind === "empty" || args.kind === "account_only") {
      let accountId: number | undefined;
      if (args.kind === "account_only") {
        const found = await lookupAccount(ctx, principal, [{ query: args.account, rerun: (id) => `log #${id}` }], EXAMPLE);
        if (found.kind === "reply") return found.reply;
        accountId = found.account.id;
      }
      const opened = await openLogTouchModal(ctx.client, ctx.triggerId, actor, deps, { channelId: ctx.channelId, ...(accountId ? { accountId } : {}) });
      return opened ? undefined : errorReply(t, t("accounts.error.modalFailed"), EXAMPLE);
    }
    const found = await lookupAccount(
      ctx,
      principal,
      args.candidates.map((c) => ({ query: c.account, rerun: (id: number) => `log #${id} ${c.rest}`.trim() })),
      EXAMPLE,
    );
    if (found.kind === "reply") return found.reply;
    const c = args.candidates[found.index]!;
    const result = await deps.services.touches.log(actor, principal, {
      accountId: found.account.id,
      kind: c.kind,
      note: c.note === "" ? null : c.note,
      participants: c.participants,
      source: "command",
    });
    if (result.kind === "invalid") return errorReply(t, touchProblemText(t, result.problem), EXAMPLE);
    if (result.kind === "denied") return deniedReply(t, result.reason);
    if (result.kind === "not_found") return errorReply(t, t("account.notFound", { query: escapeMrkdwn(c.account.slice(0, 100)) }), EXAMPLE);
    return { ...doneReply(loggedText(t, result.account.name, c.kind, result.participants)), changed: true };
  },
};

/** "Logged a call on *Acme* with @dana." */
export function loggedText(t: Translator, accountName: string, kind: string, participants: string[]): string {
  const people = participants.map(mention).filter(Boolean);
  const params = { kind: kindLabel(t, kind), account: escapeMrkdwn(accountName) };
  return people.length > 0 ? t("touches.loggedWith", { ...params, people: people.join(", ") }) : t("touches.logged", params);
}
