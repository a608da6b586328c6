import { describe, expect, it } from "vitest";
import { isKnownCurrency } from "../../src/domain/amounts.js";
import {
  changedFields,
  MAX_NEGLECT_DAYS,
  parseNeglectSpec,
  parseProbabilitySpec,
  validateWorkspaceSettings,
  type WorkspaceSettingError,
  type WorkspaceSettings,
  type WorkspaceSettingsChanges,
  type WorkspaceSettingsInput,
} from "../../src/domain/workspace-settings.js";

describe("validateWorkspaceSettings: accepted values", () => {
  it.each<[WorkspaceSettingsInput, string, WorkspaceSettingsChanges]>([
    // [input, locale, expected changes]
    [{ currency: "eur" }, "en-US", { currency: "EUR" }],
    [{ currency: " usd " }, "en-US", { currency: "USD" }], // trimmed before it is read
    [{ fiscalYearStartMonth: "4" }, "en-US", { fiscalYearStartMonth: 4 }],
    [{ fiscalYearStartMonth: "1" }, "en-US", { fiscalYearStartMonth: 1 }],
    [{ fiscalYearStartMonth: "12" }, "en-US", { fiscalYearStartMonth: 12 }],
    [{ timezone: "europe/berlin" }, "en-US", { timezone: "Europe/Berlin" }], // stored as Intl names it
    [{ timezone: "America/New_York" }, "en-US", { timezone: "America/New_York" }],
    [{ paceMode: "Calendar" }, "en-US", { paceMode: "calendar" }],
    [{ paceMode: "BUSINESS" }, "en-US", { paceMode: "business" }],
    [
      { neglectKeyDays: "7", neglectGrowthDays: "14", neglectStandardDays: "30" },
      "en-US",
      { neglectKeyDays: 7, neglectGrowthDays: 14, neglectStandardDays: 30 },
    ],
    [{ neglectStandardDays: "365" }, "en-US", { neglectStandardDays: 365 }], // MAX_NEGLECT_DAYS itself
    [{ neglectKeyDays: "1" }, "en-US", { neglectKeyDays: 1 }],
    [{ giftLimit: "" }, "en-US", { giftLimitCents: null }], // empty = no firm limit
    [{ giftLimit: "   " }, "de-DE", { giftLimitCents: null }],
    [{ giftLimit: "1.000" }, "de-DE", { giftLimitCents: 100_000 }], // "." groups thousands in de-DE
    [{ giftLimit: "1,000" }, "en-US", { giftLimitCents: 100_000 }], // "," groups thousands in en-US
    [{ giftLimit: "$99.50" }, "en-US", { giftLimitCents: 9_950 }],
    [{ giftYearMode: "rolling" }, "en-US", { giftYearMode: "rolling" }],
    [{ giftYearMode: "Calendar" }, "en-US", { giftYearMode: "calendar" }],
    [{ dealStallDays: "30", dealCloseSoonDays: "7", dealNoTouchDays: "7" }, "en-US", { dealStallDays: 30, dealCloseSoonDays: 7, dealNoTouchDays: 7 }],
    [{ dealStallDays: "365", dealNoTouchDays: "1" }, "en-US", { dealStallDays: 365, dealNoTouchDays: 1 }],
    [{ stageProbabilityProspect: "5", stageProbabilityNegotiation: "90 %" }, "en-US", { stageProbabilityProspect: 5, stageProbabilityNegotiation: 90 }],
    [{ stageProbabilityQualified: "0", stageProbabilityProposal: "100%" }, "de-DE", { stageProbabilityQualified: 0, stageProbabilityProposal: 100 }],
    [{ dealCloseSoonDays: "90" }, "en-US", { dealCloseSoonDays: 90 }], // MAX_CLOSE_SOON_DAYS itself
  ])("%j (%s) → %j", (input, locale, changes) => {
    expect(validateWorkspaceSettings(input, locale)).toEqual({ ok: true, changes });
  });

  it("the upper neglect bound is MAX_NEGLECT_DAYS = 365", () => {
    expect(MAX_NEGLECT_DAYS).toBe(365);
  });

  it("validates every field in one call", () => {
    const input: WorkspaceSettingsInput = {
      currency: "gbp",
      fiscalYearStartMonth: "2",
      timezone: "Europe/London",
      paceMode: "business",
      neglectKeyDays: "10",
      neglectGrowthDays: "20",
      neglectStandardDays: "40",
      giftLimit: "250",
      giftYearMode: "calendar",
    };
    expect(validateWorkspaceSettings(input, "en-GB")).toEqual({
      ok: true,
      changes: {
        currency: "GBP",
        fiscalYearStartMonth: 2,
        timezone: "Europe/London",
        paceMode: "business",
        neglectKeyDays: 10,
        neglectGrowthDays: 20,
        neglectStandardDays: 40,
        giftLimitCents: 25_000,
        giftYearMode: "calendar",
      },
    });
  });

  it("only the fields present are validated: an empty input is ok with no changes", () => {
    expect(validateWorkspaceSettings({}, "en-US")).toEqual({ ok: true, changes: {} });
  });

  it("a field that is absent is not touched even when others are given", () => {
    const result = validateWorkspaceSettings({ paceMode: "calendar" }, "en-US");
    expect(result).toEqual({ ok: true, changes: { paceMode: "calendar" } });
    expect(result.ok && Object.keys(result.changes)).toEqual(["paceMode"]);
  });
});

describe("validateWorkspaceSettings: refused values", () => {
  // isValidTimeZone is luxon's IANAZone.isValidZone: "UTC" and "Etc/GMT+5" are zones, but
  // "UTC+25" (and even "UTC+1") and made-up names are not.
  it.each<[WorkspaceSettingsInput, Pick<WorkspaceSettingError, "field" | "problem" | "example" | "detail">]>([
    // [input, expected single error]
    [{ currency: "EURO" }, { field: "currency", problem: "currency_unknown", detail: "EURO", example: "EUR" }],
    [{ currency: "XYZ" }, { field: "currency", problem: "currency_unknown", detail: "XYZ", example: "EUR" }],
    [{ currency: "" }, { field: "currency", problem: "currency_unknown", detail: "", example: "EUR" }],
    [{ currency: "€" }, { field: "currency", problem: "currency_unknown", detail: "€", example: "EUR" }],
    [{ timezone: "Mars/Base" }, { field: "timezone", problem: "timezone_unknown", detail: "Mars/Base", example: "Europe/Berlin" }],
    [{ timezone: "" }, { field: "timezone", problem: "timezone_unknown", detail: "", example: "Europe/Berlin" }],
    [{ timezone: "UTC+25" }, { field: "timezone", problem: "timezone_unknown", detail: "UTC+25", example: "Europe/Berlin" }],
    [{ fiscalYearStartMonth: "0" }, { field: "fiscalYearStartMonth", problem: "fiscal_start_out_of_range", detail: "0", example: "4" }],
    [{ fiscalYearStartMonth: "13" }, { field: "fiscalYearStartMonth", problem: "fiscal_start_out_of_range", detail: "13", example: "4" }],
    [{ fiscalYearStartMonth: "4.5" }, { field: "fiscalYearStartMonth", problem: "fiscal_start_out_of_range", detail: "4.5", example: "4" }],
    [{ fiscalYearStartMonth: "April" }, { field: "fiscalYearStartMonth", problem: "fiscal_start_out_of_range", detail: "April", example: "4" }],
    [{ fiscalYearStartMonth: "" }, { field: "fiscalYearStartMonth", problem: "fiscal_start_out_of_range", detail: "", example: "4" }],
    [{ paceMode: "fast" }, { field: "paceMode", problem: "pace_unknown", detail: "fast", example: "business" }],
    [{ neglectKeyDays: "-1" }, { field: "neglectKeyDays", problem: "neglect_invalid", detail: "-1", example: "7" }],
    [{ neglectKeyDays: "0" }, { field: "neglectKeyDays", problem: "neglect_invalid", detail: "0", example: "7" }],
    [{ neglectGrowthDays: "366" }, { field: "neglectGrowthDays", problem: "neglect_invalid", detail: "366", example: "14" }],
    [{ neglectStandardDays: "abc" }, { field: "neglectStandardDays", problem: "neglect_invalid", detail: "abc", example: "30" }],
    [{ neglectStandardDays: "1.5" }, { field: "neglectStandardDays", problem: "neglect_invalid", detail: "1.5", example: "30" }],
    [{ giftLimit: "abc" }, { field: "giftLimit", problem: "gift_limit_invalid", detail: "abc", example: "100" }],
    [{ dealStallDays: "0" }, { field: "dealStallDays", problem: "deal_days_invalid", detail: "0", example: "30" }],
    [{ dealStallDays: "366" }, { field: "dealStallDays", problem: "deal_days_invalid", detail: "366", example: "30" }],
    [{ dealNoTouchDays: "a week" }, { field: "dealNoTouchDays", problem: "deal_days_invalid", detail: "a week", example: "7" }],
    [{ stageProbabilityProspect: "101" }, { field: "stageProbabilityProspect", problem: "probability_invalid", detail: "101", example: "10" }],
    [{ stageProbabilityQualified: "-5" }, { field: "stageProbabilityQualified", problem: "probability_invalid", detail: "-5", example: "25" }],
    [{ stageProbabilityProposal: "0.5" }, { field: "stageProbabilityProposal", problem: "probability_invalid", detail: "0.5", example: "50" }],
    [{ stageProbabilityNegotiation: "" }, { field: "stageProbabilityNegotiation", problem: "probability_invalid", detail: "", example: "75" }],
    [{ stageProbabilityNegotiation: "high" }, { field: "stageProbabilityNegotiation", problem: "probability_invalid", detail: "high", example: "75" }],
    [{ dealCloseSoonDays: "91" }, { field: "dealCloseSoonDays", problem: "close_soon_invalid", detail: "91", example: "7" }],
    [{ dealCloseSoonDays: "" }, { field: "dealCloseSoonDays", problem: "close_soon_invalid", detail: "", example: "7" }],
    [{ giftLimit: "0" }, { field: "giftLimit", problem: "gift_limit_invalid", detail: "0", example: "100" }],
    [{ giftLimit: "-5" }, { field: "giftLimit", problem: "gift_limit_invalid", detail: "-5", example: "100" }],
    [{ giftYearMode: "fiscal" }, { field: "giftYearMode", problem: "gift_year_unknown", detail: "fiscal", example: "calendar" }],
  ])("%j → %j", (input, error) => {
    expect(validateWorkspaceSettings(input, "en-US")).toEqual({ ok: false, errors: [error] });
  });

  it("the detail is the trimmed text cut to 60 characters", () => {
    const long = `  ${"x".repeat(80)}  `;
    const result = validateWorkspaceSettings({ paceMode: long }, "en-US");
    expect(result).toEqual({
      ok: false,
      errors: [{ field: "paceMode", problem: "pace_unknown", detail: "x".repeat(60), example: "business" }],
    });
  });

  it("several bad fields: one error each, in field order, and no changes at all", () => {
    const result = validateWorkspaceSettings(
      { giftYearMode: "fiscal", currency: "EURO", paceMode: "calendar", neglectKeyDays: "0", timezone: "Mars/Base" },
      "en-US",
    );
    expect(result.ok).toBe(false);
    // The valid paceMode is not reported as a change: the result carries no `changes`.
    expect(result).not.toHaveProperty("changes");
    expect(!result.ok && result.errors.map((e) => [e.field, e.problem])).toEqual([
      ["currency", "currency_unknown"],
      ["timezone", "timezone_unknown"],
      ["neglectKeyDays", "neglect_invalid"],
      ["giftYearMode", "gift_year_unknown"],
    ]);
  });
});

describe("parseNeglectSpec", () => {
  it.each<[string, Record<string, string>]>([
    ["key:7,growth:14,standard:30", { neglectKeyDays: "7", neglectGrowthDays: "14", neglectStandardDays: "30" }],
    ["standard=45", { neglectStandardDays: "45" }], // "=" works like ":"
    ["KEY:7", { neglectKeyDays: "7" }], // tier names in any case
    ["standard:30, key:7 ,growth:14", { neglectKeyDays: "7", neglectGrowthDays: "14", neglectStandardDays: "30" }],
    ["growth : 21", { neglectGrowthDays: "21" }],
    ["key:7,", { neglectKeyDays: "7" }], // an empty part is skipped
  ])("%j → %j", (text, input) => {
    expect(parseNeglectSpec(text)).toEqual({ ok: true, input });
  });

  it("order does not matter", () => {
    expect(parseNeglectSpec("standard:30,growth:14,key:7")).toEqual(parseNeglectSpec("key:7,growth:14,standard:30"));
  });

  it.each([
    ["vip:3", "vip:3"],
    ["key:7,vip:3", "vip:3"], // the first bad part is named
    ["key 7", "key 7"],
    ["", ""],
    [" , ", " , "],
  ])("%j → not ok, detail %j", (text, detail) => {
    expect(parseNeglectSpec(text)).toEqual({ ok: false, detail });
  });

  it("does not check the numbers: 'key:abc' parses, and validation then refuses it", () => {
    const parsed = parseNeglectSpec("key:abc");
    expect(parsed).toEqual({ ok: true, input: { neglectKeyDays: "abc" } });
    if (!parsed.ok) throw new Error("expected parseNeglectSpec to accept key:abc");
    expect(validateWorkspaceSettings(parsed.input, "en-US")).toEqual({
      ok: false,
      errors: [{ field: "neglectKeyDays", problem: "neglect_invalid", detail: "abc", example: "7" }],
    });
  });
});

describe("parseProbabilitySpec (the CLI's --probabilities)", () => {
  it("reads any subset in any order, case-insensitively; the numbers are validated later", () => {
    expect(parseProbabilitySpec("negotiation:80, Prospect=5")).toEqual({ ok: true, input: { stageProbabilityNegotiation: "80", stageProbabilityProspect: "5" } });
    expect(parseProbabilitySpec("qualified:lots")).toEqual({ ok: true, input: { stageProbabilityQualified: "lots" } });
  });

  it.each([
    ["won:100", "won:100"], // won and lost are not open stages
    ["proposal 50", "proposal 50"],
    ["key:7", "key:7"], // a neglect tier is not a stage
    ["", ""],
  ])("%j → not ok, detail %j", (text, detail) => {
    expect(parseProbabilitySpec(text)).toEqual({ ok: false, detail });
  });
});

describe("changedFields", () => {
  const current: WorkspaceSettings = {
    currency: "USD",
    fiscalYearStartMonth: 1,
    timezone: "America/New_York",
    paceMode: "business",
    neglectDays: { key: 7, growth: 14, standard: 30 },
    giftLimitCents: null,
    giftYearMode: "calendar",
    dealAttention: { stallDays: 30, closeSoonDays: 7, noTouchDays: 7 },
    retention: { touchNotesMonths: 36, closedDealsMonths: 84, departedMonths: 12, giftYears: 6 },
    stageProbabilities: { prospect: 10, qualified: 25, proposal: 50, negotiation: 75 },
  };

  it.each<[WorkspaceSettingsChanges, string[]]>([
    [{ dealStallDays: 30, dealCloseSoonDays: 5, dealNoTouchDays: 7 }, ["dealCloseSoonDays"]],
    [{ stageProbabilityProspect: 10, stageProbabilityProposal: 40 }, ["stageProbabilityProposal"]],
    [{}, []],
    [{ currency: "USD" }, []],
    [{ currency: "EUR" }, ["currency"]],
    [{ currency: "USD", fiscalYearStartMonth: 4 }, ["fiscalYearStartMonth"]],
    [{ neglectKeyDays: 7, neglectGrowthDays: 21, neglectStandardDays: 30 }, ["neglectGrowthDays"]],
    [{ giftLimitCents: null }, []],
    [{ giftLimitCents: 10_000 }, ["giftLimitCents"]],
    [{ paceMode: "calendar", giftYearMode: "rolling", timezone: "America/New_York" }, ["paceMode", "giftYearMode"]],
    [{ retentionTouchNotesMonths: 36, retentionGiftYears: 7 }, ["retentionGiftYears"]],
  ])("%j → %j", (changes, fields) => {
    expect(changedFields(current, changes)).toEqual(fields);
  });

  it("a gift limit set back to none is a change", () => {
    expect(changedFields({ ...current, giftLimitCents: 10_000 }, { giftLimitCents: null })).toEqual(["giftLimitCents"]);
  });
});

describe("validateWorkspaceSettings: retention", () => {
  it.each<[Partial<Record<string, string>>, unknown]>([
    [{ retentionTouchNotesMonths: "24", retentionClosedDealsMonths: "120", retentionDepartedMonths: "6", retentionGiftYears: "6" }, { ok: true, changes: { retentionTouchNotesMonths: 24, retentionClosedDealsMonths: 120, retentionDepartedMonths: 6, retentionGiftYears: 6 } }],
    [{ retentionGiftYears: "10" }, { ok: true, changes: { retentionGiftYears: 10 } }],
    [{ retentionGiftYears: "5" }, { ok: false, errors: [{ field: "retentionGiftYears", problem: "retention_gift_years_below_floor", detail: "5", example: "6" }] }],
    [{ retentionGiftYears: "0" }, { ok: false, errors: [{ field: "retentionGiftYears", problem: "retention_gift_years_below_floor", detail: "0", example: "6" }] }],
    [{ retentionGiftYears: "51" }, { ok: false, errors: [{ field: "retentionGiftYears", problem: "retention_gift_years_invalid", detail: "51", example: "6" }] }],
    [{ retentionGiftYears: "six" }, { ok: false, errors: [{ field: "retentionGiftYears", problem: "retention_gift_years_invalid", detail: "six", example: "6" }] }],
    [{ retentionTouchNotesMonths: "0" }, { ok: false, errors: [{ field: "retentionTouchNotesMonths", problem: "retention_months_invalid", detail: "0", example: "36" }] }],
    [{ retentionClosedDealsMonths: "241" }, { ok: false, errors: [{ field: "retentionClosedDealsMonths", problem: "retention_months_invalid", detail: "241", example: "84" }] }],
    [{ retentionDepartedMonths: "-1" }, { ok: false, errors: [{ field: "retentionDepartedMonths", problem: "retention_months_invalid", detail: "-1", example: "12" }] }],
  ])("%j → %j", (input, expected) => {
    expect(validateWorkspaceSettings(input, "en-US")).toEqual(expected);
  });
});

describe("isKnownCurrency", () => {
  it.each([
    ["EUR", true],
    ["USD", true],
    ["CHF", true],
    ["EUX", false],
    ["eur", false], // codes are upper case; validateWorkspaceSettings upper-cases first
    ["", false],
  ])("%j → %s", (code, known) => {
    expect(isKnownCurrency(code)).toBe(known);
  });
});
