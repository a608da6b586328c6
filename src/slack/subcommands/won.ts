import { parseAmount } from "../../domain/amounts.js";
import { parseArgs } from "../../domain/command-args.js";
import { MAX_LOST_REASON, parseDealRef, type DealLookup, type DealRef } from "../../services/deal-service.js";
import type { Deal } from "../../db/repositories/deal-repository.js";
import { dealChoiceBlocks, lostReply, wonReply } from "../blocks/deal-blocks.js";
import { escapeMrkdwn } from "../blocks/mrkdwn.js";
import { deniedReply, errorReply } from "../blocks/reply-blocks.js";
import { accountProblemReply, quoteArg } from "./deal-account-arg.js";
import type { Reply, Subcommand, SubcommandContext } from "./subcommand.js";

const WON_EXAMPLE = "/ae won 42 55k";
const LOST_EXAMPLE = '/ae lost 42 "went with a competitor"';

/**
 * Finds the one open deal `<deal>` means, or the reply explaining why not (unknown, closed, not
 * theirs, an ambiguous account, or an account with several open deals — offered as buttons that
 * re-run the command with `rerunTail` after the deal number).
 */
async function lookupDeal(
  ctx: SubcommandContext,
  ref: DealRef,
  command: "won" | "lost",
  rerunTail: string,
  example: string,
): Promise<{ ok: true; deal: Deal } | { ok: false; reply: Reply }> {
  const { t, actor, deps } = ctx;
  const principal = await deps.services.principal(actor);
  const r: DealLookup = await deps.services.deals.find(actor, principal, ref);
  const tail = rerunTail ? ` ${rerunTail}` : "";
  switch (r.kind) {
    case "found":
      return { ok: true, deal: r.deal };
    case "not_found":
      return { ok: false, reply: errorReply(t, t("deal.notFound", { id: r.id }), example) };
    case "closed":
      return {
        ok: false,
        reply: errorReply(t, t(r.deal.status === "won" ? "deal.alreadyWon" : "deal.alreadyLost", { id: r.deal.id, account: escapeMrkdwn(r.deal.accountName) })),
      };
    case "denied":
      return { ok: false, reply: deniedReply(t, r.reason) };
    case "account":
      return {
        ok: false,
        reply: accountProblemReply(ctx, ref.kind === "account" ? ref.query : "", r.resolution, (id) => `${command} account:#${id}${tail}`, example),
      };
    case "no_open_deals":
      return { ok: false, reply: errorReply(t, t("deal.noOpenDeals", { account: escapeMrkdwn(r.account.name) }), example) };
    case "several":
      return { ok: false, reply: dealChoiceBlocks(t, actor, r.account.name, r.deals, (dealId) => `${command} #${dealId}${tail}`) };
  }
}

/** `account:#12` (from an account pick button) or the first word(s). */
function refFrom(options: Map<string, string>, text: string): DealRef {
  const account = options.get("account");
  return account !== undefined ? { kind: "account", query: account } : parseDealRef(text);
}

/** `/ae won <deal # or account> [final amount]`: closed-won now; counts toward quota. */
export const won: Subcommand = {
  name: "won",
  aliases: ["win", "gewonnen"],
  run: async (ctx) => {
    const { t, actor, deps } = ctx;
    const args = parseArgs(ctx.argsText);
    const words = args.words;
    if (args.positional.some((p) => p.kind !== "word")) return errorReply(t, t("deal.noMentions"), WON_EXAMPLE);
    if (words.length === 0 && !args.options.has("account")) return errorReply(t, t("deal.refMissing"), WON_EXAMPLE);

    // A final amount is the last word: "42 55k", "Acme Corp 55k" ("Acme Corp" alone is an account).
    let amountText: string | undefined;
    let refWords = words;
    const byOption = args.options.has("account");
    if (byOption) {
      if (words.length > 1) return errorReply(t, t("deal.extraWords"), WON_EXAMPLE);
      amountText = words[0];
      refWords = [];
    } else if (words.length >= 2) {
      const last = words[words.length - 1]!;
      if (parseDealRef(words[0]!).kind === "number" || parseAmount(last, actor.locale).ok) {
        amountText = last;
        refWords = words.slice(0, -1);
      }
    }
    const ref = refFrom(args.options, refWords.join(" "));
    if (ref.kind === "number" && refWords.length > 1) return errorReply(t, t("deal.extraWords"), WON_EXAMPLE);
    let finalAmount: number | undefined;
    if (amountText !== undefined) {
      const a = parseAmount(amountText, actor.locale);
      if (!a.ok) return errorReply(t, t("deal.badAmount", { input: escapeMrkdwn(amountText.slice(0, 40)) }), WON_EXAMPLE);
      if (a.cents <= 0) return errorReply(t, t("deal.amountZero"), WON_EXAMPLE);
      finalAmount = a.cents;
    }

    const found = await lookupDeal(ctx, ref, "won", amountText ?? "", WON_EXAMPLE);
    if (!found.ok) return found.reply;
    const result = await deps.services.deals.win(actor, found.deal, finalAmount);
    if (result.kind === "closed") {
      return errorReply(t, t(result.deal.status === "won" ? "deal.alreadyWon" : "deal.alreadyLost", { id: result.deal.id, account: escapeMrkdwn(result.deal.accountName) }));
    }
    const isActor = result.deal.ownerId === actor.user.id;
    const owner = isActor ? actor.user : await deps.services.actors.userById(result.deal.ownerId);
    return wonReply(t, actor, result.deal, result.impact, { isActor, slackUserId: owner?.slackUserId ?? "" });
  },
};

/** `/ae lost <deal # or account> [reason]`. Quote a multi-word account name. */
export const lost: Subcommand = {
  name: "lost",
  aliases: ["lose", "verloren"],
  run: async (ctx) => {
    const { t, deps, actor } = ctx;
    const args = parseArgs(ctx.argsText);
    const byOption = args.options.has("account");
    const [first, ...rest] = args.positional;
    const reasonTokens = byOption ? args.positional : rest;
    if (!byOption && (!first || first.kind !== "word")) return errorReply(t, t("deal.refMissing"), LOST_EXAMPLE);
    const reason = reasonTokens
      .map((tok) => (tok.kind === "word" ? tok.value : ""))
      .join(" ")
      .trim();
    if (reason.length > MAX_LOST_REASON) return errorReply(t, t("deal.reasonTooLong", { max: MAX_LOST_REASON }), LOST_EXAMPLE);
    const ref = refFrom(args.options, first?.kind === "word" ? first.value : "");
    const found = await lookupDeal(ctx, ref, "lost", reason ? quoteArg(reason) : "", LOST_EXAMPLE);
    if (!found.ok) return found.reply;
    const result = await deps.services.deals.lose(actor, found.deal, reason === "" ? null : reason);
    if (result.kind === "closed") {
      return errorReply(t, t(result.deal.status === "won" ? "deal.alreadyWon" : "deal.alreadyLost", { id: result.deal.id, account: escapeMrkdwn(result.deal.accountName) }));
    }
    return lostReply(t, result.deal);
  },
};
