import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { businessDaysIn } from "../../src/domain/periods.js";
import { addLocalDays, isoWeekday, type LocalDate } from "../../src/domain/time.js";

/** The day-by-day count businessDaysIn replaced (a date-library call per day). */
function reference(start: LocalDate, endExclusive: LocalDate, holidays: ReadonlySet<LocalDate>): number {
  let count = 0;
  for (let d = start; d < endExclusive; d = addLocalDays(d, 1)) if (isoWeekday(d) <= 5 && !holidays.has(d)) count++;
  return count;
}

describe("businessDaysIn (day arithmetic) counts like the day-by-day loop", () => {
  it("for any range, holidays (weekend ones, repeated, malformed) included", () => {
    const date = fc.integer({ min: 0, max: 40_000 }).map((n) => addLocalDays("1990-01-01", n));
    fc.assert(
      fc.property(
        date,
        fc.integer({ min: -30, max: 800 }),
        fc.array(fc.integer({ min: -10, max: 400 }), { maxLength: 12 }),
        fc.constantFrom([], ["2026-02-30"], ["garbage", "2026-1-5"]),
        (start, length, holidayOffsets, junk) => {
          const end = addLocalDays(start, length);
          const holidays = new Set([...holidayOffsets.map((o) => addLocalDays(start, o)), ...junk]);
          expect(businessDaysIn(start, end, holidays)).toBe(reference(start, end, holidays));
        },
      ),
      { numRuns: 300 },
    );
  });
});
