import { join } from "node:path";
import { afterAll, afterEach, beforeAll, beforeEach, expect, it } from "vitest";
import { runCli } from "../../src/cli/main.js";
import { CRM_OWNERS, IMPORT_FIXTURES } from "../support/crm-owners.js";
import { startFakeSlack, type FakeSlack } from "../support/fake-slack.js";
import { describeEachProvider } from "../support/providers.js";
import { createTestDatabase, type TestDatabase } from "../support/test-database.js";

const GERMAN_EXCEL = join(IMPORT_FIXTURES, "salesforce-accounts-de-excel.csv");

interface Run {
  code: number;
  out: string[];
  err: string[];
  text: string;
}

describeEachProvider("ae-assistant workspace, holidays and a German import [%s]", (provider) => {
  let fake: FakeSlack;
  let t: TestDatabase;

  beforeAll(async () => {
    fake = await startFakeSlack({ users: CRM_OWNERS, tokens: ["xoxb-test"] });
  });
  afterAll(async () => fake.close());
  beforeEach(async () => {
    t = await createTestDatabase(provider);
    // The workspace the fake Slack's token belongs to (auth.test answers T0TEST).
    await t.db.prisma.workspace.create({ data: { slackTeamId: "T0TEST", name: "Northwind" } });
  });
  afterEach(async () => {
    await t?.drop();
  });

  async function cli(...argv: string[]): Promise<Run> {
    const out: string[] = [];
    const err: string[] = [];
    const code = await runCli(argv, {
      out: (l) => out.push(l),
      err: (l) => err.push(l),
      env: { DATABASE_URL: t!.url, SLACK_BOT_TOKEN: "xoxb-test", SLACK_SIGNING_SECRET: "x", SLACK_API_URL: fake.apiUrl },
    });
    return { code, out, err, text: [...out, ...err].join("\n") };
  }

  const workspace = () => t!.db.prisma.workspace.findUniqueOrThrow({ where: { slackTeamId: "T0TEST" } });

  it("sets every setting in one line, as the README shows, and `show` reads them back", async () => {
    const r = await cli(
      "workspace", "set", "--currency", "eur", "--fiscal-start", "4", "--timezone", "europe/berlin", "--pace", "calendar",
      "--neglect", "key:5,growth:10,standard:20", "--gift-limit", "250", "--gift-year", "rolling",
      "--stall-days", "45", "--close-soon-days", "10", "--no-touch-days", "5",
      "--probabilities", "prospect:5,qualified:20,proposal:40,negotiation:80",
    );
    expect(r.err).toEqual([]);
    expect(r.code).toBe(0);
    expect(r.out[0]).toBe("Saved (currency, fiscalYearStartMonth, timezone, paceMode, neglectKeyDays, neglectGrowthDays, neglectStandardDays, giftLimitCents, giftYearMode, dealStallDays, dealCloseSoonDays, dealNoTouchDays, stageProbabilityProspect, stageProbabilityQualified, stageProbabilityProposal, stageProbabilityNegotiation) for Northwind:");
    expect(await workspace()).toMatchObject({
      currency: "EUR", fiscalYearStartMonth: 4, timezone: "Europe/Berlin", paceMode: "calendar",
      neglectKeyDays: 5, neglectGrowthDays: 10, neglectStandardDays: 20, giftLimitCents: 25_000n, giftYearMode: "rolling",
      dealStallDays: 45, dealCloseSoonDays: 10, dealNoTouchDays: 5,
      stageProbabilityProspect: 5, stageProbabilityQualified: 20, stageProbabilityProposal: 40, stageProbabilityNegotiation: 80,
    });
    const shown = await cli("workspace", "show");
    expect(shown.code).toBe(0);
    expect(shown.text).toContain("currency:            EUR");
    expect(shown.text).toContain("fiscal year starts:  April (4)");
    expect(shown.text).toContain("neglected after:     key 5 days, growth 10 days, standard 20 days");
    expect(shown.text).toContain("deals need attention: stalled over 45 days in a stage; closing within 10 days with no touch for 5 days; or past their close date");
    expect(shown.text).toContain("gift limit:          250.00 EUR per recipient per year");
    expect(shown.text).toContain("stage probabilities: prospect 5%, qualified 20%, proposal 40%, negotiation 80% (weighted pipeline)");
    const none = await cli("workspace", "set", "--gift-limit", "none");
    expect(none.code).toBe(0);
    expect((await workspace()).giftLimitCents).toBeNull();
  });

  it.each([
    [["--currency", "EURO"], '--currency "EURO" is not an ISO 4217 currency code; for example --currency EUR.'],
    [["--timezone", "Berlin"], '--timezone "Berlin" is not an IANA time zone name; for example --timezone Europe/Berlin.'],
    [["--fiscal-start", "13"], '--fiscal-start "13" is not a month number from 1 (January) to 12 (December); for example --fiscal-start 4.'],
    [["--neglect", "key:-3"], '--neglect key: "-3" must be a whole number of days from 1 to 365; for example --neglect key:7.'],
    [["--neglect", "vip:3"], '--neglect "vip:3" is not tier:days; for example --neglect key:7,growth:14,standard:30.'],
    [["--stall-days", "0"], '--stall-days "0" must be a whole number of days from 1 to 365; for example --stall-days 30.'],
    [["--close-soon-days", "120"], '--close-soon-days "120" must be a whole number of days from 1 to 90; for example --close-soon-days 7.'],
    [["--pace", "fast"], '--pace "fast" must be business or calendar; for example --pace business.'],
    [["--probabilities", "proposal:150"], '--probabilities proposal: "150" must be a whole percent from 0 to 100; for example --probabilities proposal:50.'],
    [["--probabilities", "won:100"], '--probabilities "won:100" is not stage:percent; for example --probabilities prospect:10,qualified:25,proposal:50,negotiation:75.'],
  ])("refuses %j with the reason and an example, and changes nothing", async (args, message) => {
    const before = await workspace();
    const r = await cli("workspace", "set", "--currency", "GBP", ...args);
    expect(r.code).toBe(2);
    expect(r.text).toContain(message);
    expect(r.text).toContain("Nothing was changed.");
    expect(await workspace()).toEqual(before);
  });

  it("asks before relabelling stored amounts with another currency, and never converts them", async () => {
    const ws = await workspace();
    const owner = await t.db.prisma.user.create({ data: { workspaceId: ws.id, slackUserId: "U0JANE", timezone: "America/New_York" } });
    await t.db.prisma.account.create({ data: { workspaceId: ws.id, ownerId: owner.id, name: "Acme", nameKey: "acme", annualValueCents: 150_000_000n } });
    const asked = await cli("workspace", "set", "--currency", "EUR");
    expect(asked.code).toBe(3);
    expect(asked.text).toContain("The workspace already holds 1 amounts in USD. Changing the currency to EUR does not convert them");
    expect(asked.text).toContain("--confirm-currency-change");
    expect((await workspace()).currency).toBe("USD");
    const done = await cli("workspace", "set", "--currency", "EUR", "--confirm-currency-change");
    expect(done.code).toBe(0);
    expect((await workspace()).currency).toBe("EUR");
    expect((await t.db.prisma.account.findFirstOrThrow()).annualValueCents).toBe(150_000_000n);
  });

  it("imports Bavaria's 2027 public holidays, lists, adds and removes, and refuses an unknown region", async () => {
    const r = await cli("holidays", "import", "--country", "DE", "--region", "BY", "--year", "2027");
    expect(r.code).toBe(0);
    expect(r.out[0]).toBe("Imported 12 of 12 holidays of DE-BY in 2027 (0 were already on file):");
    expect(r.text).toContain("  2027-05-27  Fronleichnam");
    const again = await cli("holidays", "import", "--country", "DE", "--region", "BY", "--year", "2027");
    expect(again.out[0]).toBe("Imported 0 of 12 holidays of DE-BY in 2027 (12 were already on file):");
    expect((await cli("holidays", "add", "2027-12-24", "Heiligabend")).out).toEqual(["Added 2027-12-24. Pace counts it from now on."]);
    expect((await cli("holidays", "add", "2027-02-30")).text).toContain('"2027-02-30" is not a date; write it as YYYY-MM-DD');
    const listed = await cli("holidays", "list", "--year", "2027");
    expect(listed.out[0]).toBe("13 holidays in 2027 for Northwind:");
    expect(listed.out).toContain("  2027-12-24  Heiligabend");
    expect((await cli("holidays", "remove", "2027-12-24")).out).toEqual(["Removed 2027-12-24."]);
    const bad = await cli("holidays", "import", "--country", "DE", "--region", "XY", "--year", "2027");
    expect(bad.code).toBe(2);
    expect(bad.text).toContain('--region "XY" is not a region of that country; known regions: BB, BE, BW, BY,');
    const country = await cli("holidays", "import", "--country", "Germany");
    expect(country.code).toBe(2);
    expect(country.text).toContain('--country "Germany" is not a country the holiday calendar knows');
    expect(await t.db.prisma.holiday.count()).toBe(12);
  });

  it("imports a German Salesforce export from Excel, refusing amounts in another currency unless told to ignore them", async () => {
    const usd = await cli("import", "accounts", GERMAN_EXCEL, "--owner", "U0KLAUS");
    expect(usd.code).toBe(0);
    expect(usd.out[0]).toBe(`${GERMAN_EXCEL}: Salesforce account export (semicolon-delimited, WINDOWS-1252)`);
    expect(usd.text).toContain('Recognised columns: "Account-ID" → CRM id, "Accountname" → name, "Accountinhaber" → owner, "Branche" → industry, "Jahresumsatz" → annual revenue');
    expect(usd.text).toContain('Ignored columns: "Land (Rechnungsanschrift)"');
    expect(usd.text).toContain('  line 3: annual revenue "1.500.000,00 €" is in EUR, but the workspace currency is USD;');
    expect(usd.text).toContain('  line 5: annual revenue "3.000.000,00 CHF" is in CHF, but the workspace currency is USD;');
    expect(await t.db.prisma.account.count()).toBe(1); // only the row without an amount

    expect((await cli("workspace", "set", "--currency", "EUR")).code).toBe(0);
    const eur = await cli("import", "accounts", GERMAN_EXCEL, "--owner", "U0KLAUS");
    expect(eur.text).toContain('  line 5: annual revenue "3.000.000,00 CHF" is in CHF, but the workspace currency is EUR;');
    const accounts = await t.db.prisma.account.findMany({ orderBy: { externalId: "asc" } });
    expect(accounts.map((a) => [a.externalId, a.name, a.industry, a.annualValueCents])).toEqual([
      ["sf:0015e00000De1AAA", "Müller Maschinenbau GmbH", "Maschinenbau", 150_000_000n],
      ["sf:0015e00000De2AAA", "Bäckerei Schröder KG", "Lebensmittel", 25_000_000n],
      ["sf:0015e00000De4AAA", "Weißwurst & Söhne oHG", "Gastronomie", 0n],
    ]);

    const ignored = await cli("import", "accounts", GERMAN_EXCEL, "--owner", "U0KLAUS", "--currency-mismatch", "ignore");
    expect(ignored.code).toBe(0);
    expect((await t.db.prisma.account.findFirstOrThrow({ where: { externalId: "sf:0015e00000De3AAA" } })).annualValueCents).toBe(300_000_000n);
    expect((await cli("import", "accounts", GERMAN_EXCEL, "--currency-mismatch", "convert")).text).toContain("--currency-mismatch must be refuse or ignore");
  });
});
