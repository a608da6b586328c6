import { parseAmount } from "../../domain/amounts.js";
import { parseArgs } from "../../domain/command-args.js";
import { MAX_LOST_REASON, parseDealRef } from "../../services/deal-service.js";
import { lostReply, wonReply } from "../blocks/deal-blocks.js";
import { escapeMrkdwn } from "../blocks/mrkdwn.js";
import { errorReply } from "../blocks/reply-blocks.js";
import { quoteArg } from "./deal-account-arg.js";
import { closedDealReply, lookupDeal, refFrom } from "./deal-lookup.js";
import type { Subcommand } from "./subcommand.js";

const WON_EXAMPLE = "/ae won 42 55k";
const LOST_EXAMPLE = '/ae lost 42 "went with a competitor"';

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
    if (result.kind === "closed") return closedDealReply(ctx, result.deal);
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
    if (result.kind === "closed") return closedDealReply(ctx, result.deal);
    return lostReply(t, result.deal);
  },
};
