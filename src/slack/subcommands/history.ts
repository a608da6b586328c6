import { parseArgs } from "../../domain/command-args.js";
import { HISTORY_PAGE } from "../../services/audit-service.js";
import { historyBlocks } from "../blocks/history-blocks.js";
import { escapeMrkdwn } from "../blocks/mrkdwn.js";
import { deniedReply, errorReply } from "../blocks/reply-blocks.js";
import { lookupAccount } from "./account-lookup.js";
import type { Subcommand } from "./subcommand.js";

const EXAMPLE = '/ae history "Acme Corp"';

/**
 * `/ae history <account>`: the latest recorded changes of the account, its contacts, deals and
 * gifts — who, when, what, before → after — for its owner, the owner's managers and admins.
 * `before:<event #>` and `page:<n>` come from the More button.
 */
export const history: Subcommand = {
  name: "history",
  aliases: ["verlauf", "changes", "änderungen"],
  run: async (ctx) => {
    const { t, actor, deps } = ctx;
    const args = parseArgs(ctx.argsText);
    let beforeId: number | undefined;
    let page = 1;
    const words = [...args.words];
    for (const [key, value] of args.options) {
      if (key === "before" || key === "page") {
        if (!/^\d{1,12}$/.test(value) || Number(value) < 1) return errorReply(t, t("history.error.before", { input: escapeMrkdwn(value.slice(0, 30)) }), EXAMPLE);
        if (key === "before") beforeId = Number(value);
        else page = Number(value);
      } else {
        words.push(`${key}:${value}`); // part of a name ("Acme: East")
      }
    }
    const query = words.join(" ").trim();
    if (query === "") return errorReply(t, t("history.error.which"), EXAMPLE);
    const principal = await deps.services.principal(actor);
    const found = await lookupAccount(ctx, principal, [{ query, rerun: (id) => `history #${id}` }], EXAMPLE);
    if (found.kind === "reply") return found.reply;
    const result = await deps.services.audit.history(actor, principal, found.account.id, { beforeId });
    if (result.kind === "denied") return deniedReply(t, result.reason);
    if (result.kind === "not_found") return errorReply(t, t("account.notFound", { query: escapeMrkdwn(query.slice(0, 100)) }), EXAMPLE);
    return historyBlocks(t, actor, result.view, { number: page, size: HISTORY_PAGE });
  },
};
