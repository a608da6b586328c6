import { parseAmount } from "../../domain/amounts.js";
import { tokenize, tokensToText } from "../../domain/command-args.js";
import type { GiftKind } from "../../domain/gifts.js";
import { parseDueDate } from "../../domain/natural-dates.js";
import { localDateOf, type LocalDate } from "../../domain/time.js";
import { MAX_GIFT_DESCRIPTION_LENGTH, MAX_RECIPIENT_LENGTH } from "../../services/gift-service.js";
import { giftOverLimitReply, giftSavedReply, type PendingGift } from "../blocks/gift-blocks.js";
import { formatLocalDate } from "../blocks/deal-format.js";
import { escapeMrkdwn } from "../blocks/mrkdwn.js";
import { deniedReply, errorReply } from "../blocks/reply-blocks.js";
import { quoteArg, resolveAccountArg } from "./deal-account-arg.js";
import type { Reply, Subcommand, SubcommandContext } from "./subcommand.js";

const EXAMPLES: Record<GiftKind, string> = {
  gift: '/ae gift "Acme Corp" "John Doe" 75 Bottle of wine after the kickoff',
  entertainment: '/ae entertainment "Acme Corp" "John Doe" 180 Dinner at Nobu after the QBR',
};

export interface ParsedGift {
  account: string;
  recipient: string;
  amountText: string;
  amountCents: number;
  description: string;
  dateText?: string;
}

/**
 * `<account> <recipient> <amount> <description> [date:<date>]`. The account is one word (quote it
 * if it has spaces); the recipient runs up to the first word that reads as an amount, so
 * `John Doe 75 wine` works unquoted. Options other than date: are part of the description.
 */
export function parseGiftArgs(text: string, locale: string): { ok: true; gift: ParsedGift } | { ok: false; problem: "account" | "recipient" | "amount" | "description" } {
  let dateText: string | undefined;
  const words: string[] = [];
  for (const tok of tokenize(text)) {
    if (tok.kind === "option" && tok.key === "date") dateText = tok.value;
    else words.push(tok.kind === "word" ? tok.value : tokensToText([tok]));
  }
  const [account, ...rest] = words;
  if (!account) return { ok: false, problem: "account" };
  if (rest.length === 0 || parseAmount(rest[0]!, locale).ok) return { ok: false, problem: "recipient" };
  const amountAt = rest.findIndex((w, i) => i >= 1 && parseAmount(w, locale).ok);
  if (amountAt < 0) return { ok: false, problem: "amount" };
  const amount = parseAmount(rest[amountAt]!, locale);
  if (!amount.ok) return { ok: false, problem: "amount" };
  const description = rest.slice(amountAt + 1).join(" ").trim();
  if (description === "") return { ok: false, problem: "description" };
  return {
    ok: true,
    gift: {
      account,
      recipient: rest.slice(0, amountAt).join(" ").trim(),
      amountText: rest[amountAt]!,
      amountCents: amount.cents,
      description,
      ...(dateText !== undefined ? { dateText } : {}),
    },
  };
}

function giftCommand(kind: GiftKind, name: string, aliases: string[]): Subcommand {
  return { name, aliases, run: (ctx) => logGift(ctx, kind, name) };
}

async function logGift(ctx: SubcommandContext, kind: GiftKind, commandName: string): Promise<Reply> {
  const { t, actor, deps } = ctx;
  const example = EXAMPLES[kind];
  const parsed = parseGiftArgs(ctx.argsText, actor.locale);
  if (!parsed.ok) {
    const problem = {
      account: t("gift.missingAccount"),
      recipient: t("gift.missingRecipient"),
      amount: t("gift.missingAmount"),
      description: t("gift.missingDescription"),
    }[parsed.problem];
    return errorReply(t, problem, example);
  }
  const g = parsed.gift;
  if (g.amountCents <= 0) return errorReply(t, t("gift.amountZero"), example);
  if (g.recipient.length > MAX_RECIPIENT_LENGTH) return errorReply(t, t("gift.recipientTooLong", { max: MAX_RECIPIENT_LENGTH }), example);
  if (g.description.length > MAX_GIFT_DESCRIPTION_LENGTH) return errorReply(t, t("gift.descriptionTooLong", { max: MAX_GIFT_DESCRIPTION_LENGTH }), example);
  const today = localDateOf(deps.now(), actor.zone);
  let givenOn: LocalDate = today;
  if (g.dateText !== undefined) {
    const d = parseDueDate(g.dateText, { now: deps.now(), zone: actor.zone, language: actor.language });
    if (!d.ok) return errorReply(t, t("gift.badDate", { input: escapeMrkdwn(g.dateText.slice(0, 60)) }), example);
    if (d.date > today) return errorReply(t, t("gift.futureDate", { date: formatLocalDate(d.date, actor.locale) }), example);
    givenOn = d.date;
  }

  const principal = await deps.services.principal(actor);
  const rerun = (accountId: number) =>
    [commandName, `#${accountId}`, quoteArg(g.recipient), g.amountText, quoteArg(g.description), g.dateText !== undefined ? `date:${givenOn}` : ""]
      .filter(Boolean)
      .join(" ");
  const found = await resolveAccountArg(ctx, principal, g.account, rerun, example);
  if (!found.ok) return found.reply;
  const draft = { accountId: found.account.id, kind, recipientName: g.recipient, amountCents: g.amountCents, givenOn, description: g.description };
  const result = await deps.services.gifts.log(actor, principal, draft);
  const { yearMode } = await deps.services.gifts.settings(actor.workspace.id);
  switch (result.kind) {
    case "saved":
      return giftSavedReply(t, actor, result.gift, result.check, { contactCreated: result.contactCreated, mode: yearMode });
    case "over_limit": {
      const pending: PendingGift = { ...draft, accountName: found.account.name, channelId: ctx.channelId };
      return giftOverLimitReply(t, actor, pending, result.check, yearMode);
    }
    case "denied":
      return deniedReply(t, result.reason);
    case "account_gone":
      return errorReply(t, t("gift.accountGone"));
  }
}

/** `/ae gift <account> <recipient> <amount> <description>`: counts toward the FINRA 3220 limit. */
export const gift = giftCommand("gift", "gift", ["geschenk"]);

/** `/ae entertainment …`: meals and events the rep attends; logged, never counted against the limit. */
export const entertainment = giftCommand("entertainment", "entertainment", ["bewirtung", "ent"]);
