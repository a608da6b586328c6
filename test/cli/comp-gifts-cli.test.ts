import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { runCli } from "../../src/cli/main.js";
import { giftPurgeOn } from "../../src/domain/retention.js";
import { localDateOf } from "../../src/domain/time.js";
import type { CliIo } from "../../src/cli/cli-command.js";
import { CompPlanRepository } from "../../src/db/repositories/comp-plan-repository.js";
import { describeEachProvider } from "../support/providers.js";
import { createTestDatabase, type TestDatabase } from "../support/test-database.js";
import { seedAccount, seedUser, seedWorkspace } from "../support/deals-fixtures.js";

function captured(url: string): CliIo & { lines: string[]; errors: string[] } {
  const lines: string[] = [];
  const errors: string[] = [];
  return { lines, errors, out: (l) => lines.push(l), err: (l) => errors.push(l), env: { DATABASE_URL: url } };
}

describeEachProvider("ae-assistant comp and gifts [%s]", (provider) => {
  let tdb: TestDatabase;
  let dir: string;
  beforeAll(async () => {
    tdb = await createTestDatabase(provider);
    dir = mkdtempSync(join(tmpdir(), "ae-cli-"));
    const ws = await seedWorkspace(tdb.db, { timezone: "America/New_York" });
    await tdb.db.prisma.workspace.update({ where: { id: ws.id }, data: { slackTeamId: "TCLI", name: "Acme Sales" } });
    const alice = await seedUser(tdb.db, ws, "UALICE", { name: "Alice Adams" });
    const bob = await seedUser(tdb.db, ws, "UBOB", { name: "Bob, Jr." });
    const acme = await seedAccount(tdb.db, ws, alice, "Acme Corp");
    const bobco = await seedAccount(tdb.db, ws, bob, 'Bob "The Builder" Co');
    const gift = (data: { accountId: number; userId: number; kind?: string; recipientName: string; amountCents: bigint; givenOn: string; description: string; overLimit?: boolean; overrideReason?: string | null }) =>
      tdb!.db.prisma.gift.create({ data: { workspaceId: ws.id, recipientKey: data.recipientName.toLowerCase(), kind: "gift", ...data } });
    await gift({ accountId: acme.id, userId: alice.id, recipientName: "John Doe", amountCents: 12_000n, givenOn: "2026-01-15", description: "Wine, red" });
    await gift({ accountId: bobco.id, userId: bob.id, kind: "entertainment", recipientName: "Jane Roe", amountCents: 25_050n, givenOn: "2026-03-02", description: "Dinner\nand a show" });
    await gift({ accountId: acme.id, userId: alice.id, recipientName: "John Doe", amountCents: 20_000n, givenOn: "2026-06-10", description: "=SUM(A1:A9)", overLimit: true, overrideReason: 'Approved: "retirement"' });
    await gift({ accountId: acme.id, userId: alice.id, recipientName: "Old Gift", amountCents: 5_000n, givenOn: "2025-12-31", description: "Last year" });
  });
  afterAll(async () => {
    await tdb?.drop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("sets and shows a comp plan", async () => {
    const io = captured(tdb.url);
    const code = await runCli(
      ["comp", "set", "--user", "UALICE", "--base", "120k", "--rate", "0.1", "--accelerator", "1.5", "--decelerator-below", "0.5", "--decelerator", "0.5", "--bonus", "1.0:5000", "--bonus", "1.2:10000", "--period", "quarter", "--from", "2026-01-01"],
      io,
    );
    expect(io.errors).toEqual([]);
    expect(code).toBe(0);
    expect(io.lines[0]).toBe("Comp plan saved for Alice Adams (UALICE):");
    const user = await tdb.db.prisma.user.findFirstOrThrow({ where: { slackUserId: "UALICE" } });
    expect(await new CompPlanRepository(tdb.db.prisma).current(user.id, "2026-02-01")).toMatchObject({
      baseSalaryCents: 120_000_00, commissionRate: 0.1, acceleratorMultiplier: 1.5, deceleratorThreshold: 0.5, deceleratorMultiplier: 0.5,
      bonuses: [{ attainment: 1, amountCents: 5_000_00 }, { attainment: 1.2, amountCents: 10_000_00 }], periodType: "quarter", effectiveFrom: "2026-01-01",
    });
    // Setting again for the same start date replaces the plan.
    expect(await runCli(["comp", "set", "--user", "UALICE", "--rate", "0.12", "--from", "2026-01-01"], captured(tdb.url))).toBe(0);
    const show = captured(tdb.url);
    expect(await runCli(["comp", "show", "--user", "UALICE"], show)).toBe(0);
    expect(show.lines).toEqual([
      "Comp plans for Alice Adams (UALICE), newest first:",
      "* current",
      "  period: quarter, effective from 2026-01-01",
      "  base salary: 0.00 USD",
      "  commission rate: 0.12",
      "  accelerator above 100% of quota: 1x",
      "  decelerator: none",
      "  bonuses: none",
    ]);
  });

  it.each([
    [["comp", "set", "--rate", "0.1"], "--user <slack user id> is required."],
    [["comp", "set", "--user", "UALICE"], "--rate is required"],
    [["comp", "set", "--user", "UALICE", "--rate", "2"], "--rate must be a number ≥ 0 and ≤ 1"],
    [["comp", "set", "--user", "UALICE", "--rate", "0.1", "--decelerator", "0.5"], "--decelerator-below and --decelerator go together."],
    [["comp", "set", "--user", "UALICE", "--rate", "0.1", "--bonus", "lots"], "--bonus \"lots\" must look like 1.0:5000"],
    [["comp", "set", "--user", "UNOBODY", "--rate", "0.1"], "No user UNOBODY"],
    [["comp", "set", "--user", "UALICE", "--rate", "0.1", "--colour", "red"], "Unknown option '--colour'"],
    [["comp", "fly"], 'Unknown comp subcommand "fly".'],
    [["gifts", "export"], "--year YYYY is required"],
    [["gifts", "settings", "--year", "lunar"], "--year must be calendar or rolling"],
  ])("%j fails with exit code 2 and the usage", async (argv, message) => {
    const io = captured(tdb.url);
    expect(await runCli(argv, io)).toBe(2);
    expect(io.errors[0]).toContain(message);
    expect(io.errors.join("\n")).toContain("Usage:");
  });

  it("sets the firm gift limit and year mode", async () => {
    const io = captured(tdb.url);
    expect(await runCli(["gifts", "settings", "--limit", "250", "--year", "rolling"], io)).toBe(0);
    expect(io.lines).toContain("  firm limit per recipient per year: 250.00 USD");
    expect(io.lines).toContain("  year: rolling 12 months");
    const ws = await tdb.db.prisma.workspace.findUniqueOrThrow({ where: { slackTeamId: "TCLI" } });
    expect(ws).toMatchObject({ giftLimitCents: 25_000n, giftYearMode: "rolling" });
    expect(await runCli(["gifts", "settings", "--limit", "none", "--year", "calendar", "--team", "TCLI"], captured(tdb.url))).toBe(0);
    expect(await tdb.db.prisma.workspace.findUniqueOrThrow({ where: { slackTeamId: "TCLI" } })).toMatchObject({ giftLimitCents: null, giftYearMode: "calendar" });
  });

  it("exports the year's gifts and entertainment as RFC 4180 CSV for compliance", async () => {
    const file = join(dir, "out", `gifts-${provider}.csv`);
    const io = captured(tdb.url);
    expect(await runCli(["gifts", "export", "--year", "2026", "--out", file], io)).toBe(0);
    expect(io.lines).toEqual([`Wrote 3 gift and entertainment record(s) for 2026 to ${file}.`]);
    const csv = readFileSync(file, "utf8");
    const gifts = await tdb.db.prisma.gift.findMany({ where: { givenOn: { gte: "2026-01-01" } }, orderBy: [{ givenOn: "asc" }, { id: "asc" }] });
    // The compliance columns after the first ten: the entry's number, its corrections (none here),
    // restriction (none), and the day it may be purged: six years after it was given or recorded.
    const zone = (await tdb.db.prisma.workspace.findUniqueOrThrow({ where: { slackTeamId: "TCLI" } })).timezone;
    const tail = (i: number) => {
      const g = gifts[i]!;
      // Recorded today in the workspace's zone, after the day given: six years from today.
      const recorded = localDateOf(g.createdAt, zone);
      return `,${g.id},,,,no,,${giftPurgeOn(g.givenOn, recorded, 6)}`;
    };
    const header = "date,rep,account,recipient,kind,amount,currency,description,over_limit,override_reason,entry,corrects_entry,corrected_by_entry,correction_reason,restricted,restriction_reason,purge_on";
    expect(csv).toBe(
      [
        header,
        `2026-01-15,Alice Adams (UALICE),Acme Corp,John Doe,gift,120.00,USD,"Wine, red",no,${tail(0)}`,
        `2026-03-02,"Bob, Jr. (UBOB)","Bob ""The Builder"" Co",Jane Roe,entertainment,250.50,USD,"Dinner\nand a show",no,${tail(1)}`,
        `2026-06-10,Alice Adams (UALICE),Acme Corp,John Doe,gift,200.00,USD,'=SUM(A1:A9),yes,"Approved: ""retirement"""${tail(2)}`,
        "",
      ].join("\r\n"),
    );
    const stdout = captured(tdb.url);
    expect(await runCli(["gifts", "export", "--year", "2025"], stdout)).toBe(0);
    expect(stdout.lines).toHaveLength(1);
    expect(stdout.lines[0]).toMatch(new RegExp(`^${header}\\r\\n2025-12-31,Alice Adams \\(UALICE\\),Acme Corp,Old Gift,gift,50.00,USD,Last year,no,,\\d+,,,,no,,\\d{4}-\\d\\d-\\d\\d$`));
  });
});
