import { describe, expect, it } from "vitest";
import { leaderboardPeriod } from "../../src/domain/leaderboard-periods.js";
import { periodForLocalDate } from "../../src/domain/periods.js";
import { periodName } from "../../src/i18n/period-name.js";

const period = (type: "month" | "quarter" | "year", date: string, fiscalStart = 1) => periodForLocalDate(type, date, "Europe/Berlin", fiscalStart);

describe("periodName: every period label a user sees", () => {
  it.each([
    ["month", "2026-12-10", 1, "en-US", "December 2026"],
    ["month", "2026-12-10", 1, "de-DE", "Dezember 2026"],
    ["quarter", "2026-12-10", 1, "en-US", "Q4 FY2026"],
    ["quarter", "2026-12-10", 1, "de-DE", "Q4 GJ2026"],
    ["quarter", "2026-12-10", 4, "de-AT", "Q3 GJ2027"],
    ["year", "2026-12-10", 1, "en-GB", "FY2026"],
    ["year", "2026-12-10", 1, "de-DE", "GJ2026"],
  ] as const)("%s of %s (fiscal year from month %i) in %s → %s", (type, date, fiscalStart, locale, expected) => {
    expect(periodName(period(type, date, fiscalStart), locale)).toBe(expected);
  });

  it("names a leaderboard week in the reader's language, the year once unless it changes", () => {
    const week = leaderboardPeriod("week", "2026-04-08", "UTC", 1);
    expect(periodName(week, "en-US")).toBe("Apr 6 – Apr 12, 2026");
    expect(periodName(week, "de-DE")).toBe("6. Apr. – 12. Apr. 2026");
    const newYear = leaderboardPeriod("week", "2026-12-30", "UTC", 1);
    expect(periodName(newYear, "en-US")).toBe("Dec 28, 2026 – Jan 3, 2027");
    expect(periodName(newYear, "de-DE")).toBe("28. Dez. 2026 – 3. Jan. 2027");
  });

  it("a leaderboard month or quarter is named like the quota period", () => {
    expect(periodName(leaderboardPeriod("month", "2026-12-10", "UTC", 1), "de-DE")).toBe("Dezember 2026");
    expect(periodName(leaderboardPeriod("quarter", "2026-12-10", "UTC", 1), "de-DE")).toBe("Q4 GJ2026");
  });

  it("falls back to English for a malformed locale", () => {
    expect(periodName(period("month", "2026-12-10"), "not a locale!")).toBe("December 2026");
  });
});
