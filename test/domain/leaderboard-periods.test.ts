import { describe, expect, it } from "vitest";
import { duePosts, effectiveLeaderboardQuota, isoWeekKey, leaderboardPeriod, weekStartOf } from "../../src/domain/leaderboard-periods.js";
import { periodForLocalDate } from "../../src/domain/periods.js";

describe("leaderboard weeks", () => {
  it.each([
    ["2026-04-06", "2026-04-06", "2026-W15"], // a Monday
    ["2026-04-12", "2026-04-06", "2026-W15"], // its Sunday
    ["2027-01-01", "2026-12-28", "2026-W53"], // ISO week-year differs from the calendar year
    ["2025-12-29", "2025-12-29", "2026-W01"],
  ])("%s is in the week starting %s (%s)", (date, monday, key) => {
    expect(weekStartOf(date)).toBe(monday);
    expect(isoWeekKey(date)).toBe(key);
  });

  it("a week spans Monday 00:00 to the next Monday 00:00 in the team's zone, across DST", () => {
    // 2026-03-08: US DST starts in New York; the week is 167 hours long.
    const p = leaderboardPeriod("week", "2026-03-04", "America/New_York", 1);
    expect(p.startDate).toBe("2026-03-02");
    expect(p.endDate).toBe("2026-03-09");
    expect(p.start.toISOString()).toBe("2026-03-02T05:00:00.000Z");
    expect(p.end.toISOString()).toBe("2026-03-09T04:00:00.000Z");
    expect(p.label).toBe("Mar 2 – Mar 8, 2026");
  });

  it("ranks a week by the attainment of the quarter containing its last day, to the week's end", () => {
    const p = leaderboardPeriod("week", "2026-03-31", "Europe/Berlin", 1); // Mon 30 Mar – Sun 5 Apr
    expect(p.quotaPeriod.key).toBe("FY2026-Q2");
    expect(p.rankingStart.toISOString()).toBe("2026-03-31T22:00:00.000Z"); // 1 Apr 00:00 CEST
    expect(p.rankingEnd.toISOString()).toBe(p.end.toISOString());
    const mid = leaderboardPeriod("week", "2026-05-13", "Europe/Berlin", 1);
    expect(mid.rankingStart.toISOString()).toBe("2026-03-31T22:00:00.000Z");
    expect(mid.rankingEnd).toEqual(mid.end);
  });

  it("month, quarter and year use the fiscal periods and rank on the period itself", () => {
    const q = leaderboardPeriod("quarter", "2026-02-10", "America/New_York", 2);
    expect(q.key).toBe("FY2027-Q1");
    expect(q.rankingStart).toEqual(q.start);
    expect(q.rankingEnd).toEqual(q.end);
    expect(q.quotaPeriod.startDate).toBe("2026-02-01");
  });
});

describe("effectiveLeaderboardQuota", () => {
  const q2 = periodForLocalDate("quarter", "2026-04-10", "UTC", 1);
  it.each([
    ["exact quota × ramp, half-up", [{ periodType: "quarter", periodStart: "2026-04-01", amountCents: 100_001, rampFactor: 0.5 }], 50_001],
    ["another period's quota does not count", [{ periodType: "quarter", periodStart: "2026-01-01", amountCents: 100_000, rampFactor: 1 }], null],
    ["another type does not count", [{ periodType: "year", periodStart: "2026-01-01", amountCents: 400_000, rampFactor: 1 }], null],
    ["none", [], null],
  ])("%s", (_label, rows, expected) => {
    expect(effectiveLeaderboardQuota(rows, q2)).toBe(expected);
  });
});

describe("duePosts", () => {
  type Row = [label: string, instant: string, zone: string, fy: number, expected: { type: string; date: string }[]];
  it.each<Row>([
    ["Monday before 09:00: nothing yet", "2026-04-06T06:59:00Z", "Europe/Berlin", 1, []],
    ["Monday 09:00 local: last week", "2026-04-06T07:00:00Z", "Europe/Berlin", 1, [{ type: "week", date: "2026-03-30" }]],
    ["Monday evening (catch-up the same day)", "2026-04-06T20:00:00Z", "Europe/Berlin", 1, [{ type: "week", date: "2026-03-30" }]],
    ["Tuesday: too late for last week", "2026-04-07T08:00:00Z", "Europe/Berlin", 1, []],
    ["1 Apr: March and Q1 close", "2026-04-01T13:00:00Z", "America/New_York", 1, [{ type: "month", date: "2026-03-31" }, { type: "quarter", date: "2026-03-31" }]],
    ["1 May: only April closes", "2026-05-01T13:00:00Z", "America/New_York", 1, [{ type: "month", date: "2026-04-30" }]],
    ["1 Feb with a February fiscal year: month and quarter", "2026-02-01T09:00:00Z", "UTC", 2, [{ type: "month", date: "2026-01-31" }, { type: "quarter", date: "2026-01-31" }]],
    ["Monday 1 June: week and month", "2026-06-01T09:30:00Z", "UTC", 1, [{ type: "week", date: "2026-05-25" }, { type: "month", date: "2026-05-31" }]],
    ["the zone decides the day: still Sunday in Los Angeles", "2026-04-06T07:30:00Z", "America/Los_Angeles", 1, []],
  ])("%s", (_label, instant, zone, fy, expected) => {
    expect(duePosts(new Date(instant), zone, fy)).toEqual(expected);
  });
});
