import { parseArgs } from "../../domain/command-args.js";
import { giftListBlocks } from "../blocks/gift-blocks.js";
import { escapeMrkdwn } from "../blocks/mrkdwn.js";
import { deniedReply, errorReply } from "../blocks/reply-blocks.js";
import { accountProblemReply, quoteArg } from "./deal-account-arg.js";
import type { Subcommand } from "./subcommand.js";

const EXAMPLE = '/ae gifts "Acme Corp"';

/**
 * `/ae gifts [account|recipient] [page:N]`: this year's gifts and entertainment with each
 * recipient's total against the limit. The filter is tried as an account first; if no account
 * matches, as the start of a recipient's name.
 */
export const gifts: Subcommand = {
  name: "gifts",
  aliases: ["geschenke"],
  run: async (ctx) => {
    const { t, actor, deps } = ctx;
    const args = parseArgs(ctx.argsText);
    let page = 1;
    for (const [key, value] of args.options) {
      if (key !== "page" || !/^\d{1,4}$/.test(value) || Number(value) < 1) {
        return errorReply(t, t("deal.unknownOption", { key: escapeMrkdwn(key.slice(0, 30)), known: "page:" }), EXAMPLE);
      }
      page = Number(value);
    }
    const query = args.words.join(" ").trim();
    const principal = await deps.services.principal(actor);
    let filter: { accountId?: number; recipient?: string } = {};
    let filterLabel: string | undefined;
    let rerunArg = "";
    if (query !== "") {
      const resolution = await deps.services.accountResolver.resolve(actor, principal, query);
      if (resolution.kind === "found") {
        filter = { accountId: resolution.account.id };
        filterLabel = resolution.account.name;
        rerunArg = `#${resolution.account.id}`;
      } else if (resolution.kind === "denied") {
        return deniedReply(t, resolution.reason);
      } else if (resolution.kind === "ambiguous") {
        return accountProblemReply(ctx, query, resolution, (id) => `gifts #${id}`, EXAMPLE);
      } else if (query.startsWith("#")) {
        return accountProblemReply(ctx, query, resolution, (id) => `gifts #${id}`, EXAMPLE);
      } else {
        filter = { recipient: query };
        filterLabel = query;
        rerunArg = quoteArg(query);
      }
    }
    const view = await deps.services.gifts.list(actor, principal, filter);
    return giftListBlocks(t, actor, view, {
      page,
      ...(filterLabel !== undefined ? { filterLabel } : {}),
      rerun: (p) => ["gifts", rerunArg, `page:${p}`].filter(Boolean).join(" "),
    });
  },
};
