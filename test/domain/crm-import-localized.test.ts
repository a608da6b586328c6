import { describe, expect, it } from "vitest";
import { mapColumns, parseRow, type ColumnMapping, type RowContext } from "../../src/domain/crm-import.js";

/** Salesforce account export with German column labels. */
const SF_DE_HEADERS = ["Account-ID", "Accountname", "Accountinhaber", "Branche", "Jahresumsatz", "Land (Rechnungsanschrift)"];

describe("mapColumns: localized exports", () => {
  it("German Salesforce account export: every known column mapped, the country ignored", () => {
    const m = mapColumns(SF_DE_HEADERS);
    expect(m.format).toEqual({ provider: "salesforce", kind: "accounts" });
    expect(m.columns).toEqual({ externalId: 0, name: 1, owner: 2, industry: 3, annualRevenue: 4 });
    expect(m.ignored).toEqual(["Land (Rechnungsanschrift)"]);
    expect(m.recognised.map((r) => [r.header, r.field])).toEqual([
      ["Account-ID", "externalId"],
      ["Accountname", "name"],
      ["Accountinhaber", "owner"],
      ["Branche", "industry"],
      ["Jahresumsatz", "annualRevenue"],
    ]);
  });

  it.each<[string, string[], Partial<Record<string, number>>, string]>([
    // [language, headers, columns, provider]
    ["French", ["Nom du compte", "Chiffre d'affaires annuel"], { name: 0, annualRevenue: 1 }, "salesforce"],
    ["Spanish", ["Nombre de la cuenta", "Propietario de la cuenta"], { name: 0, owner: 1 }, "salesforce"],
    ["French HubSpot", ["Nom de l'entreprise", "Chiffre d'affaires annuel"], { name: 0, annualRevenue: 1 }, "hubspot"],
    ["Spanish HubSpot", ["Nombre de la empresa"], { name: 0 }, "hubspot"],
  ])("%s: %j", (_language, headers, columns, provider) => {
    const m = mapColumns(headers);
    expect(m.columns).toEqual(columns);
    expect(m.format).toEqual({ provider, kind: "accounts" });
    expect(m.ignored).toEqual([]);
  });

  it("German HubSpot: 'Datensatz-ID' is the record id and gives HubSpot away", () => {
    const m = mapColumns(["Datensatz-ID", "Company name", "Jahresumsatz"]);
    expect(m.format).toEqual({ provider: "hubspot", kind: "accounts" });
    expect(m.columns).toEqual({ externalId: 0, name: 1, annualRevenue: 2 });
  });
});

describe("parseRow: amounts in another currency than the workspace's", () => {
  const mapping: ColumnMapping = mapColumns(SF_DE_HEADERS);
  const record = (revenue: string): string[] => ["0015e00000Ab1CdAAJ", "Müller GmbH", "Anna Schmidt", "Maschinenbau", revenue, "Deutschland"];
  const ctx = (extra: Partial<RowContext>): RowContext => ({ mapping, locale: "de-DE", ...extra });

  it("an amount in € with workspace currency USD is refused, naming both and the way out", () => {
    const result = parseRow(record("1.500.000,00 €"), ctx({ currency: "USD" }));
    expect(result.ok).toBe(false);
    if (result.ok) throw new Error("expected a refusal");
    expect(result.reason).toContain("EUR");
    expect(result.reason).toContain("USD");
    expect(result.reason).toContain("--currency-mismatch ignore");
    expect(result.reason).toContain("--currency EUR");
    expect(result.reason).toContain('"1.500.000,00 €"');
  });

  it("the same amount with workspace currency EUR is read", () => {
    const result = parseRow(record("1.500.000,00 €"), ctx({ currency: "EUR" }));
    expect(result).toEqual({
      ok: true,
      row: {
        type: "account",
        externalId: "sf:0015e00000Ab1Cd",
        name: "Müller GmbH",
        nameKey: "muller gmbh",
        ownerEmail: null,
        ownerLabel: "Anna Schmidt",
        industry: "Maschinenbau",
        annualValueCents: 150_000_000,
      },
    });
  });

  it.each<[string, Partial<RowContext>]>([
    ["1.500.000,00 €", { currency: "USD", currencyMismatch: "ignore" }], // the admin's call: the number as it is
    ["1.500.000,00", { currency: "USD" }], // no marker: nothing to contradict
    ["1.500.000,00 €", {}], // no workspace currency given: nothing to compare with
    ["1.500.000,00 EUR", { currency: "EUR" }],
  ])("%j with %j → 150000000 cents", (revenue, extra) => {
    const result = parseRow(record(revenue), ctx(extra));
    expect(result.ok && result.row.type === "account" ? result.row.annualValueCents : result).toBe(150_000_000);
  });

  it("an explicit 'refuse' behaves like the default", () => {
    expect(parseRow(record("1.500.000,00 €"), ctx({ currency: "USD", currencyMismatch: "refuse" }))).toEqual(
      parseRow(record("1.500.000,00 €"), ctx({ currency: "USD" })),
    );
    expect(parseRow(record("1.500.000,00 €"), ctx({ currency: "USD" })).ok).toBe(false);
  });

  it("a bare $ matches a USD or CAD workspace but not a EUR one", () => {
    expect(parseRow(record("$1,500,000.00"), ctx({ currency: "USD" })).ok).toBe(true);
    expect(parseRow(record("$1,500,000.00"), ctx({ currency: "CAD" })).ok).toBe(true);
    const eur = parseRow(record("$1,500,000.00"), ctx({ currency: "EUR" }));
    expect(eur.ok).toBe(false);
    expect(!eur.ok && eur.reason).toMatch(/is in USD\/CAD\/.*but the workspace currency is EUR/);
  });

  it("an unreadable amount is refused as such, before any currency check", () => {
    expect(parseRow(record("viel Geld"), ctx({ currency: "USD" }))).toEqual({
      ok: false,
      reason: 'annual revenue "viel Geld" is not an amount',
    });
  });
});
