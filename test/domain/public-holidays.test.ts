import { DateTime } from "luxon";
import { describe, expect, it } from "vitest";
import {
  HOLIDAY_KINDS,
  holidaysFor,
  isHolidayKind,
  type HolidayQuery,
  type HolidayQueryResult,
  type PublicHoliday,
} from "../../src/domain/public-holidays.js";

/** The holidays of an ok result; fails the test otherwise. */
function holidaysOf(result: HolidayQueryResult): PublicHoliday[] {
  if (!result.ok) throw new Error(`expected holidays, got ${result.problem}`);
  return result.holidays;
}

const datesOf = (query: HolidayQuery): string[] => holidaysOf(holidaysFor(query)).map((h) => h.date);

/** Western Easter Sunday (anonymous Gregorian algorithm, Meeus/Jones/Butcher). */
function easterSunday(year: number): DateTime {
  const a = year % 19;
  const b = Math.floor(year / 100);
  const c = year % 100;
  const d = Math.floor(b / 4);
  const e = b % 4;
  const f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3);
  const h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4);
  const k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31);
  const day = ((h + l - 7 * m + 114) % 31) + 1;
  return DateTime.utc(year, month, day);
}

describe("Easter, which the movable feasts below hang on", () => {
  it.each([
    [2024, "2024-03-31"],
    [2025, "2025-04-20"],
    [2026, "2026-04-05"],
    [2027, "2027-03-28"],
  ])("Easter %i is %s", (year, date) => {
    expect(easterSunday(year).toISODate()).toBe(date);
  });

  it("2027's movable feasts in the table follow from Easter on March 28", () => {
    const easter = easterSunday(2027);
    const plus = (days: number) => easter.plus({ days }).toISODate();
    expect([plus(-2), plus(1), plus(39), plus(50), plus(60)]).toEqual([
      "2027-03-26", // Good Friday = Easter − 2
      "2027-03-29", // Easter Monday = Easter + 1
      "2027-05-06", // Ascension = Easter + 39
      "2027-05-17", // Whit Monday = Easter + 50
      "2027-05-27", // Corpus Christi = Easter + 60
    ]);
  });
});

describe("holidaysFor: Germany", () => {
  // Bavaria's statutory holidays (BayFTG Art. 1) in 2027, hand-checked; Easter 2027 is March 28.
  // Assumption Day (08-15) is NOT in the list: in Bavaria it is a public holiday only in the
  // predominantly Catholic municipalities, so date-holidays lists it as public only for its
  // sub-region DE-BY-KATH (and Augsburg); for the state as a whole it is an "observance".
  const BAVARIA_2027 = [
    "2027-01-01", // New Year
    "2027-01-06", // Epiphany (BY, BW, ST)
    "2027-03-26", // Good Friday
    "2027-03-29", // Easter Monday
    "2027-05-01", // Labour Day
    "2027-05-06", // Ascension
    "2027-05-17", // Whit Monday
    "2027-05-27", // Corpus Christi
    "2027-10-03", // German Unity Day
    "2027-11-01", // All Saints
    "2027-12-25", // Christmas Day
    "2027-12-26", // Boxing Day
  ];

  it("DE-BY 2027: exactly the Bavarian public holidays, sorted, all of kind public", () => {
    const result = holidaysFor({ country: "DE", region: "BY", year: 2027 });
    expect(result).toMatchObject({ ok: true, country: "DE", region: "BY" });
    const holidays = holidaysOf(result);
    expect(holidays.map((h) => h.date)).toEqual(BAVARIA_2027);
    expect(new Set(holidays.map((h) => h.kind))).toEqual(new Set(["public"]));
    expect(holidays.every((h) => h.name.trim() !== "")).toBe(true);
  });

  it("Assumption Day (2027-08-15) is only an observance for Bavaria as a whole", () => {
    expect(datesOf({ country: "DE", region: "BY", year: 2027 })).not.toContain("2027-08-15");
    const withObservances = holidaysOf(holidaysFor({ country: "DE", region: "BY", year: 2027, extraKinds: ["observance"] }));
    expect(withObservances.find((h) => h.date === "2027-08-15")?.kind).toBe("observance");
  });

  it.each<[string, string]>([
    ["DE", "de-by"],
    ["DE", "DE-BY"],
    ["de", "BY"],
    [" de ", " by "],
  ])("country %j with region %j reads the same as DE / BY", (country, region) => {
    const reference = holidaysFor({ country: "DE", region: "BY", year: 2027 });
    expect(holidaysFor({ country, region, year: 2027 })).toEqual(reference);
  });

  it("DE without a region: only the nationwide holidays, fewer than in Bavaria", () => {
    const result = holidaysFor({ country: "de", year: 2027 });
    expect(result).toMatchObject({ ok: true, country: "DE", region: null });
    const national = holidaysOf(result).map((h) => h.date);
    expect(national).toEqual([
      "2027-01-01",
      "2027-03-26",
      "2027-03-29",
      "2027-05-01",
      "2027-05-06",
      "2027-05-17",
      "2027-10-03",
      "2027-12-25",
      "2027-12-26",
    ]);
    expect(national.length).toBeLessThan(BAVARIA_2027.length);
    expect(national).not.toContain("2027-01-06");
    // Every nationwide holiday is also one in Bavaria.
    expect(BAVARIA_2027).toEqual(expect.arrayContaining(national));
  });

  it("an empty region is the whole country", () => {
    expect(holidaysFor({ country: "DE", region: "  ", year: 2027 })).toEqual(holidaysFor({ country: "DE", year: 2027 }));
  });

  it("names follow the requested language", () => {
    const en = holidaysOf(holidaysFor({ country: "DE", year: 2027, language: "en" }));
    const de = holidaysOf(holidaysFor({ country: "DE", year: 2027, language: "de" }));
    expect(en.map((h) => h.date)).toEqual(de.map((h) => h.date));
    expect(de.find((h) => h.date === "2027-12-25")?.name).not.toBe(en.find((h) => h.date === "2027-12-25")?.name);
  });
});

describe("holidaysFor: extra kinds", () => {
  it("observances add days; every entry is public or observance", () => {
    const publicOnly = holidaysOf(holidaysFor({ country: "DE", region: "BY", year: 2027 }));
    const withObservances = holidaysOf(holidaysFor({ country: "DE", region: "BY", year: 2027, extraKinds: ["observance"] }));
    expect(withObservances.length).toBeGreaterThan(publicOnly.length);
    expect(withObservances.every((h) => h.kind === "public" || h.kind === "observance")).toBe(true);
    expect(withObservances.some((h) => h.kind === "observance")).toBe(true);
    // The public holidays are all still there, and the list stays sorted with one entry per day.
    expect(withObservances.map((h) => h.date)).toEqual(expect.arrayContaining(publicOnly.map((h) => h.date)));
    const dates = withObservances.map((h) => h.date);
    expect(dates).toEqual([...dates].sort());
    expect(new Set(dates).size).toBe(dates.length);
  });

  it("Easter Sunday 2027 (an observance in DE) is March 28, matching the computed Easter", () => {
    const withObservances = holidaysOf(holidaysFor({ country: "DE", year: 2027, extraKinds: ["observance"] }));
    expect(withObservances.find((h) => h.date === "2027-03-28")?.kind).toBe("observance");
    expect(easterSunday(2027).toISODate()).toBe("2027-03-28");
  });

  it("extraKinds: ['public'] is the same as the default", () => {
    expect(holidaysFor({ country: "DE", region: "BY", year: 2027, extraKinds: ["public"] })).toEqual(
      holidaysFor({ country: "DE", region: "BY", year: 2027 }),
    );
  });

  it("the default has only kind public", () => {
    for (const query of [{ country: "DE", year: 2027 }, { country: "US", year: 2027 }, { country: "FR", year: 2026 }]) {
      const kinds = new Set(holidaysOf(holidaysFor(query)).map((h) => h.kind));
      expect(kinds).toEqual(new Set(["public"]));
    }
  });
});

describe("holidaysFor: refused queries", () => {
  it.each(["XX", "ZZ", "DEU", "", "1A"])("unknown country %j", (country) => {
    expect(holidaysFor({ country, year: 2027 })).toEqual({
      ok: false,
      problem: "unknown_country",
      detail: country,
      example: "DE",
    });
  });

  it("unknown region: lists the known ones, sorted, with the first as example", () => {
    const result = holidaysFor({ country: "DE", region: "ZZ", year: 2027 });
    expect(result).toMatchObject({ ok: false, problem: "unknown_region", detail: "ZZ" });
    if (result.ok || result.problem !== "unknown_region") throw new Error("expected unknown_region");
    expect(result.known).toContain("BY");
    expect(result.known).toContain("NW");
    expect(result.known).toHaveLength(16); // the 16 German states
    expect(result.known).toEqual([...result.known].sort());
    expect(result.example).toBe(result.known[0]);
  });

  it("a region of another country's prefix is not stripped", () => {
    expect(holidaysFor({ country: "DE", region: "AT-BY", year: 2027 })).toMatchObject({ ok: false, problem: "unknown_region" });
  });

  it.each([1999, 2101, 20277, 2027.5, Number.NaN])("year %d is out of range", (year) => {
    expect(holidaysFor({ country: "DE", year })).toMatchObject({ ok: false, problem: "year_out_of_range", example: "2027" });
  });

  it.each([2000, 2100])("year %i is the edge of the accepted range", (year) => {
    expect(holidayTotal(year)).toBeGreaterThan(0);
  });

  function holidayTotal(year: number): number {
    return holidaysOf(holidaysFor({ country: "DE", year })).length;
  }
});

describe("isHolidayKind", () => {
  it.each(HOLIDAY_KINDS.map((k) => [k]))("%j is a kind", (kind) => {
    expect(isHolidayKind(kind)).toBe(true);
  });

  it.each(["Public", "holiday", "", "observances"])("%j is not a kind", (value) => {
    expect(isHolidayKind(value)).toBe(false);
  });

  it("HOLIDAY_KINDS are the five kinds of date-holidays", () => {
    expect([...HOLIDAY_KINDS].sort()).toEqual(["bank", "observance", "optional", "public", "school"]);
  });
});

describe("holidaysFor when a public holiday shares its date with another kind", () => {
  it.each([
    ["US", undefined, 2027, "2027-12-24"],
    ["US", undefined, 2027, "2027-12-31"],
    ["NL", undefined, 2035, "2035-05-13"],
  ])("%s %s %i: %s stays public with every kind requested", (country, region, year, date) => {
    const result = holidaysFor({ country, ...(region ? { region } : {}), year, extraKinds: ["bank", "optional", "school", "observance"] });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.holidays.find((h) => h.date === date)?.kind).toBe("public");
  });
});
