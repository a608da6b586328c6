import { DateTime } from "luxon";
import { formatMoney } from "../../domain/amounts.js";
import { isWellFormedLocale, numberFormat } from "../../domain/intl-cache.js";
import type { AccountTier } from "../../domain/neglect.js";
import type { PaceMode } from "../../domain/periods.js";
import type { LocalDate } from "../../domain/time.js";
import type { Translator } from "../../i18n/translate.js";

/** How a reminder surface (digest, Home, manager digest) formats for one reader. */
export interface ReminderFormat {
  t: Translator;
  /** BCP 47 locale for numbers and dates (the user's, or their language's). */
  locale: string;
  /** The workspace currency (ISO 4217). */
  currency: string;
  /** The reader's IANA zone. */
  zone: string;
  paceMode?: PaceMode;
}

function localized(dt: DateTime, locale: string): DateTime {
  return dt.setLocale(isWellFormedLocale(locale) ? locale : "en-US");
}

export function money(f: ReminderFormat, cents: number, compact = false): string {
  return formatMoney(Math.round(cents), f.currency, f.locale, { compact });
}

export function percent(f: ReminderFormat, ratio: number): string {
  try {
    return numberFormat(f.locale, { style: "percent", maximumFractionDigits: 0 }).format(ratio);
  } catch {
    return `${Math.round(ratio * 100)} %`;
  }
}

/** "Mon, Nov 2" / "Mo., 2. Nov." */
export function dayLabel(f: Pick<ReminderFormat, "locale">, date: LocalDate): string {
  return localized(DateTime.fromISO(date, { zone: "UTC" }), f.locale).toLocaleString({ weekday: "short", month: "short", day: "numeric" });
}

/** The local day of an instant in the reader's zone, e.g. "Tue, Nov 3". */
export function instantDay(f: Pick<ReminderFormat, "locale" | "zone">, instant: Date): string {
  return localized(DateTime.fromJSDate(instant, { zone: f.zone }), f.locale).toLocaleString({ weekday: "short", month: "short", day: "numeric" });
}

/** Local clock time, e.g. "2:03 PM" / "14:03". */
export function clockTime(f: Pick<ReminderFormat, "locale" | "zone">, instant: Date): string {
  return localized(DateTime.fromJSDate(instant, { zone: f.zone }), f.locale).toLocaleString(DateTime.TIME_SIMPLE);
}

/** Day and time, e.g. "Tue, Nov 3, 9:00 AM". */
export function dayAndTime(f: Pick<ReminderFormat, "locale" | "zone">, instant: Date): string {
  return `${instantDay(f, instant)}, ${clockTime(f, instant)}`;
}

export function tierText(t: Translator, tier: AccountTier): string {
  return t(`digest.tier.${tier}`);
}

const KINDS = ["call", "email", "meeting", "demo", "meal", "entertainment", "note"] as const;

export function touchKindText(t: Translator, kind: string): string {
  const known = KINDS.find((k) => k === kind);
  return known ? t(`digest.kind.${known}`) : kind;
}

/** The format for one actor: their translator, locale, zone, and their workspace's currency and pace mode. */
export function formatFor(actor: { locale: string; zone: string; workspace: { currency: string; paceMode: string } }, t: Translator): ReminderFormat {
  return {
    t,
    locale: actor.locale,
    currency: actor.workspace.currency,
    zone: actor.zone,
    paceMode: actor.workspace.paceMode === "calendar" ? "calendar" : "business",
  };
}
