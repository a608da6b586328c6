/**
 * Public holidays of a country or one of its regions, from the `date-holidays` library (its data
 * ships in the package: no network). Pure: the year is an input.
 *
 * "Region" here is what the library calls a state: the first level of ISO 3166-2 (`DE-BY` → `BY`).
 * Public holidays only by default; the library's other kinds (bank, optional, school, observance)
 * only when asked, since most of them are working days for a sales team.
 */
import { createRequire } from "node:module";
import type Holidays from "date-holidays";
import type { HolidaysTypes } from "date-holidays";
import type { LocalDate } from "./time.js";

type HolidaysClass = typeof Holidays;
let holidaysClass: HolidaysClass | undefined;

/**
 * The library, loaded on first use: its data for 200 countries costs ~0.2 s and ~35 MB at load,
 * which the server, the scheduler and every other CLI command would otherwise pay for nothing.
 * Its CommonJS build exports the class itself.
 */
function loadHolidays(): HolidaysClass {
  holidaysClass ??= createRequire(import.meta.url)("date-holidays") as HolidaysClass;
  return holidaysClass;
}

export type HolidayKind = HolidaysTypes.HolidayType;
export const HOLIDAY_KINDS: readonly HolidayKind[] = ["public", "bank", "optional", "school", "observance"];

export interface PublicHoliday {
  date: LocalDate;
  name: string;
  kind: HolidayKind;
}

export interface HolidayQuery {
  /** ISO 3166-1 alpha-2, any case. */
  country: string;
  /** ISO 3166-2 subdivision without the country prefix ("BY" or "DE-BY"), any case. */
  region?: string;
  year: number;
  /** Kinds besides "public" to include. */
  extraKinds?: readonly HolidayKind[];
  /** Language of the names ("de", "en"); the library falls back to the country's own. */
  language?: string;
}

export type HolidayQueryResult =
  | { ok: true; country: string; region: string | null; holidays: PublicHoliday[] }
  | { ok: false; problem: "unknown_country"; detail: string; example: string }
  | { ok: false; problem: "unknown_region"; detail: string; known: string[]; example: string }
  | { ok: false; problem: "year_out_of_range"; detail: string; example: string };

/** Years the importer accepts: a typo like 20277 should not fill the table with nonsense. */
const FIRST_YEAR = 2000;
const LAST_YEAR = 2100;

export function holidaysFor(query: HolidayQuery): HolidayQueryResult {
  const Calendar = loadHolidays();
  const directory = new Calendar();
  const country = query.country.trim().toUpperCase();
  const countries = directory.getCountries("en");
  if (!/^[A-Z]{2}$/.test(country) || !Object.hasOwn(countries, country)) {
    return { ok: false, problem: "unknown_country", detail: query.country.slice(0, 40), example: "DE" };
  }
  let region: string | null = null;
  if (query.region !== undefined && query.region.trim() !== "") {
    region = query.region.trim().toUpperCase().replace(new RegExp(`^${country}-`), "");
    const states = directory.getStates(country, "en") ?? {};
    if (!Object.hasOwn(states, region)) {
      const known = Object.keys(states).sort();
      return { ok: false, problem: "unknown_region", detail: query.region.slice(0, 40), known, example: known[0] ?? "" };
    }
  }
  if (!Number.isInteger(query.year) || query.year < FIRST_YEAR || query.year > LAST_YEAR) {
    return { ok: false, problem: "year_out_of_range", detail: String(query.year).slice(0, 10), example: "2027" };
  }
  const types: HolidayKind[] = ["public", ...(query.extraKinds ?? []).filter((k) => k !== "public")];
  const options: HolidaysTypes.Options = { types, ...(query.language ? { languages: [query.language] } : {}) };
  const calendar = region ? new Calendar(country, region, options) : new Calendar(country, options);
  const byDate = new Map<LocalDate, PublicHoliday>();
  for (const h of calendar.getHolidays(query.year)) {
    const date = h.date.slice(0, 10);
    // Two holidays on one day count once. The public one wins, so a substitute day or Whit Sunday
    // is never recorded as the observance that shares its date (US 2027-12-24, NL 2035-05-13).
    const seen = byDate.get(date);
    if (!seen || (seen.kind !== "public" && h.type === "public")) byDate.set(date, { date, name: h.name, kind: h.type });
  }
  return { ok: true, country, region, holidays: [...byDate.values()].sort((a, b) => a.date.localeCompare(b.date)) };
}

export function isHolidayKind(value: string): value is HolidayKind {
  return (HOLIDAY_KINDS as readonly string[]).includes(value);
}
