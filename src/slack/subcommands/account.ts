import { formatMoney, parseAmount } from "../../domain/amounts.js";
import { parseArgs } from "../../domain/command-args.js";
import { isTier, type Tier } from "../../domain/account-tiers.js";
import type { Translator } from "../../i18n/translate.js";
import { MAX_ACCOUNT_NAME, MAX_INDUSTRY, type AccountProblem } from "../../services/account-service.js";
import { amountProblem, tierLabel } from "../blocks/account-format.js";
import { accountDetailBlocks } from "../blocks/account-detail-blocks.js";
import { escapeMrkdwn } from "../blocks/mrkdwn.js";
import { deniedReply, doneReply, errorReply } from "../blocks/reply-blocks.js";
import { openAddAccountModal } from "../modals/account-modals.js";
import { lookupAccount } from "./account-lookup.js";
import type { Reply, Subcommand, SubcommandContext } from "./subcommand.js";

const ADD_EXAMPLE = '/ae account add "Acme Corp" tier:key value:120k industry:Manufacturing';
const SHOW_EXAMPLE = '/ae account "Acme Corp"';

/** `add`, and the words people use for it. Unquoted only: `/ae account "Add"` shows an account called Add. */
const ADD_WORD = /^(?:add|new|neu|anlegen|hinzufügen)(?:\s|$)/iu;
const INDIVIDUAL_WORDS = new Set(["individual", "person", "privat", "privatperson", "einzelperson"]);
const TIER_WORDS: Record<string, Tier> = { key: "key", growth: "growth", standard: "standard", schlüssel: "key", schluessel: "key", wachstum: "growth" };

/**
 * `/ae account <name>` shows one account; `/ae account add <name> [tier:…] [value:…] [industry:…]
 * [individual]` adds one (without arguments: the add-account modal).
 */
export const account: Subcommand = {
  name: "account",
  aliases: ["acct", "konto", "kunde"],
  run: async (ctx) => {
    const text = ctx.argsText.trim();
    const add = ADD_WORD.exec(text);
    if (add) return addAccount(ctx, text.slice(add[0].length));
    if (text === "") return errorReply(ctx.t, ctx.t("accounts.error.whichAccount"), SHOW_EXAMPLE);
    return showAccount(ctx, text);
  },
};

async function showAccount(ctx: SubcommandContext, text: string): Promise<Reply> {
  const { t, actor, deps } = ctx;
  const query = parseArgs(text).tokens.map((tok) => (tok.kind === "word" ? tok.value : tok.kind === "option" ? `${tok.key}:${tok.value}` : "")).filter(Boolean).join(" ");
  if (query === "") return errorReply(t, t("accounts.error.whichAccount"), SHOW_EXAMPLE);
  const principal = await deps.services.principal(actor);
  const found = await lookupAccount(ctx, principal, [{ query, rerun: (id) => `account #${id}` }], SHOW_EXAMPLE);
  if (found.kind === "reply") return found.reply;
  const result = await deps.services.accounts.detail(actor, principal, found.account.id);
  if (result.kind === "denied") return deniedReply(t, result.reason);
  if (result.kind === "not_found") return errorReply(t, t("account.notFound", { query: escapeMrkdwn(query.slice(0, 100)) }), SHOW_EXAMPLE);
  return accountDetailBlocks(t, actor, result.detail, deps.now());
}

export function accountProblemText(t: Translator, problem: AccountProblem): string {
  switch (problem) {
    case "name_empty":
      return t("accounts.error.nameMissing");
    case "name_too_long":
      return t("accounts.error.nameTooLong", { max: MAX_ACCOUNT_NAME });
    case "industry_too_long":
      return t("accounts.error.industryTooLong", { max: MAX_INDUSTRY });
  }
}

async function addAccount(ctx: SubcommandContext, rest: string): Promise<Reply | void> {
  const { t, actor, deps } = ctx;
  if (rest.trim() === "") {
    const opened = await openAddAccountModal(ctx.client, ctx.triggerId, actor, deps, { channelId: ctx.channelId });
    return opened ? undefined : errorReply(t, t("accounts.error.modalFailed"), ADD_EXAMPLE);
  }
  const { tokens } = parseArgs(rest);
  const nameWords: string[] = [];
  let tier: Tier = "standard";
  let annualValueCents = 0;
  let industry: string | null = null;
  let individual = false;
  for (const token of tokens) {
    if (token.kind === "word") {
      if (INDIVIDUAL_WORDS.has(token.value.toLowerCase())) individual = true;
      else nameWords.push(token.value);
      continue;
    }
    if (token.kind !== "option") return errorReply(t, t("accounts.error.unexpectedMention"), ADD_EXAMPLE);
    switch (token.key) {
      case "tier":
      case "stufe": {
        const value = TIER_WORDS[token.value.toLowerCase()];
        if (!value || !isTier(value)) return errorReply(t, t("accounts.error.tier", { input: escapeMrkdwn(token.value.slice(0, 40)) }), ADD_EXAMPLE);
        tier = value;
        break;
      }
      case "value":
      case "wert":
      case "umsatz": {
        const parsed = parseAmount(token.value, actor.locale);
        if (!parsed.ok) return errorReply(t, amountProblem(t, parsed, escapeMrkdwn(token.value.slice(0, 40))), ADD_EXAMPLE);
        annualValueCents = parsed.cents;
        break;
      }
      case "industry":
      case "branche":
        industry = token.value;
        break;
      default:
        return errorReply(t, t("accounts.error.unknownOption", { option: escapeMrkdwn(token.key.slice(0, 40)) }), ADD_EXAMPLE);
    }
  }
  const name = nameWords.join(" ");
  const result = await deps.services.accounts.add(actor, { name, tier, annualValueCents, industry, kind: individual ? "individual" : "company" });
  if (result.kind === "invalid") return errorReply(t, accountProblemText(t, result.problem), ADD_EXAMPLE);
  if (result.kind === "duplicate") {
    return errorReply(t, t("accounts.error.duplicate", { name: escapeMrkdwn(result.existing.name) }), `/ae account "${escapeMrkdwn(result.existing.name.slice(0, 100))}"`);
  }
  const a = result.account;
  const facts = [
    tierLabel(t, tier),
    annualValueCents > 0 ? formatMoney(annualValueCents, actor.workspace.currency, actor.locale) : "",
    a.industry ? escapeMrkdwn(a.industry) : "",
    individual ? t("accounts.individual") : "",
  ].filter(Boolean);
  return { ...doneReply(t("accounts.added", { name: escapeMrkdwn(a.name), facts: facts.join(" · ") })), changed: true };
}
