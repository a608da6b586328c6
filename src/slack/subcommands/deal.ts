import { parseAmount } from "../../domain/amounts.js";
import { parseArgs } from "../../domain/command-args.js";
import { parseDueDate } from "../../domain/natural-dates.js";
import { localDateOf, startOfLocalDate, type LocalDate } from "../../domain/time.js";
import { parseOpenStage, type OpenStage } from "../../domain/deal-stages.js";
import { parseForecastCategory, type ForecastCategory } from "../../domain/forecast.js";
import type { Actor } from "../../services/actor-service.js";
import type { Translator } from "../../i18n/translate.js";
import { dealCreatedReply, dealForecastText, dealSummary, stageLabel } from "../blocks/deal-blocks.js";
import { formatLocalDate } from "../blocks/deal-format.js";
import { dealModal } from "../blocks/deal-modal.js";
import { escapeMrkdwn } from "../blocks/mrkdwn.js";
import { deniedReply, doneReply, errorReply, textReply } from "../blocks/reply-blocks.js";
import { openView } from "../open-view.js";
import { resolveAccountArg } from "./deal-account-arg.js";
import { closedDealReply, lookupDeal, refFrom } from "./deal-lookup.js";
import type { Reply, Subcommand, SubcommandContext } from "./subcommand.js";

export const DEAL_EXAMPLE = '/ae deal "Acme Corp" 50k stage:proposal close:2026-12-15 forecast:best_case';
const DEAL_UPDATE_EXAMPLE = "/ae deal 42 forecast:commit stage:negotiation";

type Checked<T> = { ok: true; value: T } | { ok: false; problem: string };

/** A deal amount: readable in the user's locale and above zero. */
export function checkDealAmount(t: Translator, text: string, locale: string): Checked<number> {
  const r = parseAmount(text, locale);
  if (!r.ok) return { ok: false, problem: text.trim() === "" ? t("deal.missingAmount") : t("deal.badAmount", { input: escapeMrkdwn(text.slice(0, 40)) }) };
  if (r.cents <= 0) return { ok: false, problem: t("deal.amountZero") };
  return { ok: true, value: r.cents };
}

/** A stage, in English or German (`negotiation`, `Verhandlung`). */
export function checkStage(t: Translator, text: string): Checked<OpenStage> {
  const s = parseOpenStage(text);
  return s !== null ? { ok: true, value: s } : { ok: false, problem: t("deal.badStage", { input: escapeMrkdwn(text.slice(0, 40)) }) };
}

/** A forecast category (`commit`, `best_case`, `Zusage`, …), or `auto` (null: the stage decides). */
export function checkForecast(t: Translator, text: string): Checked<ForecastCategory | null> {
  const c = parseForecastCategory(text);
  if (c === null) return { ok: false, problem: t("deal.badForecast", { input: escapeMrkdwn(text.slice(0, 40)) }) };
  return { ok: true, value: c === "auto" ? null : c };
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

/** What the options of `/ae deal` say, checked. Absent = not given. */
interface DealOptions {
  stage?: OpenStage;
  close?: LocalDate;
  /** null: back to the category the stage implies (`forecast:auto`). */
  forecast?: ForecastCategory | null;
  /** `account:#12`, from a "which account?" button (changing a deal only). */
  account?: string;
}

const FORECAST_KEYS = new Set(["forecast", "prognose"]);

/** Reads and checks every option; the first bad one is the reply (nothing is changed). */
function readOptions(ctx: SubcommandContext, options: Map<string, string>, opts: { account: boolean; example: string }): { ok: true; value: DealOptions } | { ok: false; reply: Reply } {
  const { t, actor, deps } = ctx;
  const value: DealOptions = {};
  const bad = (problem: string) => ({ ok: false as const, reply: errorReply(t, problem, opts.example) });
  for (const [key, text] of options) {
    if (key === "stage") {
      const s = checkStage(t, text);
      if (!s.ok) return bad(s.problem);
      value.stage = s.value;
    } else if (key === "close") {
      const c = checkCloseDate(t, text, actor, deps.now());
      if (!c.ok) return bad(c.problem);
      value.close = c.value;
    } else if (FORECAST_KEYS.has(key)) {
      const f = checkForecast(t, text);
      if (!f.ok) return bad(f.problem);
      value.forecast = f.value;
    } else if (key === "account" && opts.account) {
      value.account = text;
    } else {
      return bad(t("deal.unknownOption", { key: escapeMrkdwn(key.slice(0, 30)), known: "stage:, close:, forecast:" }));
    }
  }
  return { ok: true, value };
}

/** The options again as command text, for a button that re-runs the command with a deal or account picked. */
function optionsText(o: DealOptions): string {
  return [
    o.stage ? `stage:${o.stage}` : "",
    o.close ? `close:${o.close}` : "",
    o.forecast !== undefined ? `forecast:${o.forecast ?? "auto"}` : "",
  ]
    .filter(Boolean)
    .join(" ");
}

/**
 * `/ae deal <account> <amount> [stage:<stage>] [close:<date>] [forecast:<category>]` opens a deal;
 * `/ae deal <deal> [stage:…] [close:…] [forecast:…]` (no amount) changes an open one. Without
 * arguments, or with only an account: the deal form.
 */
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
    // The amount is the last word, so an unquoted multi-word account still works: "Acme Corp 50k".
    // Without one, options change an existing deal: "42 forecast:commit", "Acme stage:negotiation".
    const amountText = words.length >= 2 ? words[words.length - 1]! : undefined;
    if (amountText === undefined || !parseAmount(amountText, actor.locale).ok) {
      if (args.options.size > 0) return updateDeal(ctx, words, args.options);
      if (words.length < 2) return errorReply(t, t("deal.missingAmount"), DEAL_EXAMPLE);
    }
    const accountQuery = words.slice(0, -1).join(" ");
    const amount = checkDealAmount(t, amountText ?? "", actor.locale);
    if (!amount.ok) return errorReply(t, amount.problem, DEAL_EXAMPLE);
    const options = readOptions(ctx, args.options, { account: false, example: DEAL_EXAMPLE });
    if (!options.ok) return options.reply;
    const { stage = "prospect", close = null, forecast = null } = options.value;

    const principal = await deps.services.principal(actor);
    const rerun = (accountId: number) => [`deal #${accountId}`, amountText ?? "", optionsText({ ...options.value, stage })].filter(Boolean).join(" ");
    const found = await resolveAccountArg(ctx, principal, accountQuery, rerun, DEAL_EXAMPLE);
    if (!found.ok) return found.reply;
    const result = await deps.services.deals.create(actor, principal, found.account, {
      amountCents: amount.value,
      stage,
      expectedCloseAt: close ? startOfLocalDate(close, actor.zone) : null,
      forecastCategory: forecast,
    });
    if (result.kind === "denied") return deniedReply(t, result.reason);
    return dealCreatedReply(t, actor, result.deal);
  },
};

/**
 * `/ae deal <deal> [stage:<stage>] [close:<date>] [forecast:<category>]`: every option is checked
 * before anything changes; then the stage (recorded in its history), the close date and the
 * forecast category are set, and the answer names what changed.
 */
async function updateDeal(ctx: SubcommandContext, words: readonly string[], options: Map<string, string>): Promise<Reply> {
  const { t, actor, deps } = ctx;
  const read = readOptions(ctx, options, { account: true, example: DEAL_UPDATE_EXAMPLE });
  if (!read.ok) return read.reply;
  const o = read.value;
  if (o.stage === undefined && o.close === undefined && o.forecast === undefined) return errorReply(t, t("deal.update.nothing"), DEAL_UPDATE_EXAMPLE);
  if (o.account !== undefined ? words.length > 0 : words.length === 0) return errorReply(t, t("deal.refMissing"), DEAL_UPDATE_EXAMPLE);
  const found = await lookupDeal(ctx, refFrom(options, words.join(" ")), "deal", optionsText(o), DEAL_UPDATE_EXAMPLE);
  if (!found.ok) return found.reply;

  let current = found.deal;
  const changes: string[] = [];
  if (o.stage !== undefined) {
    const r = await deps.services.deals.setStage(actor, current, o.stage);
    if (r.kind === "closed") return closedDealReply(ctx, r.deal);
    if (r.kind === "moved") changes.push(t("deal.change.stage", { from: stageLabel(t, r.from), to: stageLabel(t, r.deal.stage) }));
    current = r.deal;
  }
  if (o.close !== undefined && (current.expectedCloseAt === null || localDateOf(current.expectedCloseAt, actor.zone) !== o.close)) {
    const r = await deps.services.deals.pushCloseDate(actor, current, o.close);
    if (r.kind === "closed") return closedDealReply(ctx, r.deal);
    if (r.kind === "past") return errorReply(t, t("deal.closePast", { date: formatLocalDate(r.date, actor.locale) }), DEAL_UPDATE_EXAMPLE);
    changes.push(t("deal.change.close", { date: formatLocalDate(r.date, actor.locale) }));
    current = r.deal;
  }
  if (o.forecast !== undefined) {
    const before = dealForecastText(t, current);
    const r = await deps.services.deals.setForecastCategory(actor, current, o.forecast);
    if (r.kind === "closed") return closedDealReply(ctx, r.deal);
    if (r.kind === "set") changes.push(t("deal.change.forecast", { from: before, to: dealForecastText(t, r.deal) }));
    current = r.deal;
  }
  const params = { id: current.id, account: escapeMrkdwn(current.accountName) };
  if (changes.length === 0) return textReply(t("deal.unchanged", { ...params, summary: dealSummary(t, actor, current) }));
  return { ...doneReply(`${t("deal.updated", { ...params, changes: changes.join("; ") })}\n${dealSummary(t, actor, current)}`), changed: true };
}
