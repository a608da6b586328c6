import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { formatMoney, MAX_AMOUNT_CENTS, parseAmount, type ParseAmountResult } from "../../src/domain/amounts.js";

const ok = (cents: number): ParseAmountResult => ({ ok: true, cents });
const bad = (reason: "empty" | "invalid" | "negative" | "too_large"): ParseAmountResult => ({ ok: false, reason });

describe("parseAmount", () => {
  // [input, locale, expected] — each row hand-checked against the separator rules.
  it.each<[string, string, ParseAmountResult]>([
    // multipliers
    ["12k", "en-US", ok(1_200_000)],
    ["12K", "de-DE", ok(1_200_000)],
    ["1.5m", "en-US", ok(150_000_000)],
    ["1.5m", "de-DE", ok(150_000_000)],
    ["2.5M", "en-US", ok(250_000_000)],
    ["1,5m", "en-US", ok(150_000_000)],
    ["1,5 Mio. €", "de-DE", ok(150_000_000)],
    ["12 Mio EUR", "de-DE", ok(1_200_000_000)],
    ["3 tsd", "de-DE", ok(300_000)],
    ["2bn", "en-US", ok(200_000_000_000)],
    ["1 Mrd", "de-DE", ok(100_000_000_000)],
    ["1.2345k", "en-US", ok(123_450)],
    ["usd 12k", "en-US", ok(1_200_000)],
    // currency symbols and codes
    ["$12,000", "en-US", ok(1_200_000)],
    ["$ 12.50", "en-US", ok(1_250)],
    ["USD 5,000", "en-US", ok(500_000)],
    ["5000 EUR", "en-US", ok(500_000)],
    ["5000 EUR", "de-DE", ok(500_000)],
    ["12.000 €", "de-DE", ok(1_200_000)],
    ["€12.000", "de-DE", ok(1_200_000)],
    ["€ 1.234,56", "de-DE", ok(123_456)],
    ["£99", "en-GB", ok(9_900)],
    // two different separators: the last one is the decimal separator, in any locale
    ["12.000,50", "de-DE", ok(1_200_050)],
    ["12.000,50", "en-US", ok(1_200_050)],
    ["12,000.50", "en-US", ok(1_200_050)],
    ["12,000.50", "de-DE", ok(1_200_050)],
    ["1.234.567,89", "de-DE", ok(123_456_789)],
    ["1,000,000.5", "en-US", ok(100_000_050)],
    // space-like grouping
    ["12 000", "en-US", ok(1_200_000)],
    ["12 000", "de-DE", ok(1_200_000)],
    ["1\u202f234,50 €", "fr-FR", ok(123_450)],
    ["12\u00a0000.75", "en-US", ok(1_200_075)],
    ["1'000", "de-CH", ok(100_000)],
    // plain numbers and repeated separators
    ["1200", "en-US", ok(120_000)],
    ["0", "en-US", ok(0)],
    ["0.29", "en-US", ok(29)],
    [".5", "en-US", ok(50)],
    ["5.", "en-US", ok(500)],
    ["+5", "en-US", ok(500)],
    ["1.000.000", "en-US", ok(100_000_000)],
    ["1,000,000", "de-DE", ok(100_000_000)],
    // one separator + 3 digits: thousands where the locale groups with it, else decimal
    ["12,000", "en-US", ok(1_200_000)],
    ["12.000", "de-DE", ok(1_200_000)],
    ["1,234", "en-US", ok(123_400)],
    ["1.234", "de-DE", ok(123_400)],
    ["1.234", "en-US", bad("invalid")], // decimal with 3 places: not whole cents, refused
    ["12.000", "en-US", bad("invalid")], // would be $12 — refuse instead of guessing
    ["1,234", "de-DE", bad("invalid")],
    ["$12,000", "de-DE", bad("invalid")],
    ["1234.567", "de-DE", bad("invalid")], // 4 leading digits cannot be a thousands group
    // one separator + other digit counts: always decimal
    ["12.5", "en-US", ok(1_250)],
    ["12.5", "de-DE", ok(1_250)],
    ["12,5", "de-DE", ok(1_250)],
    ["12,5", "en-US", ok(1_250)],
    ["12,50", "de-DE", ok(1_250)],
    // invalid locale falls back to English conventions
    ["12,000", "not a locale!!", ok(1_200_000)],
    // empty / invalid
    ["", "en-US", bad("empty")],
    ["   ", "en-US", bad("empty")],
    ["abc", "en-US", bad("invalid")],
    ["USD", "en-US", bad("invalid")],
    ["12-5", "en-US", bad("invalid")],
    ["1.2.3", "en-US", bad("invalid")],
    ["1,2.3", "en-US", bad("invalid")],
    ["1,00,000", "en-US", bad("invalid")],
    ["1e5", "en-US", bad("invalid")],
    ["12 34", "en-US", bad("invalid")],
    ["12kEUR", "en-US", bad("invalid")],
    ["k", "en-US", bad("invalid")],
    // negative
    ["-5", "en-US", bad("negative")],
    ["−5", "en-US", bad("negative")],
    ["-$5,000", "en-US", bad("negative")],
    ["$-5", "en-US", bad("negative")],
    ["USD -5", "en-US", bad("negative")],
    ["(5)", "en-US", bad("negative")],
    ["-0", "en-US", ok(0)],
    ["--5", "en-US", bad("invalid")],
    // limits: 1e12 major units
    ["1000000000000", "en-US", ok(MAX_AMOUNT_CENTS)],
    ["1000b", "en-US", ok(MAX_AMOUNT_CENTS)],
    ["1000000000000.01", "en-US", bad("too_large")],
    ["1001b", "en-US", bad("too_large")],
    ["9".repeat(150), "en-US", bad("too_large")],
    ["9".repeat(250), "en-US", bad("invalid")],
  ])("%j (%s)", (input, locale, expected) => {
    expect(parseAmount(input, locale)).toEqual(expected);
  });

  it("never throws and only returns safe integers within the limit", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 40 }), fc.constantFrom("en-US", "de-DE", "fr-FR", "xx"), (s, locale) => {
        const r = parseAmount(s, locale);
        if (r.ok) {
          expect(Number.isSafeInteger(r.cents)).toBe(true);
          expect(r.cents).toBeGreaterThanOrEqual(0);
          expect(r.cents).toBeLessThanOrEqual(MAX_AMOUNT_CENTS);
        }
      }),
    );
  });
});

describe("formatMoney", () => {
  const NBSP = "\u00a0";
  it.each<[number, string, string, { compact?: boolean } | undefined, string]>([
    [1_200_050, "USD", "en-US", undefined, "$12,000.50"],
    [1_200_050, "EUR", "de-DE", undefined, `12.000,50${NBSP}€`],
    [1_200_000, "USD", "en-US", undefined, "$12,000"],
    [1_200_000, "EUR", "de-DE", undefined, `12.000${NBSP}€`],
    [5, "USD", "en-US", undefined, "$0.05"],
    [0, "USD", "en-US", undefined, "$0"],
    [-12_345, "USD", "en-US", undefined, "-$123.45"],
    [1_200_000, "USD", "en-US", { compact: true }, "$12K"],
    [1_250_000, "USD", "en-US", { compact: true }, "$12.5K"],
    [150_000_000, "USD", "en-US", { compact: true }, "$1.5M"],
    [1_200_000, "EUR", "de-DE", { compact: true }, `12.000${NBSP}€`],
    [150_000_000, "EUR", "de-DE", { compact: true }, `1,5${NBSP}Mio.${NBSP}€`],
    [99_900, "USD", "en-US", { compact: true }, "$999"],
    // bad locale falls back to en-US; bad currency code falls back to "amount CODE"
    [12_345, "USD", "zz-@@", undefined, "$123.45"],
    [100, "XYZ1", "en-US", undefined, "1 XYZ1"],
  ])("%i %s %s %j → %s", (cents, currency, locale, opts, expected) => {
    expect(formatMoney(cents, currency, locale, opts)).toBe(expected);
  });

  it.each([
    [1_200_050, "en-US"],
    [1_200_050, "de-DE"],
    [123_456_789, "en-US"],
    [123_456_789, "de-DE"],
  ])("round-trips %i through parseAmount in %s", (cents, locale) => {
    const text = formatMoney(cents, locale.startsWith("de") ? "EUR" : "USD", locale);
    expect(parseAmount(text, locale)).toEqual(ok(cents));
  });
});
