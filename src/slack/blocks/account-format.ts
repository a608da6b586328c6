import { DateTime } from "luxon";
import { dateTimeFormat, isWellFormedLocale } from "../../domain/intl-cache.js";
import type { ParseAmountResult } from "../../domain/amounts.js";
import type { TouchKind } from "../../domain/touch-args.js";
import { isValidTimeZone, type LocalDate } from "../../domain/time.js";
import type { Tier } from "../../domain/account-tiers.js";
import type { Translator } from "../../i18n/translate.js";

/** An instant's calendar day in the user's zone, e.g. "Mar 4, 2026" / "4. März 2026". */
export function formatDay(instant: Date, zone: string, locale: string): string {
  // luxon's DATE_MED through one cached Intl formatter per (locale, zone): lists format a date per
  // row, and building a luxon DateTime in a zone costs several offset lookups each time.
  return dateTimeFormat(isWellFormedLocale(locale) ? locale : "en-US", { ...DateTime.DATE_MED, timeZone: isValidTimeZone(zone) ? zone : "UTC" }).format(instant);
}

/** A local date with its weekday, e.g. "Fri, Mar 6, 2026" / "Fr., 6. März 2026". */
export function formatLocalDay(date: LocalDate, locale: string): string {
  return safeLocale(DateTime.fromISO(date, { zone: "UTC" }), locale).toLocaleString(DateTime.DATE_MED_WITH_WEEKDAY);
}

/** A luxon DateTime in `locale`, or en-US when the locale is not one Intl knows. */
function safeLocale(dt: DateTime, locale: string): DateTime {
  // isWellFormedLocale: `new Intl.DateTimeFormat(locale)` does not throw (memoized per tag).
  return dt.setLocale(isWellFormedLocale(locale) ? locale : "en-US");
}

export function tierLabel(t: Translator, tier: Tier): string {
  return t(`accounts.tier.${tier}`);
}

export function kindLabel(t: Translator, kind: string): string {
  switch (kind as TouchKind) {
    case "call":
    case "email":
    case "meeting":
    case "demo":
    case "meal":
    case "entertainment":
    case "note":
      return t(`touches.kind.${kind as TouchKind}`);
    default:
      return kind;
  }
}

/** "today", "yesterday", "12 days ago". */
export function daysAgo(t: Translator, days: number): string {
  if (days <= 0) return t("accounts.today");
  if (days === 1) return t("accounts.yesterday");
  return t("accounts.daysAgo", { count: days });
}

/** What is wrong with an amount the user typed (`input` already escaped and short). */
export function amountProblem(t: Translator, result: Exclude<ParseAmountResult, { ok: true }>, input: string): string {
  return t(`accounts.error.amount.${result.reason}`, { input });
}

/** A local date without weekday, e.g. "Mar 6, 2026" / "6. März 2026". */
export function formatLocalDate(date: LocalDate, locale: string): string {
  return safeLocale(DateTime.fromISO(date, { zone: "UTC" }), locale).toLocaleString(DateTime.DATE_MED);
}

/** A Slack user mention for a stored id, or "" when the id does not look like one (never inject). */
export function mention(slackUserId: string): string {
  return /^[UW][A-Z0-9]{1,20}$/.test(slackUserId) ? `<@${slackUserId}>` : "";
}

const DEAL_STAGES = ["prospect", "qualified", "proposal", "negotiation", "won", "lost"] as const;
type DealStage = (typeof DEAL_STAGES)[number];

export function stageLabel(t: Translator, stage: string): string {
  return (DEAL_STAGES as readonly string[]).includes(stage) ? t(`accounts.stage.${stage as DealStage}`) : stage;
}

/**
 * Cuts plain text to Slack's `max` (UTF-16 units, as Slack counts) with "…", never splitting an
 * emoji or other astral character in half (a lone surrogate would make the payload invalid).
 */
export function clipPlain(text: string, max: number): string {
  if (text.length <= max) return text;
  let cut = text.slice(0, max - 1);
  if (/[\uD800-\uDBFF]$/.test(cut)) cut = cut.slice(0, -1);
  return `${cut}…`;
}
