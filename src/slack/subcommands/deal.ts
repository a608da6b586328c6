import { parseAmount } from "../../domain/amounts.js";
import { parseArgs } from "../../domain/command-args.js";
import { parseDueDate } from "../../domain/natural-dates.js";
import { localDateOf, startOfLocalDate, type LocalDate } from "../../domain/time.js";
import { isOpenStage, type OpenStage } from "../../domain/deal-stages.js";
import type { Actor } from "../../services/actor-service.js";
import type { Translator } from "../../i18n/translate.js";
import { dealCreatedReply } from "../blocks/deal-blocks.js";
import { formatLocalDate } from "../blocks/deal-format.js";
import { dealModal } from "../blocks/deal-modal.js";
import { escapeMrkdwn } from "../blocks/mrkdwn.js";
import { deniedReply, errorReply } from "../blocks/reply-blocks.js";
import { openView } from "../open-view.js";
import { resolveAccountArg } from "./deal-account-arg.js";
import type { Reply, Subcommand, SubcommandContext } from "./subcommand.js";

export const DEAL_EXAMPLE = '/ae deal "Acme Corp" 50k stage:proposal close:2026-12-15';

type Checked<T> = { ok: true; value: T } | { ok: false; problem: string };

/** A deal amount: readable in the user's locale and above zero. */
export function checkDealAmount(t: Translator, text: string, locale: string): Checked<number> {
  const r = parseAmount(text, locale);
  if (!r.ok) return { ok: false, problem: text.trim() === "" ? t("deal.missingAmount") : t("deal.badAmount", { input: escapeMrkdwn(text.slice(0, 40)) }) };
  if (r.cents <= 0) return { ok: false, problem: t("deal.amountZero") };
  return { ok: true, value: r.cents };
}

export function checkStage(t: Translator, text: string): Checked<OpenStage> {
  const s = text.trim().toLowerCase();
  return isOpenStage(s) ? { ok: true, value: s } : { ok: false, problem: t("deal.badStage", { input: escapeMrkdwn(text.slice(0, 40)) }) };
}

/** A close date (natural language, in the user's zone and language); today or later. */
export function checkCloseDate(t: Translator, text: string, actor: Actor, now: Date): Checked<LocalDate> {
  const r = parseDueDate(text, { now, zone: actor.zone, language: actor.language });
  if (!r.ok) return { ok: false, problem: t("deal.badClose", { input: escapeMrkdwn(text.slice(0, 60)) }) };
  if (r.date < localDateOf(now, actor.zone)) return { ok: false, problem: t("deal.closePast", { date: formatLocalDate(r.date, actor.locale) }) };
  return { ok: true, value: r.date };
}

/** Opens the deal modal; when Slack refuses (an expired trigger), says so instead. */
async function openModal(ctx: SubcommandContext, account: string): Promise<Reply | void> {
  const opened = await openView(ctx.client, ctx.triggerId, dealModal(ctx.t, { account, channelId: ctx.channelId }), ctx.deps.logger);
  return opened ? undefined : errorReply(ctx.t, ctx.t("deal.modalFailed"), DEAL_EXAMPLE);
}

/** `/ae deal <account> <amount> [stage:<stage>] [close:<date>]`; without arguments, the modal. */
export const deal: Subcommand = {
  name: "deal",
  aliases: ["opportunity", "opp"],
  run: async (ctx) => {
    const { t, actor, deps } = ctx;
    const args = parseArgs(ctx.argsText);
    if (args.positional.some((p) => p.kind !== "word")) return errorReply(t, t("deal.noMentions"), DEAL_EXAMPLE);
    const words = args.words;
    if (words.length === 0 && args.options.size === 0) return openModal(ctx, "");
    if (words.length === 1 && args.options.size === 0) return openModal(ctx, words[0]!);
    if (words.length < 2) return errorReply(t, t("deal.missingAmount"), DEAL_EXAMPLE);
    // The amount is the last word, so an unquoted multi-word account still works: "Acme Corp 50k".
    const accountQuery = words.slice(0, -1).join(" ");
    const amountText = words[words.length - 1]!;
    const amount = checkDealAmount(t, amountText, actor.locale);
    if (!amount.ok) return errorReply(t, amount.problem, DEAL_EXAMPLE);

    let stage: OpenStage = "prospect";
    let close: LocalDate | null = null;
    for (const [key, value] of args.options) {
      if (key === "stage") {
        const s = checkStage(t, value);
        if (!s.ok) return errorReply(t, s.problem, DEAL_EXAMPLE);
        stage = s.value;
      } else if (key === "close") {
        const c = checkCloseDate(t, value, actor, deps.now());
        if (!c.ok) return errorReply(t, c.problem, DEAL_EXAMPLE);
        close = c.value;
      } else {
        return errorReply(t, t("deal.unknownOption", { key: escapeMrkdwn(key.slice(0, 30)), known: "stage:, close:" }), DEAL_EXAMPLE);
      }
    }

    const principal = await deps.services.principal(actor);
    const rerun = (accountId: number) =>
      [`deal #${accountId}`, amountText, `stage:${stage}`, close ? `close:${close}` : ""].filter(Boolean).join(" ");
    const found = await resolveAccountArg(ctx, principal, accountQuery, rerun, DEAL_EXAMPLE);
    if (!found.ok) return found.reply;
    const result = await deps.services.deals.create(actor, principal, found.account, {
      amountCents: amount.value,
      stage,
      expectedCloseAt: close ? startOfLocalDate(close, actor.zone) : null,
    });
    if (result.kind === "denied") return deniedReply(t, result.reason);
    return dealCreatedReply(t, actor, result.deal);
  },
};

