import { describe, expect, it } from "vitest";
import { currencyOfAmount } from "../../src/domain/amounts.js";

describe("currencyOfAmount", () => {
  it.each<[string, readonly string[]]>([
    // [amount as written, the only currency it can be]
    ["1.500.000,00 €", ["EUR"]],
    ["€1,500,000", ["EUR"]],
    ["€ 12.000", ["EUR"]],
    ["USD 12,000", ["USD"]],
    ["12,000 usd", ["USD"]],
    ["12000EUR", ["EUR"]],
    ["US$ 5", ["USD"]],
    ["us$5", ["USD"]],
    ["£5k", ["GBP"]],
    ["CHF 1'000", ["CHF"]],
    ["-5 EUR", ["EUR"]],
    ["(€5)", ["EUR"]],
    ["−5 €", ["EUR"]], // U+2212 minus
    ["₹ 1,00,000", ["INR"]],
    ["12 Mio EUR", ["EUR"]],
  ])("%j → %j", (text, codes) => {
    expect(currencyOfAmount(text)).toEqual(codes);
  });

  it("a bare $ is any dollar, the US one and the Canadian one among them", () => {
    const codes = currencyOfAmount("$5");
    expect(codes).toEqual(expect.arrayContaining(["USD", "CAD"]));
    expect(codes).not.toContain("EUR");
  });

  it("¥ is yen or yuan", () => {
    expect(currencyOfAmount("¥500")).toEqual(["JPY", "CNY"]);
  });

  it.each([
    "12000",
    "12k",
    "5 mio", // a multiplier, not a currency code
    "3 tsd",
    "1 Mrd",
    "1.5E+07",
    "12 abc", // three letters that are no ISO 4217 code
    "",
    "   ",
  ])("%j names no currency → null", (text) => {
    expect(currencyOfAmount(text)).toBeNull();
  });
});

describe("currencyOfAmount with a symbol right after a multiplier", () => {
  it.each([
    ["12k€", ["EUR"]],
    ["1,5 Mio€", ["EUR"]],
    ["1,5Mio€", ["EUR"]],
    ["5m£", ["GBP"]],
  ])("%s → %j", (input, expected) => {
    expect(currencyOfAmount(input)).toEqual(expected);
  });
});
