import { DateTime } from "luxon";
import { formatMoney } from "../../domain/amounts.js";
import { numberFormat } from "../../domain/intl-cache.js";
import type { Period } from "../../domain/periods.js";
import { addLocalDays, type LocalDate } from "../../domain/time.js";
import type { Actor } from "../../services/actor-service.js";

/** Money in the workspace currency, formatted for the user's locale. */
export function money(actor: Pick<Actor, "workspace" | "locale">, cents: number): string {
  return formatMoney(cents, actor.workspace.currency, actor.locale);
}

/**
 * A ratio as a whole percentage, rounded DOWN: 0.996 shows as 99 %, so "100 %" only ever
 * appears once the target is really reached.
 */
export function formatPercent(ratio: number, locale: string): string {
  const whole = Math.floor(ratio * 100 + 1e-9);
  try {
    return numberFormat(locale, { style: "percent", maximumFractionDigits: 0 }).format(whole / 100);
  } catch {
    return `${whole}%`;
  }
}

/** A multiplier or rate as typed in comp plans: 0.1 → "10 %", up to two decimals. */
export function formatRate(ratio: number, locale: string): string {
  try {
    return numberFormat(locale, { style: "percent", maximumFractionDigits: 2 }).format(ratio);
  } catch {
    return `${Math.round(ratio * 10_000) / 100}%`;
  }
}

/** "Dec 12, 2026" / "12. Dez. 2026". */
export function formatLocalDate(date: LocalDate, locale: string): string {
  const dt = DateTime.fromISO(date, { zone: "UTC" });
  const localized = dt.setLocale(locale);
  return (localized.isValid ? localized : dt.setLocale("en-US")).toLocaleString(DateTime.DATE_MED);
}

/** First and last local day of a period, for display. */
export function periodRange(period: Period, locale: string): { from: string; to: string } {
  return { from: formatLocalDate(period.startDate, locale), to: formatLocalDate(addLocalDays(period.endDate, -1), locale) };
}
