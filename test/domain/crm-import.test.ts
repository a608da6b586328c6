import { describe, expect, it } from "vitest";
import {
  detectDelimiter,
  detectFormat,
  externalIdOf,
  hashId,
  headerKey,
  mapColumns,
  mapTier,
  parseRevenue,
  parseRow,
} from "../../src/domain/crm-import.js";
import { centsToDecimal, csvField, csvLine } from "../../src/domain/csv.js";

describe("CRM export headers", () => {
  it.each([
    ["Account Name", "accountname"],
    ["account_name", "accountname"],
    [" ACCOUNT-NAME ", "accountname"],
    ["Associated Company IDs (Primary)", "associatedcompanyidsprimary"],
    ["Unternehmensname", "unternehmensname"],
  ])("headerKey(%j) = %j", (header, key) => expect(headerKey(header)).toBe(key));

  it.each([
    [["Account ID", "Account Name", "Account Owner", "Billing City"], "salesforce", "accounts"],
    [["Id", "Name", "OwnerId", "AnnualRevenue", "Rating", "BillingCity"], "salesforce", "accounts"],
    [["Record ID", "Company name", "Company owner", "Lifecycle Stage"], "hubspot", "accounts"],
    [["Record ID", "First Name", "Last Name", "Email", "Associated Company"], "hubspot", "contacts"],
    [["Contact ID", "First Name", "Last Name", "Account Name", "Account ID"], "salesforce", "contacts"],
    [["external_id", "account_name", "owner_email", "tier"], "csv", "accounts"],
  ])("detectFormat(%j) = %s %s", (headers, provider, kind) => expect(detectFormat(headers)).toEqual({ provider, kind }));

  it("prefers the better alias when several columns mean the same, and lists the rest as ignored", () => {
    const m = mapColumns(["Owner", "Name", "Account Owner Email", "Owner Email", "Account ID", "Phone"]);
    expect(m.columns).toEqual({ owner: 0, name: 1, ownerEmail: 2, externalId: 4 });
    expect(m.ignored).toEqual(["Owner Email", "Phone"]);
  });

  it("refuses a header without a name column, listing what it found", () => {
    expect(() => mapColumns(["Industry", "Revenue"])).toThrow(/no column holds the account name.*"Industry", "Revenue"/);
    expect(() => mapColumns(["Record ID", "First Name"])).not.toThrow();
  });

  it.each([
    ["a,b;c", ","],
    ["a;b;c,d", ";"],
    ['"a;b",c', ","],
    ["a\tb\tc", "\t"],
    ["a|b|c", "|"],
    ["single", ","],
  ])("detectDelimiter(%j) = %j", (line, d) => expect(detectDelimiter(line)).toBe(d));
});

describe("CRM values", () => {
  it.each([
    ["Hot", "key"], ["Key Account", "key"], ["Strategic", "key"], ["A", "key"], ["Tier 1", "key"],
    ["Warm", "growth"], ["growth", "growth"], ["B", "growth"], ["Tier 2", "growth"],
    ["Cold", "standard"], ["C", "standard"], ["Tier 3", "standard"], ["whatever", "standard"],
  ])("mapTier(%j) = %s", (v, tier) => expect(mapTier(v)).toBe(tier));

  it.each([
    ["1500000", "en-US", 150_000_000],
    ["$1,500,000.00", "en-US", 150_000_000],
    ["1.5E+07", "en-US", 1_500_000_000],
    ["1.500.000,50 €", "de-DE", 150_000_050],
    ["250.000", "de-DE", 25_000_000],
    ["12k", "en-US", 1_200_000],
  ])("parseRevenue(%j, %s) = %d cents", (v, locale, cents) => expect(parseRevenue(v, locale)).toEqual({ ok: true, cents }));

  it.each([
    ["abc", 'annual revenue "abc" is not an amount'],
    ["-5", 'annual revenue "-5" is negative'],
  ])("parseRevenue(%j) fails: %s", (v, reason) => expect(parseRevenue(v, "en-US")).toEqual({ ok: false, reason }));

  it("external ids: provider prefix, Salesforce 18-character ids cut to 15, our own ids kept", () => {
    expect(externalIdOf("salesforce", "0015e00000Ab1CdAAJ")).toBe("sf:0015e00000Ab1Cd");
    expect(externalIdOf("salesforce", "0015e00000Ab1Cd")).toBe("sf:0015e00000Ab1Cd");
    expect(externalIdOf("hubspot", " 9876543210 ")).toBe("hs:9876543210");
    expect(externalIdOf("csv", "hs:9876543210")).toBe("hs:9876543210");
    expect(externalIdOf("csv", "A-17")).toBe("csv:A-17");
    expect(hashId("acme corp", "Jane@X.com")).toBe(hashId("acme corp", "jane@x.com"));
    expect(hashId("acme corp", "jane@x.com")).not.toBe(hashId("acme corp", "john@x.com"));
  });

  it("rows without an id get a stable id from name and owner email", () => {
    const mapping = mapColumns(["Company", "Owner Email"]);
    const a = parseRow(["  Acme   Corp ", "Jane@X.com"], { mapping, locale: "en-US" });
    const b = parseRow(["acme corp", "jane@x.com"], { mapping, locale: "en-US" });
    expect(a.ok && b.ok && a.row.externalId === b.row.externalId).toBe(true);
    expect(a.ok && a.row.name).toBe("Acme Corp");
  });

  it("an owner column holding an email is used as the owner email", () => {
    const mapping = mapColumns(["Company name", "Company owner"]);
    const r = parseRow(["Acme", "Jane.Doe@x.com"], { mapping, locale: "en-US" });
    expect(r.ok && r.row.ownerEmail).toBe("jane.doe@x.com");
  });
});

describe("CSV writing (RFC 4180)", () => {
  it.each([
    ["plain", "plain"],
    ["a,b", '"a,b"'],
    ['say "hi"', '"say ""hi"""'],
    ["two\nlines", '"two\nlines"'],
    [" padded", '" padded"'],
    [null, ""],
    [12.5, "12.5"],
    [true, "true"],
  ] as const)("csvField(%j) = %j", (v, out) => expect(csvField(v)).toBe(out));

  it("csvLine joins quoted fields", () => expect(csvLine(["Müller, GmbH", null, 3])).toBe('"Müller, GmbH",,3'));

  it.each([
    [0, "0.00"],
    [5, "0.05"],
    [123456, "1234.56"],
    [100_000_000_000_000n, "1000000000000.00"],
    [-250, "-2.50"],
  ] as const)("centsToDecimal(%s) = %s", (c, s) => expect(centsToDecimal(c)).toBe(s));
});
