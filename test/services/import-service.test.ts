import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { webApi } from "@slack/bolt";
import { afterAll, afterEach, beforeAll, beforeEach, expect, it } from "vitest";
import { WorkspaceRepository } from "../../src/db/repositories/workspace-repository.js";
import { ImportError, ImportService, type ImportOptions, type ImportReport } from "../../src/services/import-service.js";
import { slackUserDirectory } from "../../src/slack/slack-directory.js";
import { CRM_OWNERS, IMPORT_FIXTURES } from "../support/crm-owners.js";
import { startFakeSlack, type FakeSlack } from "../support/fake-slack.js";
import { describeEachProvider } from "../support/providers.js";
import { createTestDatabase, type TestDatabase } from "../support/test-database.js";

const SF = join(IMPORT_FIXTURES, "salesforce-accounts.csv");
const HS_COMPANIES = join(IMPORT_FIXTURES, "hubspot-companies.csv");
const HS_CONTACTS = join(IMPORT_FIXTURES, "hubspot-contacts.csv");

const counts = (r: ImportReport) => ({ created: r.created, updated: r.updated, unchanged: r.unchanged, skipped: r.skipped, rows: r.rows });
const lines = (r: ImportReport) => r.problems.map((p) => p.line);

describeEachProvider("CRM import service [%s]", (provider) => {
  let fake: FakeSlack;
  let t: TestDatabase;
  let service: ImportService;
  let workspaceId: number;
  let tmp: string;

  beforeAll(async () => {
    fake = await startFakeSlack({ users: CRM_OWNERS });
  });
  afterAll(async () => fake.close());

  beforeEach(async () => {
    t = await createTestDatabase(provider);
    const client = new webApi.WebClient("xoxb-test", { slackApiUrl: fake.apiUrl, logLevel: webApi.LogLevel.ERROR });
    service = new ImportService(t.db.prisma, slackUserDirectory(client, "America/New_York"), "America/New_York");
    workspaceId = (await new WorkspaceRepository(t.db.prisma).ensure("T0TEST", { timezone: "America/New_York" })).id;
    tmp = mkdtempSync(join(tmpdir(), "ae-import-"));
    fake.reset();
  });
  afterEach(async () => {
    await t?.drop();
    rmSync(tmp, { recursive: true, force: true });
  });

  const run = (file: string, opts: Partial<ImportOptions> = {}) => service.importFile(file, { workspaceId, dryRun: false, ...opts });
  const accounts = () => t!.db.prisma.account.findMany({ orderBy: { id: "asc" }, include: { owner: true } });

  it("imports a Salesforce account export: owners by email, tiers, revenue, bad rows by line", async () => {
    const report = await run(SF);
    expect(report.format).toEqual({ provider: "salesforce", kind: "accounts" });
    expect(report.delimiter).toBe(",");
    expect(report.recognised.map((c) => `${c.header}=${c.field}`)).toEqual([
      "Account ID=externalId",
      "Account Name=name",
      "Account Owner=owner",
      "Account Owner Email=ownerEmail",
      "Industry=industry",
      "Annual Revenue=annualRevenue",
      "Account Rating=tier",
    ]);
    expect(report.ignored).toEqual(["Type", "Billing City", "Billing Country", "Description"]);
    expect(counts(report)).toEqual({ created: 23, updated: 0, unchanged: 0, skipped: 7, rows: 30 });
    // Line numbers are the file's: the quoted two-line description on lines 4–5 shifts later rows.
    expect(report.problems).toEqual([
      { line: 8, reason: "no account name" },
      { line: 9, reason: 'annual revenue "abc" is not an amount' },
      { line: 10, reason: expect.stringContaining("owner robert.old@northwind-capital.com is not a member of this Slack workspace") },
      { line: 14, reason: "duplicate of line 3 (same id sf:0015e00000Ab1Ce)" },
      { line: 20, reason: expect.stringContaining("owner tom.left@northwind-capital.com is deactivated in Slack") },
      { line: 27, reason: 'annual revenue "-500000" is negative' },
      { line: 30, reason: 'owner email "jane.doe(at)northwind-capital.com" is not an email address' },
    ]);
    expect(report.ownersNotFound.sort()).toEqual(["robert.old@northwind-capital.com", "tom.left@northwind-capital.com"]);

    const rows = await accounts();
    expect(rows).toHaveLength(23);
    const byName = new Map(rows.map((a) => [a.name, a]));
    const mueller = byName.get("Müller Pharma GmbH")!;
    expect(mueller).toMatchObject({ externalId: "sf:0015e00000Ab1Cf", tier: "key", industry: "Pharmaceuticals", kind: "company", nameKey: "muller pharma gmbh" });
    expect(Number(mueller.annualValueCents)).toBe(8_500_000_000);
    expect(mueller.owner).toMatchObject({ slackUserId: "U0KLAUS", email: "klaus.berger@northwind-capital.com", timezone: "Europe/Berlin", locale: "de-DE" });
    expect(Number(byName.get("Meridian Financial Partners")!.annualValueCents)).toBe(1_200_000_000);
    expect(byName.get("Meridian Financial Partners")!.tier).toBe("growth");
    expect(byName.get("Brightline Media")!.tier).toBe("standard");
    expect(byName.get("Oakmont Asset Management")!.tier).toBe("standard");
    expect(Number(byName.get("Zürich Re Advisory AG")!.annualValueCents)).toBe(125_000_000_000);
    expect(Number(byName.get("Apex Pharma Distribution")!.annualValueCents)).toBe(340_000_000);
    expect(byName.has("Pacific Rim Brands, Inc.")).toBe(true);
    expect(byName.has('The "Quoted" Agency')).toBe(true);
    expect(byName.get("Sakura Life Sciences 株式会社")!.owner.slackUserId).toBe("U0PRIYA");
    expect(byName.get("Brightline Media")!.owner.slackUserId).toBe("U0MARCUS"); // email matched case-insensitively
    const users = await t.db.prisma.user.findMany({ orderBy: { slackUserId: "asc" } });
    expect(users.map((u) => u.slackUserId)).toEqual(["U0JANE", "U0KLAUS", "U0MARCUS", "U0PRIYA"]);
    // One lookup per distinct email, however many rows share it.
    expect(fake.callsTo("users.lookupByEmail")).toHaveLength(6);
  });

  it("re-importing the same file changes nothing", async () => {
    await run(SF);
    const before = await accounts();
    const again = await run(SF);
    expect(counts(again)).toEqual({ created: 0, updated: 0, unchanged: 23, skipped: 7, rows: 30 });
    expect(again.changes).toEqual([]);
    const after = await accounts();
    expect(after.map((a) => [a.id, a.updatedAt.toISOString()])).toEqual(before.map((a) => [a.id, a.updatedAt.toISOString()]));
  });

  it("a dry run reports the same counts and changes and writes nothing", async () => {
    const dry = await run(SF, { dryRun: true });
    expect(counts(dry)).toEqual({ created: 23, updated: 0, unchanged: 0, skipped: 7, rows: 30 });
    expect(dry.ownersAdded.sort()).toEqual([
      "jane.doe@northwind-capital.com",
      "klaus.berger@northwind-capital.com",
      "marcus.lee@northwind-capital.com",
      "priya.shah@northwind-capital.com",
    ]);
    expect(await t.db.prisma.account.count()).toBe(0);
    expect(await t.db.prisma.user.count()).toBe(0);

    const real = await run(SF);
    expect(counts(real)).toEqual(counts(dry));
    expect(real.problems).toEqual(dry.problems);
    expect(real.changes.map((c) => [c.line, c.action, c.externalId])).toEqual(dry.changes.map((c) => [c.line, c.action, c.externalId]));

    const dryAgain = await run(SF, { dryRun: true });
    expect(counts(dryAgain)).toEqual({ created: 0, updated: 0, unchanged: 23, skipped: 7, rows: 30 });
  });

  it("a changed row updates only its changed fields and never what was entered in the app", async () => {
    await run(SF);
    const acme = (await accounts()).find((a) => a.name === "Acme Advertising Group")!;
    const jane = acme.owner;
    // Work done in the app meanwhile: a touch, a follow-up, a snooze, and a tier the rep set.
    const touchedAt = new Date("2026-03-02T15:00:00Z");
    await t.db.prisma.touch.create({ data: { accountId: acme.id, userId: jane.id, kind: "call", occurredAt: touchedAt } });
    await t.db.prisma.followUp.create({ data: { accountId: acme.id, userId: jane.id, title: "Send the Q2 media plan", dueAt: new Date("2026-03-09T05:00:00Z") } });
    const snooze = new Date("2026-04-01T00:00:00Z");
    await t.db.prisma.account.update({ where: { id: acme.id }, data: { lastTouchAt: touchedAt, snoozedUntil: snooze } });

    const edited = join(tmp, "salesforce-accounts.csv");
    const text = readFileSync(SF, "utf8")
      .replace('"Acme Advertising Group","Jane Doe","jane.doe@northwind-capital.com","Customer - Direct","Advertising","2500000"', '"Acme Advertising Group","Priya Shah","priya.shah@northwind-capital.com","Customer - Direct","Advertising","2750000"')
      .replace('"Copperleaf Digital","Marcus Lee","marcus.lee@northwind-capital.com","Prospect","Advertising","2100000",""', '"Copperleaf Digital","Marcus Lee","marcus.lee@northwind-capital.com","Prospect","Media","","Warm"');
    writeFileSync(edited, text);

    const dry = await run(edited, { dryRun: true });
    expect(counts(dry)).toEqual({ created: 0, updated: 2, unchanged: 21, skipped: 7, rows: 30 });
    expect(dry.changes.map((c) => [c.line, c.name, c.details])).toEqual([
      [2, "Acme Advertising Group", ["annual revenue 2,500,000.00 → 2,750,000.00", "owner → U0PRIYA (priya.shah@northwind-capital.com)"]],
      // An empty revenue cell never erases the value.
      [29, "Copperleaf Digital", ['industry "Advertising" → "Media"', "tier standard → growth"]],
    ]);
    const report = await run(edited);
    expect(counts(report)).toEqual(counts(dry));

    const after = await t.db.prisma.account.findUniqueOrThrow({ where: { id: acme.id }, include: { owner: true, touches: true, followUps: true } });
    expect(Number(after.annualValueCents)).toBe(275_000_000);
    expect(after.owner.slackUserId).toBe("U0PRIYA");
    expect(after).toMatchObject({ tier: "key", industry: "Advertising", lastTouchAt: touchedAt, snoozedUntil: snooze });
    expect(after.touches).toHaveLength(1);
    expect(after.followUps.map((f) => f.title)).toEqual(["Send the Q2 media plan"]);
    const copperleaf = (await accounts()).find((a) => a.name === "Copperleaf Digital")!;
    expect(copperleaf).toMatchObject({ industry: "Media", tier: "growth" });
    expect(Number(copperleaf.annualValueCents)).toBe(210_000_000);
  });

  it("--owner takes the rows whose owner Slack does not know; an account made in the app is linked, not duplicated", async () => {
    const fallback = await service.resolveOwner(workspaceId, "U0SALLY", false);
    expect(fallback).toMatchObject({ slackUserId: "U0SALLY" });
    // Jane typed this account into the app before the CRM import.
    const jane = await t.db.prisma.user.create({ data: { workspaceId, slackUserId: "U0JANE", timezone: "America/New_York", email: "jane.doe@northwind-capital.com" } });
    const typed = await t.db.prisma.account.create({ data: { workspaceId, ownerId: jane.id, name: "harborview bank", nameKey: "harborview bank" } });

    const report = await run(SF, { fallbackOwner: fallback! });
    expect(counts(report)).toEqual({ created: 24, updated: 1, unchanged: 0, skipped: 5, rows: 30 });
    expect(lines(report)).toEqual([8, 9, 14, 27, 30]);
    const rows = await accounts();
    expect(rows.find((a) => a.name === "Summit Ridge Wealth")!.owner.slackUserId).toBe("U0SALLY");
    expect(rows.find((a) => a.name === "Blue Harbor Advertising")!.owner.slackUserId).toBe("U0SALLY");
    const linked = rows.find((a) => a.id === typed.id)!;
    expect(linked).toMatchObject({ externalId: "sf:0015e00000Ab1Cr", name: "Harborview Bank", tier: "key" });
    expect(rows.filter((a) => a.nameKey === "harborview bank")).toHaveLength(1);
    expect(report.changes.find((c) => c.line === 18)?.details[0]).toBe(`linked to account #${typed.id} created in the app`);

    const again = await run(SF, { fallbackOwner: fallback! });
    expect(counts(again)).toEqual({ created: 0, updated: 0, unchanged: 25, skipped: 5, rows: 30 });
  });

  it("imports a HubSpot company export saved by German Excel: BOM, semicolons, German amounts", async () => {
    const report = await run(HS_COMPANIES);
    expect(report.format).toEqual({ provider: "hubspot", kind: "accounts" });
    expect(report.delimiter).toBe(";");
    expect(report.recognised.map((c) => c.header)).toEqual(["Record ID", "Company name", "Company owner", "Company Owner Email", "Industry", "Annual Revenue", "Ideal Customer Profile Tier"]);
    expect(counts(report)).toEqual({ created: 8, updated: 0, unchanged: 0, skipped: 4, rows: 12 });
    expect(report.problems).toEqual([
      { line: 6, reason: "no account name" },
      { line: 7, reason: 'annual revenue "n/a" is not an amount' },
      { line: 8, reason: expect.stringContaining('no owner email: the owner column says "Klaus Berger"') },
      { line: 13, reason: expect.stringContaining("owner lars.petersen@northwind-capital.com is not a member of this Slack workspace") },
    ]);
    const byName = new Map((await accounts()).map((a) => [a.name, a]));
    expect(byName.get("Kühne Werbeagentur GmbH")).toMatchObject({ externalId: "hs:9876543210", tier: "key", industry: "Advertising" });
    expect(Number(byName.get("Kühne Werbeagentur GmbH")!.annualValueCents)).toBe(320_000_000);
    expect(Number(byName.get("Harbourview Capital")!.annualValueCents)).toBe(1_250_000_000);
    expect(Number(byName.get("Pharmacia Nord AB")!.annualValueCents)).toBe(775_000_050);
    expect(byName.get("Ålesund Sparebank")!.tier).toBe("growth");
    expect(byName.get("Pharmacia Nord AB")!.tier).toBe("standard");
    expect(byName.get("São Paulo Investimentos Ltda.")!.tier).toBe("standard");
    expect(byName.get("Atelier Lumière SARL")!.owner.slackUserId).toBe("U0MARCUS");
    expect(counts(await run(HS_COMPANIES))).toEqual({ created: 0, updated: 0, unchanged: 8, skipped: 4, rows: 12 });
  });

  it("imports HubSpot contacts onto their companies; without a company a contact becomes an individual account", async () => {
    await run(HS_COMPANIES);
    const first = await run(HS_CONTACTS);
    expect(first.format).toEqual({ provider: "hubspot", kind: "contacts" });
    expect(counts(first)).toEqual({ created: 5, updated: 0, unchanged: 0, skipped: 7, rows: 12 });
    expect(first.problems).toEqual([
      { line: 6, reason: expect.stringContaining('no owner email: the owner column says "Jane Doe"') },
      { line: 7, reason: expect.stringContaining('no owner email: the owner column says "Klaus Berger"') },
      { line: 8, reason: "no contact name or email" },
      { line: 9, reason: 'email "yuki.tanaka@" is not an email address' },
      { line: 10, reason: expect.stringContaining('company "NovaPharma Ltd" is not in the app yet and no owner email') },
      { line: 11, reason: expect.stringContaining('company "NovaPharma Ltd" is not in the app yet and no owner email') },
      { line: 12, reason: "duplicate of line 2 (same id hs:501)" },
    ]);
    const harbourview = await t.db.prisma.account.findFirstOrThrow({ where: { externalId: "hs:9876543211" }, include: { contacts: { orderBy: { name: "asc" } } } });
    expect(harbourview.contacts.map((c) => [c.name, c.title, c.externalId])).toEqual([
      ["Liam O'Brien", "Chief Financial Officer", "hs:502"],
      ["Sofía García", "Portfolio Manager", "hs:503"],
      ["Zoë Dubois", "Analyst, Private Markets (secondment from Paris)", "hs:511"],
    ]);

    const fallback = await service.resolveOwner(workspaceId, "jane.doe@northwind-capital.com", false);
    const second = await run(HS_CONTACTS, { fallbackOwner: fallback! });
    expect(counts(second)).toEqual({ created: 4, updated: 0, unchanged: 5, skipped: 3, rows: 12 });
    expect(second.accountsCreatedForContacts).toBe(3);
    const margaret = await t.db.prisma.account.findFirstOrThrow({ where: { externalId: "hs:505" }, include: { contacts: true, owner: true } });
    expect(margaret).toMatchObject({ name: "Margaret Chen", kind: "individual", owner: { slackUserId: "U0JANE" } });
    expect(margaret.contacts.map((c) => [c.name, c.email, c.phone])).toEqual([["Margaret Chen", "margaret.chen@gmail.com", "+1 415 555 0199"]]);
    const nova = await t.db.prisma.account.findMany({ where: { nameKey: "novapharma ltd" }, include: { contacts: { orderBy: { name: "asc" } } } });
    expect(nova).toHaveLength(1);
    expect(nova[0]!.contacts.map((c) => c.name)).toEqual(["Noah Williams", "Olivia Brown"]);

    const third = await run(HS_CONTACTS, { fallbackOwner: fallback! });
    expect(counts(third)).toEqual({ created: 0, updated: 0, unchanged: 9, skipped: 3, rows: 12 });
  });

  it("a hand-made CSV without ids: stable hashed ids, a stray delimiter and a broken quote reported by line", async () => {
    const file = join(tmp, "book.csv");
    writeFileSync(
      file,
      Buffer.from(
        "Company,Owner Email,Tier\r\n" +
          "Acme Corp,jane.doe@northwind-capital.com,A\r\n" +
          "Globex,jane.doe@northwind-capital.com,B,extra\r\n" +
          "M\xfcller AG,klaus.berger@northwind-capital.com,C\r\n" +
          '"Initech,jane.doe@northwind-capital.com,A\r\n' +
          "Hooli,jane.doe@northwind-capital.com,A\r\n",
        "latin1",
      ),
    );
    const first = await run(file);
    expect(first.encoding).toBe("windows-1252");
    expect(first.format).toEqual({ provider: "csv", kind: "accounts" });
    expect(counts(first)).toEqual({ created: 2, updated: 0, unchanged: 0, skipped: 2, rows: 4 });
    expect(first.problems).toEqual([
      { line: 3, reason: 'has 4 fields but the header has 3 (a value with an unquoted ","?)' },
      { line: 5, reason: "a quoted field opened on this line is never closed, so lines 5–6 could not be read" },
    ]);
    const rows = await accounts();
    expect(rows.map((a) => [a.name, a.tier, a.externalId?.slice(0, 5)])).toEqual([
      ["Acme Corp", "key", "hash:"],
      ["Müller AG", "standard", "hash:"],
    ]);
    expect(counts(await run(file))).toEqual({ created: 0, updated: 0, unchanged: 2, skipped: 2, rows: 4 });
  });

  it("refuses a file it cannot use, with a clear reason", async () => {
    await expect(run(join(tmp, "missing.csv"))).rejects.toThrow(/there is no such file/);
    const noName = join(tmp, "no-name.csv");
    writeFileSync(noName, "Industry,Annual Revenue\nBanking,100\n");
    await expect(run(noName)).rejects.toThrow(ImportError);
    await expect(run(noName)).rejects.toThrow(/no column holds the account name/);
    const empty = join(tmp, "empty.csv");
    writeFileSync(empty, "");
    await expect(run(empty)).rejects.toThrow(/is empty/);
    const xlsx = join(tmp, "accounts.xlsx");
    writeFileSync(xlsx, Buffer.from([0x50, 0x4b, 0x03, 0x04, 0, 0, 0]));
    await expect(run(xlsx)).rejects.toThrow(/Excel workbook/);
    copyFileSync(SF, join(tmp, "ok.csv"));
    expect((await run(join(tmp, "ok.csv"), { dryRun: true })).created).toBe(23);
  });
});
