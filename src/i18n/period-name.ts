import { DateTime } from "luxon";
import { isWellFormedLocale } from "../domain/intl-cache.js";
import type { LeaderboardPeriod } from "../domain/leaderboard-periods.js";
import type { Period } from "../domain/periods.js";
import { addLocalDays } from "../domain/time.js";
import { languageFor, translate } from "./translate.js";

/** What a period name is made of: every quota period and every leaderboard period has these. */
export type NamedPeriod = Pick<Period | LeaderboardPeriod, "type" | "startDate" | "endDate" | "key" | "label">;

function local(date: string, locale: string): DateTime {
  return DateTime.fromISO(date, { zone: "UTC" }).setLocale(isWellFormedLocale(locale) ? locale : "en-US");
}

/**
 * THE name of a period in a reader's language, wherever one is shown (quota, Home, digest,
 * leaderboard posts and charts, deal-won replies):
 * month "December 2026" / "Dezember 2026"; quarter "Q4 FY2026" / "Q4 GJ2026"; year "FY2026" /
 * "GJ2026"; week "Apr 6 – Apr 12, 2026" / "6. Apr. – 12. Apr. 2026".
 * `period.label` is the fixed English form for logs, the CLI and keys; never show it to a user.
 */
export function periodName(period: NamedPeriod, locale: string): string {
  const language = languageFor(locale);
  switch (period.type) {
    case "month":
      return local(period.startDate, locale).toFormat("LLLL yyyy");
    case "week": {
      const first = local(period.startDate, locale);
      const last = local(addLocalDays(period.endDate, -1), locale);
      const from = first.toLocaleString(first.year === last.year ? { month: "short", day: "numeric" } : DateTime.DATE_MED);
      return `${from} – ${last.toLocaleString(DateTime.DATE_MED)}`;
    }
    case "quarter":
    case "year": {
      const m = /^FY(\d+)(?:-Q(\d))?$/.exec(period.key);
      if (!m) return period.label;
      return m[2] === undefined ? translate(language, "period.year", { year: m[1]! }) : translate(language, "period.quarter", { quarter: m[2], year: m[1]! });
    }
  }
}
