import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse } from "csv-parse/sync";
import { afterAll, afterEach, beforeAll, beforeEach, expect, it } from "vitest";
import { runCli } from "../../src/cli/main.js";
import { CRM_OWNERS, IMPORT_FIXTURES } from "../support/crm-owners.js";
import { startFakeSlack, type FakeSlack } from "../support/fake-slack.js";
import { describeEachProvider } from "../support/providers.js";
import { createTestDatabase, type TestDatabase } from "../support/test-database.js";

const SF = join(IMPORT_FIXTURES, "salesforce-accounts.csv");
const HS_COMPANIES = join(IMPORT_FIXTURES, "hubspot-companies.csv");

interface Run {
  code: number;
  out: string[];
  err: string[];
  text: string;
}

describeEachProvider("ae-assistant import / export [%s]", (provider) => {
  let fake: FakeSlack;
  let t: TestDatabase;
  let tmp: string;

  beforeAll(async () => {
    fake = await startFakeSlack({ users: CRM_OWNERS, tokens: ["xoxb-test"] });
  });
  afterAll(async () => fake.close());
  beforeEach(async () => {
    t = await createTestDatabase(provider);
    tmp = mkdtempSync(join(tmpdir(), "ae-cli-"));
  });
  afterEach(async () => {
    await t?.drop();
    rmSync(tmp, { recursive: true, force: true });
  });

  async function cli(argv: string[], env: Record<string, string> = {}): Promise<Run> {
    const out: string[] = [];
    const err: string[] = [];
    const code = await runCli(argv, {
      out: (l) => out.push(l),
      err: (l) => err.push(l),
      env: { DATABASE_URL: t!.url, SLACK_BOT_TOKEN: "xoxb-test", SLACK_SIGNING_SECRET: "x", SLACK_API_URL: fake.apiUrl, ...env },
    });
    return { code, out, err, text: [...out, ...err].join("\n") };
  }

  it("imports a Salesforce export: what it recognised, bad rows by line, the counts", async () => {
    const r = await cli(["import", "accounts", SF]);
    expect(r.err).toEqual([]);
    expect(r.code).toBe(0);
    expect(r.out[0]).toBe(`${SF}: Salesforce account export (comma-delimited, UTF-8)`);
    expect(r.text).toContain('Recognised columns: "Account ID" → CRM id, "Account Name" → name, "Account Owner" → owner, "Account Owner Email" → owner email');
    expect(r.text).toContain('Ignored columns: "Type", "Billing City", "Billing Country", "Description"');
    expect(r.text).toContain("Skipped rows (7):");
    expect(r.text).toContain("  line 8: no account name");
    expect(r.text).toContain('  line 9: annual revenue "abc" is not an amount');
    expect(r.text).toContain("  line 10: owner robert.old@northwind-capital.com is not a member of this Slack workspace (pass --owner <Slack user id> to give such rows to someone)");
    expect(r.text).toContain("  line 14: duplicate of line 3 (same id sf:0015e00000Ab1Ce)");
    expect(r.text).toContain("Owners added from Slack (4): jane.doe@northwind-capital.com, klaus.berger@northwind-capital.com, marcus.lee@northwind-capital.com, priya.shah@northwind-capital.com");
    expect(r.text).toContain("Owner emails not found in Slack (2): robert.old@northwind-capital.com, tom.left@northwind-capital.com");
    expect(r.out.at(-1)).toMatch(/^Imported accounts: 23 created, 0 updated, 0 unchanged, 7 skipped \(30 rows in [\d.]+ s\)\.$/);
    expect(await t.db.prisma.account.count()).toBe(23);

    const again = await cli(["import", "accounts", SF]);
    expect(again.code).toBe(0);
    expect(again.out.at(-1)).toMatch(/^Imported accounts: 0 created, 0 updated, 23 unchanged, 7 skipped/);
  });

  it("--dry-run lists every change and writes nothing, not even the workspace", async () => {
    const r = await cli(["import", "accounts", HS_COMPANIES, "--dry-run"]);
    expect(r.code).toBe(0);
    expect(r.out[0]).toBe(`${HS_COMPANIES}: HubSpot company export (semicolon-delimited, UTF-8)`);
    expect(r.text).toContain("Dry run: nothing will be written.");
    expect(r.text).toContain('  line 2: create account "Kühne Werbeagentur GmbH" [hs:9876543210] — owner U0KLAUS (klaus.berger@northwind-capital.com), tier key, annual revenue 3,200,000.00, industry "Advertising"');
    expect(r.text).toContain('  line 10: create account "Atelier Lumière SARL" [hs:9876543218]');
    expect(r.text).toContain('  line 8: no owner email: the owner column says "Klaus Berger"');
    expect(r.out.at(-1)).toMatch(/^Dry run of accounts: 8 created, 0 updated, 0 unchanged, 4 skipped \(12 rows in [\d.]+ s\)\. Nothing was written\.$/);
    expect(await t.db.prisma.workspace.count()).toBe(0);
    expect(await t.db.prisma.user.count()).toBe(0);
    expect(await t.db.prisma.account.count()).toBe(0);

    const real = await cli(["import", "accounts", HS_COMPANIES, "--owner", "U0SALLY"]);
    expect(real.out.at(-1)).toMatch(/^Imported accounts: 10 created, 0 updated, 0 unchanged, 2 skipped/);
  });

  it("fails clearly: unreadable file (exit 1), usage errors (exit 2), a wrong token, an unknown --owner", async () => {
    const missing = await cli(["import", "accounts", join(tmp, "nope.csv")]);
    expect(missing.code).toBe(1);
    expect(missing.err.join("\n")).toContain(`Cannot import: cannot read ${join(tmp, "nope.csv")}: there is no such file`);

    for (const argv of [["import"], ["import", "contacts", SF], ["import", "accounts"], ["import", "accounts", SF, "--owner"], ["import", "accounts", SF, "--frobnicate"]]) {
      const r = await cli(argv);
      expect(r.code, argv.join(" ")).toBe(2);
      expect(r.err.join("\n")).toContain("Usage: ae-assistant import accounts <file.csv>");
    }

    const badToken = await cli(["import", "accounts", SF], { SLACK_BOT_TOKEN: "xoxb-wrong" });
    expect(badToken.code).toBe(1);
    expect(badToken.err.join("\n")).toContain("Slack rejected SLACK_BOT_TOKEN (invalid_auth)");

    const noOwner = await cli(["import", "accounts", SF, "--owner", "U0NOBODY"]);
    expect(noOwner.code).toBe(1);
    expect(noOwner.err.join("\n")).toContain("--owner U0NOBODY is not an active user of this Slack workspace");
    expect(await t.db.prisma.account.count()).toBe(0);
  });

  it("exports accounts as CSV and JSON that round-trip what was imported", async () => {
    await cli(["import", "accounts", SF]);
    const csvFile = join(tmp, "out", "accounts.csv");
    const r = await cli(["export", "accounts", "--out", csvFile]);
    expect(r.code).toBe(0);
    expect(r.out).toEqual([`Exported 23 accounts to ${csvFile} (CSV).`]);
    const raw = readFileSync(csvFile, "utf8");
    expect(raw.split("\r\n")[0]).toBe(
      "id,external_id,account_name,kind,tier,industry,annual_revenue,currency,owner_email,owner_slack_id,owner_name,archived,last_touch_at,snoozed_until,created_at,updated_at",
    );
    const rows = parse(raw, { columns: true }) as Record<string, string>[];
    const db = await t.db.prisma.account.findMany({ include: { owner: true }, orderBy: { id: "asc" } });
    expect(rows.map((x) => [x.external_id, x.account_name, x.tier, x.industry, x.annual_revenue, x.currency, x.owner_email, x.owner_slack_id])).toEqual(
      db.map((a) => [a.externalId, a.name, a.tier, a.industry, (Number(a.annualValueCents) / 100).toFixed(2), "USD", a.owner.email, a.owner.slackUserId]),
    );
    const mueller = rows.find((x) => x.account_name === "Müller Pharma GmbH")!;
    expect(mueller).toMatchObject({ external_id: "sf:0015e00000Ab1Cf", annual_revenue: "85000000.00", tier: "key", archived: "false", last_touch_at: "" });
    expect(mueller.created_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    expect(raw).toContain('"Pacific Rim Brands, Inc."');
    expect(raw).toContain('"The ""Quoted"" Agency"');

    const json = await cli(["export", "accounts", "--format", "json"]);
    expect(json.code).toBe(0);
    expect(json.err).toEqual(["Exported 23 accounts."]);
    const objects = JSON.parse(json.out.join("\n")) as Record<string, unknown>[];
    expect(objects).toHaveLength(23);
    expect(objects.find((o) => o.account_name === "Zürich Re Advisory AG")).toMatchObject({ annual_revenue: 1_250_000_000, currency: "USD", archived: false, snoozed_until: null });
    expect(objects.map((o) => o.external_id)).toEqual(rows.map((x) => x.external_id));

    // The export is itself an importable file, and re-importing it changes nothing.
    const back = await cli(["import", "accounts", csvFile]);
    expect(back.out[0]).toBe(`${csvFile}: Generic CSV account export (comma-delimited, UTF-8)`);
    expect(back.out.at(-1)).toMatch(/^Imported accounts: 0 created, 0 updated, 23 unchanged, 0 skipped \(23 rows/);
  });

  it("exports touches, deals and gifts: decimal amounts with currency, ISO instants, local dates", async () => {
    await cli(["import", "accounts", SF]);
    const p = t.db.prisma;
    const acme = await p.account.findFirstOrThrow({ where: { name: "Acme Advertising Group" }, include: { owner: true } });
    await p.workspace.update({ where: { id: acme.workspaceId }, data: { currency: "EUR" } });
    await p.touch.create({
      data: { accountId: acme.id, userId: acme.ownerId, kind: "meeting", occurredAt: new Date("2026-03-02T15:30:00Z"), note: 'Lunch, "the usual"\nand a plan', participants: { create: [{ slackUserId: "U0KLAUS" }] } },
    });
    await p.deal.create({ data: { accountId: acme.id, ownerId: acme.ownerId, title: "Q2 media buy", amountCents: 12_345_678n, stage: "won", status: "won", wonAt: new Date("2026-03-05T12:00:00Z") } });
    const contact = await p.contact.create({ data: { accountId: acme.id, name: "Dana Client", nameKey: "dana client" } });
    await p.gift.create({
      data: { workspaceId: acme.workspaceId, accountId: acme.id, contactId: contact.id, userId: acme.ownerId, recipientName: "Dana Client", recipientKey: "dana client", amountCents: 9_950n, givenOn: "2026-03-06", description: "Book" },
    });

    const touches = await cli(["export", "touches"]);
    expect(touches.code).toBe(0);
    const [touch] = parse(touches.out.join("\n"), { columns: true }) as Record<string, string>[];
    expect(touch).toMatchObject({ occurred_at: "2026-03-02T15:30:00.000Z", kind: "meeting", account_name: "Acme Advertising Group", account_external_id: "sf:0015e00000Ab1Cd", user_slack_id: "U0JANE", note: 'Lunch, "the usual"\nand a plan', participants: "U0KLAUS", source: "command" });

    const dealsFile = join(tmp, "deals.json");
    expect((await cli(["export", "deals", "--out", dealsFile])).code).toBe(0);
    expect(JSON.parse(readFileSync(dealsFile, "utf8"))).toEqual([
      expect.objectContaining({ title: "Q2 media buy", amount: 123456.78, currency: "EUR", status: "won", won_at: "2026-03-05T12:00:00.000Z", lost_at: null, owner_email: "jane.doe@northwind-capital.com" }),
    ]);

    const gifts = await cli(["export", "gifts", "--format", "csv"]);
    const [gift] = parse(gifts.out.join("\n"), { columns: true }) as Record<string, string>[];
    expect(gift).toMatchObject({ given_on: "2026-03-06", kind: "gift", recipient_name: "Dana Client", contact_name: "Dana Client", amount: "99.50", currency: "EUR", over_limit: "false" });

    expect((await cli(["export", "contacts"])).code).toBe(2);
    expect((await cli(["export", "deals", "--format", "xml"])).code).toBe(2);
    const unknownWs = await cli(["export", "deals", "--workspace", "T0OTHER"]);
    expect(unknownWs.code).toBe(1);
    expect(unknownWs.err.join("\n")).toContain("There is no workspace T0OTHER in the database (known: T0TEST)");
  });
});
