import { DateTime } from "luxon";
import { describe, expect, it } from "vitest";
import {
  businessDaysIn,
  calendarDaysIn,
  elapsedShare,
  fiscalYearOf,
  nextPeriod,
  periodContaining,
  periodForLocalDate,
  periodFromStartDate,
  previousPeriod,
  type PaceMode,
  type PeriodType,
} from "../../src/domain/periods.js";

const NY = "America/New_York";
const BERLIN = "Europe/Berlin";
const NONE: ReadonlySet<string> = new Set();

const at = (iso: string): Date => new Date(iso);
/** Offset in minutes of an instant in a zone (e.g. −300 = EST). */
const offsetAt = (d: Date, zone: string): number => DateTime.fromJSDate(d, { zone }).offset;

describe("fiscalYearOf", () => {
  it.each([
    // [year, month, fiscal start, expected]
    [2026, 1, 1, 2026], // start 1: FY = calendar year
    [2026, 12, 1, 2026],
    [2026, 1, 2, 2026], // Jan 2026 is the last month of Feb 2025–Jan 2026 → ends in 2026
    [2026, 2, 2, 2027], // Feb 2026 starts Feb 2026–Jan 2027 → FY2027
    [2026, 10, 11, 2026], // start Nov: Oct 2026 ends Nov 2025–Oct 2026 → FY2026
    [2026, 11, 11, 2027], // Nov 2026 starts Nov 2026–Oct 2027 → FY2027
  ])("%i-%i with start month %i → FY%i", (year, month, start, fy) => {
    expect(fiscalYearOf(year, month, start)).toBe(fy);
  });
});

describe("periodContaining: dates, keys and labels", () => {
  it.each<[PeriodType, string, string, number, string, string, string, string]>([
    // [type, instant, zone, fiscal start, startDate, endDate, key, label]
    // Calendar quarters (start month 1): Q1 = Jan–Mar, Q2 = Apr–Jun.
    ["quarter", "2026-02-15T12:00:00Z", NY, 1, "2026-01-01", "2026-04-01", "FY2026-Q1", "Q1 FY2026"],
    // Last instant of Q1 in New York: 2026-03-31 23:59:59.999 EDT = 03:59:59.999Z on Apr 1.
    ["quarter", "2026-04-01T03:59:59.999Z", NY, 1, "2026-01-01", "2026-04-01", "FY2026-Q1", "Q1 FY2026"],
    // First instant of Q2 in New York: 2026-04-01 00:00 EDT (−4) = 04:00Z.
    ["quarter", "2026-04-01T04:00:00Z", NY, 1, "2026-04-01", "2026-07-01", "FY2026-Q2", "Q2 FY2026"],
    // Same instant 04:00Z in Berlin is 06:00 CEST on Apr 1 → Q2; 21:59:59Z Mar 31 = 23:59:59 CEST → Q1.
    ["quarter", "2026-03-31T21:59:59Z", BERLIN, 1, "2026-01-01", "2026-04-01", "FY2026-Q1", "Q1 FY2026"],
    ["quarter", "2026-03-31T22:00:00Z", BERLIN, 1, "2026-04-01", "2026-07-01", "FY2026-Q2", "Q2 FY2026"],
    // Q4 ends at the year boundary: Dec 31 in NY (Jan 1 03:00Z = Dec 31 22:00 EST).
    ["quarter", "2027-01-01T03:00:00Z", NY, 1, "2026-10-01", "2027-01-01", "FY2026-Q4", "Q4 FY2026"],
    // Fiscal year from February: Q1 = Feb–Apr, FY named for the year it ends in.
    ["quarter", "2026-02-01T05:00:00Z", NY, 2, "2026-02-01", "2026-05-01", "FY2027-Q1", "Q1 FY2027"], // Feb 1 00:00 EST
    ["quarter", "2026-02-01T04:59:59Z", NY, 2, "2025-11-01", "2026-02-01", "FY2026-Q4", "Q4 FY2026"], // Jan 31 23:59 EST
    ["quarter", "2026-06-10T12:00:00Z", NY, 2, "2026-05-01", "2026-08-01", "FY2027-Q2", "Q2 FY2027"],
    ["quarter", "2026-12-10T12:00:00Z", NY, 2, "2026-11-01", "2027-02-01", "FY2027-Q4", "Q4 FY2027"],
    // Fiscal year from November: Q1 = Nov–Jan spans the calendar year.
    ["quarter", "2026-12-15T12:00:00Z", NY, 11, "2026-11-01", "2027-02-01", "FY2027-Q1", "Q1 FY2027"],
    ["year", "2026-12-15T12:00:00Z", NY, 11, "2026-11-01", "2027-11-01", "FY2027", "FY2027"],
    ["year", "2026-07-04T12:00:00Z", NY, 1, "2026-01-01", "2027-01-01", "FY2026", "FY2026"],
    ["year", "2026-07-04T12:00:00Z", NY, 2, "2026-02-01", "2027-02-01", "FY2027", "FY2027"],
    ["year", "2026-01-20T12:00:00Z", NY, 2, "2025-02-01", "2026-02-01", "FY2026", "FY2026"],
    // Months: key is the calendar month, independent of the fiscal start.
    ["month", "2026-03-15T12:00:00Z", NY, 1, "2026-03-01", "2026-04-01", "2026-03", "March 2026"],
    ["month", "2026-03-15T12:00:00Z", NY, 2, "2026-03-01", "2026-04-01", "2026-03", "March 2026"],
    // Leap Februaries: 29 days, end Mar 1.
    ["month", "2028-02-29T12:00:00Z", NY, 1, "2028-02-01", "2028-03-01", "2028-02", "February 2028"],
    ["month", "2024-02-29T12:00:00Z", BERLIN, 1, "2024-02-01", "2024-03-01", "2024-02", "February 2024"],
    // First and last day of a month in Berlin: Mar 1 00:00 CET = Feb 28 23:00Z; Mar 31 23:59 CEST = 21:59Z.
    ["month", "2026-02-28T23:00:00Z", BERLIN, 1, "2026-03-01", "2026-04-01", "2026-03", "March 2026"],
    ["month", "2026-02-28T22:59:59Z", BERLIN, 1, "2026-02-01", "2026-03-01", "2026-02", "February 2026"],
    ["month", "2026-03-31T21:59:59Z", BERLIN, 1, "2026-03-01", "2026-04-01", "2026-03", "March 2026"],
    // DST days: NY Mar 8 03:30 EDT = 07:30Z; Nov 1 01:30 happens twice (05:30Z EDT, 06:30Z EST).
    ["month", "2026-03-08T07:30:00Z", NY, 1, "2026-03-01", "2026-04-01", "2026-03", "March 2026"],
    ["month", "2026-11-01T05:30:00Z", NY, 1, "2026-11-01", "2026-12-01", "2026-11", "November 2026"],
    ["month", "2026-11-01T06:30:00Z", NY, 1, "2026-11-01", "2026-12-01", "2026-11", "November 2026"],
    // Oct 31 23:59 EDT = Nov 1 03:59Z → still October.
    ["month", "2026-11-01T03:59:00Z", NY, 1, "2026-10-01", "2026-11-01", "2026-10", "October 2026"],
    // Berlin Oct 25 02:30 happens twice (00:30Z CEST, 01:30Z CET).
    ["month", "2026-10-25T00:30:00Z", BERLIN, 1, "2026-10-01", "2026-11-01", "2026-10", "October 2026"],
    ["month", "2026-10-25T01:30:00Z", BERLIN, 1, "2026-10-01", "2026-11-01", "2026-10", "October 2026"],
  ])("%s at %s in %s (FY start %i) → %s..%s %s", (type, instant, zone, fs, startDate, endDate, key, label) => {
    const p = periodContaining(type, at(instant), zone, fs);
    expect(p).toMatchObject({ type, startDate, endDate, key, label });
  });
});

describe("period instants are local midnights, also across DST", () => {
  it.each<[string, string, string, string, number, number]>([
    // [zone, date in month, start (UTC), end (UTC), start offset, end offset]
    // NY March: Mar 1 00:00 EST (−5) = 05:00Z; DST Mar 8; Apr 1 00:00 EDT (−4) = 04:00Z.
    [NY, "2026-03-15", "2026-03-01T05:00:00.000Z", "2026-04-01T04:00:00.000Z", -300, -240],
    // NY November: Nov 1 00:00 EDT (before the 02:00 fall-back) = 04:00Z; Dec 1 00:00 EST = 05:00Z.
    [NY, "2026-11-15", "2026-11-01T04:00:00.000Z", "2026-12-01T05:00:00.000Z", -240, -300],
    // NY June: no change, both EDT.
    [NY, "2026-06-15", "2026-06-01T04:00:00.000Z", "2026-07-01T04:00:00.000Z", -240, -240],
    // Berlin March: Mar 1 00:00 CET (+1) = Feb 28 23:00Z; DST Mar 29; Apr 1 00:00 CEST (+2) = Mar 31 22:00Z.
    [BERLIN, "2026-03-15", "2026-02-28T23:00:00.000Z", "2026-03-31T22:00:00.000Z", 60, 120],
    // Berlin October: Oct 1 00:00 CEST = Sep 30 22:00Z; DST ends Oct 25; Nov 1 00:00 CET = Oct 31 23:00Z.
    [BERLIN, "2026-10-15", "2026-09-30T22:00:00.000Z", "2026-10-31T23:00:00.000Z", 120, 60],
  ])("%s month of %s → [%s, %s)", (zone, date, start, end, startOffset, endOffset) => {
    const p = periodForLocalDate("month", date, zone, 1);
    expect(p.start.toISOString()).toBe(start);
    expect(p.end.toISOString()).toBe(end);
    expect(offsetAt(p.start, zone)).toBe(startOffset);
    expect(offsetAt(p.end, zone)).toBe(endOffset);
    // And they really are midnights in that zone.
    expect(DateTime.fromJSDate(p.start, { zone }).toFormat("HH:mm")).toBe("00:00");
    expect(DateTime.fromJSDate(p.end, { zone }).toFormat("HH:mm")).toBe("00:00");
  });

  it("a DST month lasts 31 calendar days but not 31 × 24 h", () => {
    const p = periodForLocalDate("month", "2026-03-10", NY, 1);
    // 31 days minus the hour lost on Mar 8 = 743 h.
    expect((p.end.getTime() - p.start.getTime()) / 3_600_000).toBe(743);
    expect(calendarDaysIn(p.startDate, p.endDate)).toBe(31);
  });
});

describe("periodFromStartDate", () => {
  it.each<[PeriodType, string, number, string]>([
    // [type, startDate, fiscal start, key]
    ["quarter", "2026-02-01", 2, "FY2027-Q1"],
    ["quarter", "2025-11-01", 2, "FY2026-Q4"],
    ["quarter", "2026-04-01", 1, "FY2026-Q2"],
    ["year", "2026-02-01", 2, "FY2027"],
    ["month", "2028-02-01", 1, "2028-02"],
  ])("%s starting %s (FY start %i) → %s", (type, startDate, fs, key) => {
    const p = periodFromStartDate(type, startDate, NY, fs);
    expect(p.startDate).toBe(startDate);
    expect(p.key).toBe(key);
  });

  it.each<[PeriodType, string, number]>([
    ["quarter", "2026-01-01", 2], // with a Feb fiscal start, Jan 1 is mid Q4
    ["quarter", "2026-02-01", 1], // with calendar quarters, Feb 1 is mid Q1
    ["month", "2026-03-02", 1],
    ["year", "2026-01-01", 2],
  ])("rejects %s start %s with FY start %i", (type, startDate, fs) => {
    expect(() => periodFromStartDate(type, startDate, NY, fs)).toThrow(RangeError);
  });

  it("round-trips periodContaining", () => {
    const p = periodContaining("quarter", at("2026-09-09T09:09:09Z"), BERLIN, 2);
    expect(periodFromStartDate("quarter", p.startDate, BERLIN, 2)).toEqual(p);
  });
});

describe("previousPeriod / nextPeriod", () => {
  it.each<[PeriodType, string, number, string, string]>([
    // [type, startDate, fiscal start, previous key, next key]
    ["quarter", "2026-02-01", 2, "FY2026-Q4", "FY2027-Q2"], // Feb–Apr: prev Nov–Jan, next May–Jul
    ["quarter", "2026-01-01", 1, "FY2025-Q4", "FY2026-Q2"],
    ["month", "2028-02-01", 1, "2028-01", "2028-03"],
    ["month", "2026-12-01", 1, "2026-11", "2027-01"],
    ["year", "2026-02-01", 2, "FY2026", "FY2028"],
  ])("%s %s (FY start %i): prev %s, next %s", (type, startDate, fs, prevKey, nextKey) => {
    const p = periodFromStartDate(type, startDate, NY, fs);
    const prev = previousPeriod(p, NY, fs);
    const next = nextPeriod(p, NY, fs);
    expect(prev.key).toBe(prevKey);
    expect(next.key).toBe(nextKey);
    // Periods tile time with no gaps or overlaps.
    expect(prev.endDate).toBe(p.startDate);
    expect(prev.end).toEqual(p.start);
    expect(next.startDate).toBe(p.endDate);
    expect(next.start).toEqual(p.end);
  });
});

describe("businessDaysIn / calendarDaysIn", () => {
  it.each<[string, string, string[], number, number]>([
    // [start, end (exclusive), holidays, business days, calendar days]
    // Mar 2026 starts Sunday: weeks Mar 2–6, 9–13, 16–20, 23–27 (4×5 = 20) + Mon 30, Tue 31 = 22.
    ["2026-03-01", "2026-04-01", [], 22, 31],
    // Jan 2026 starts Thursday: Thu 1, Fri 2 (2) + 5–9, 12–16, 19–23, 26–30 (20) = 22.
    ["2026-01-01", "2026-02-01", [], 22, 31],
    // Feb 2026 starts Sunday, 28 days = 4 full weeks = 20.
    ["2026-02-01", "2026-03-01", [], 20, 28],
    // Q1 2026 = 22 + 20 + 22 = 64; 31 + 28 + 31 = 90.
    ["2026-01-01", "2026-04-01", [], 64, 90],
    // Leap Feb 2028 starts Tuesday: 4 weeks (20) + Tue Feb 29 = 21; 29 days.
    ["2028-02-01", "2028-03-01", [], 21, 29],
    // Leap Feb 2024 starts Thursday: 20 + Thu Feb 29 = 21.
    ["2024-02-01", "2024-03-01", [], 21, 29],
    // Year 2024 starts Monday: 366 = 52 weeks (260) + Mon Dec 30, Tue Dec 31 = 262.
    ["2024-01-01", "2025-01-01", [], 262, 366],
    // Year 2026 starts Thursday: 365 = 52 weeks (260) + Thu Dec 31 = 261.
    ["2026-01-01", "2027-01-01", [], 261, 365],
    // Fiscal FY2029 from Feb (Feb 2028–Jan 2029) contains Feb 29 2028: 366 days.
    ["2028-02-01", "2029-02-01", [], 262, 366],
    // Holidays: Wed Mar 4 removes one (22 − 1); Sun Mar 1 is already not a business day.
    ["2026-03-01", "2026-04-01", ["2026-03-04", "2026-03-01"], 21, 31],
    // Empty and reversed ranges.
    ["2026-03-01", "2026-03-01", [], 0, 0],
    ["2026-03-05", "2026-03-01", [], 0, 0],
    // A single Saturday.
    ["2026-03-07", "2026-03-08", [], 0, 1],
  ])("[%s, %s) holidays %j → %i business, %i calendar", (start, end, holidays, business, calendar) => {
    expect(businessDaysIn(start, end, new Set(holidays))).toBe(business);
    expect(calendarDaysIn(start, end)).toBe(calendar);
  });
});

describe("elapsedShare", () => {
  const marchNY = periodForLocalDate("month", "2026-03-01", NY, 1);
  const marchBerlin = periodForLocalDate("month", "2026-03-01", BERLIN, 1);

  it.each<[string, string, string, PaceMode, string[], number, number, number]>([
    // [label, now, zone, mode, holidays, elapsed, total, remaining]; share = elapsed / total
    // Before the period (Feb 28 23:59 EST) → nothing elapsed.
    ["before", "2026-03-01T04:59:00Z", NY, "business", [], 0, 22, 22],
    // First moment (Mar 1 00:00 EST): today = Mar 1, nothing before it.
    ["first instant", "2026-03-01T05:00:00Z", NY, "business", [], 0, 22, 22],
    ["first day, calendar", "2026-03-01T20:00:00Z", NY, "calendar", [], 0, 31, 31],
    // Mon Mar 9 (EDT): days before = Mar 2–6 → 5 business, Mar 1–8 → 8 calendar.
    ["Mon Mar 9, business", "2026-03-09T16:00:00Z", NY, "business", [], 5, 22, 17],
    ["Mon Mar 9, calendar", "2026-03-09T16:00:00Z", NY, "calendar", [], 8, 31, 23],
    // DST day: 2026-03-09T03:30Z = Mar 8 23:30 EDT → today Mar 8: calendar Mar 1–7 = 7.
    ["DST Sunday late evening", "2026-03-09T03:30:00Z", NY, "calendar", [], 7, 31, 24],
    // Holiday Wed Mar 4: total 22 − 1 = 21; elapsed Mar 2,3,5,6 = 4.
    ["with holiday", "2026-03-09T16:00:00Z", NY, "business", ["2026-03-04"], 4, 21, 17],
    // Last day Tue Mar 31 23:59 EDT (Apr 1 03:59Z): all but Mar 31 → 21 of 22, 30 of 31.
    ["last day, business", "2026-04-01T03:59:00Z", NY, "business", [], 21, 22, 1],
    ["last day, calendar", "2026-04-01T03:59:00Z", NY, "calendar", [], 30, 31, 1],
    // Apr 1 00:00 EDT: period over.
    ["after", "2026-04-01T04:00:00Z", NY, "business", [], 22, 22, 0],
    ["long after", "2026-09-01T00:00:00Z", NY, "calendar", [], 31, 31, 0],
  ])("%s (%s, %s, %s)", (_label, now, zone, mode, holidays, elapsed, total, remaining) => {
    const r = elapsedShare(marchNY, at(now), zone, mode, new Set(holidays));
    expect(r).toEqual({ elapsedDays: elapsed, totalDays: total, remainingDays: remaining, share: elapsed / total });
  });

  it.each<[string, string, number]>([
    // The same instant is a different local day in different zones.
    // 2026-03-10T03:30Z = Mon Mar 9 23:30 EDT → before Mar 9: Mar 2–6 = 5.
    [NY, "2026-03-10T03:30:00Z", 5],
    // = Tue Mar 10 04:30 CET → before Mar 10: Mar 2–6, 9 = 6.
    [BERLIN, "2026-03-10T03:30:00Z", 6],
  ])("in %s at %s → %i business days elapsed", (zone, now, elapsed) => {
    const period = zone === NY ? marchNY : marchBerlin;
    expect(elapsedShare(period, at(now), zone, "business", NONE).elapsedDays).toBe(elapsed);
  });

  it("share is 0 before and 1 after even when the period has no countable days", () => {
    const p = periodForLocalDate("month", "2026-02-01", NY, 1);
    const all = new Set<string>();
    for (let d = 1; d <= 28; d++) all.add(`2026-02-${String(d).padStart(2, "0")}`);
    expect(elapsedShare(p, at("2026-02-15T12:00:00Z"), NY, "business", all).share).toBe(0);
    expect(elapsedShare(p, at("2026-03-02T12:00:00Z"), NY, "business", all).share).toBe(1);
  });
});

describe("input validation", () => {
  it("rejects an unknown zone and a bad fiscal month", () => {
    expect(() => periodContaining("month", at("2026-03-01T00:00:00Z"), "Mars/Olympus", 1)).toThrow(RangeError);
    expect(() => periodContaining("month", at("2026-03-01T00:00:00Z"), NY, 13)).toThrow(RangeError);
    expect(() => periodContaining("month", at("2026-03-01T00:00:00Z"), NY, 0)).toThrow(RangeError);
  });
});
