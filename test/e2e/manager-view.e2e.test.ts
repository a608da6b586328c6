import { afterAll, beforeAll, expect, it } from "vitest";
import { describeEachProvider } from "../support/providers.js";
import { startSeededApp, textOf, type TestApp } from "../support/e2e-harness.js";
import type { User } from "../../src/db/repositories/user-repository.js";
import type { Workspace } from "../../src/db/repositories/workspace-repository.js";

// Mon Feb 16 2026, 12:00 in New York: Q1 FY2026, half its 64 business days done.
const NOW = new Date("2026-02-16T17:00:00Z");

describeEachProvider("the manager's view: /ae quota @rep and /ae followups @rep|team through Bolt [%s]", (provider) => {
  let t: TestApp;
  let ws: Workspace;
  let users: Record<string, User>;

  beforeAll(async () => {
    const seeded = await startSeededApp({
      provider,
      now: NOW,
      users: [
        { id: "UBOB", real_name: "Bob Brown", locale: "en-US" },
        { id: "UCAROL", real_name: "Carol Chen", locale: "en-US" },
        { id: "UDAN", real_name: "Dan Dunn", locale: "en-US" },
        { id: "UMGR", real_name: "Mia Manager", locale: "en-US" },
        { id: "UADMIN", real_name: "Ada Admin", locale: "en-US", is_admin: true },
        { id: "UBERND", real_name: "Bernd Bauer", tz: "Europe/Berlin", locale: "de-DE" },
      ],
      roles: { UMGR: "manager" },
    });
    t = seeded;
    ({ ws, users } = seeded);
    const prisma = t.database.db.prisma;
    // Mia manages Bob and Carol (and Bernd, who reads German); Dan is in no team of hers.
    const team = await prisma.team.create({ data: { workspaceId: ws.id, name: "East", nameKey: "east", managerId: users.UMGR!.id } });
    for (const u of ["UBOB", "UCAROL", "UBERND"]) await prisma.teamMember.create({ data: { teamId: team.id, userId: users[u]!.id } });
    await prisma.quota.upsert({
      where: { userId_periodType_periodStart: { userId: users.UBOB!.id, periodType: "quarter", periodStart: "2026-01-01" } },
      create: { userId: users.UBOB!.id, periodType: "quarter", periodStart: "2026-01-01", amountCents: 100_000_00n },
      update: {},
    });
    const bobAcme = await t.services.repos.accounts.create({ workspaceId: ws.id, ownerId: users.UBOB!.id, name: "Acme" });
    await prisma.deal.create({ data: { accountId: bobAcme.id, ownerId: users.UBOB!.id, amountCents: 20_000_00n, status: "won", stage: "won", wonAt: new Date("2026-01-28T18:00:00Z") } });
    await t.services.repos.compPlans.save({
      userId: users.UBOB!.id, baseSalaryCents: 0, commissionRate: 0.1, acceleratorMultiplier: 1, deceleratorThreshold: null,
      deceleratorMultiplier: null, bonuses: [], periodType: "quarter", effectiveFrom: "2026-01-01",
    });
    // Bob: 7 open follow-ups (2 overdue); Carol: 1; Bernd: none.
    for (let i = 0; i < 7; i++) {
      await t.services.repos.followUps.create({ accountId: bobAcme.id, userId: users.UBOB!.id, title: `Bob task ${i}`, dueAt: new Date(Date.UTC(2026, 1, 12 + i, 5)) });
    }
    const carolBeta = await t.services.repos.accounts.create({ workspaceId: ws.id, ownerId: users.UCAROL!.id, name: "Beta" });
    await t.services.repos.followUps.create({ accountId: carolBeta.id, userId: users.UCAROL!.id, title: "Carol task", dueAt: new Date("2026-02-20T05:00:00Z") });
  });
  afterAll(async () => t?.close());

  it("shows a manager their team member's quota view — numbers, not the commission", async () => {
    const text = textOf((await t.command("quota <@UBOB|bob>", "UMGR")).reply);
    expect(text).toContain("<@UBOB> · *Q1 FY2026* · Jan 1, 2026 – Mar 31, 2026");
    expect(text).toContain("Closed-won: *$20,000* — *20%* of quota.");
    expect(text).toContain("Behind pace by $30,000.");
    expect(text).not.toContain("commission");
    expect(text).not.toContain("No comp plan");
    // The period may come first or second.
    expect(textOf((await t.command("quota month <@UBOB|bob>", "UMGR")).reply)).toContain("<@UBOB> · *February 2026*");
    // Bob himself sees his commission, as always.
    expect(textOf((await t.command("quota", "UBOB")).reply)).toContain("Your commission");
  });

  it("lets an admin look at anyone; refuses a manager outside their team and a rep", async () => {
    expect(textOf((await t.command("quota <@UDAN|dan>", "UADMIN")).reply)).toContain("<@UDAN> · *Q1 FY2026*");
    const outside = textOf((await t.command("quota <@UDAN|dan>", "UMGR")).reply);
    expect(outside).toContain("outside the teams you manage");
    expect(outside).toContain("Nothing was changed.");
    const rep = textOf((await t.command("quota <@UCAROL|carol>", "UBOB")).reply);
    expect(rep).toContain("Nothing was changed.");
    expect(rep).not.toContain("Q1 FY2026");
    const repFollowUps = textOf((await t.command("followups <@UCAROL|carol>", "UBOB")).reply);
    expect(repFollowUps).not.toContain("Carol task");
    expect(repFollowUps).toContain("Nothing was changed.");
    expect(textOf((await t.command("followups team", "UBOB")).reply)).toContain("Only managers and admins can do that.");
  });

  it("explains an unknown person and a word that is neither a period nor a mention, with an example", async () => {
    const unknown = textOf((await t.command("quota <@UNOBODY|ghost>", "UADMIN")).reply);
    expect(unknown).toContain("I don't know <@UNOBODY> here yet");
    expect(unknown).toContain("/ae quota @dana quarter");
    const word = textOf((await t.command("quota bob", "UMGR")).reply);
    expect(word).toContain("I don't know the period “bob”");
    expect(word).toContain("@-mention them");
    expect(textOf((await t.command("quota <@UBOB|bob> <@UCAROL|carol>", "UMGR")).reply)).toContain("Mention one person at a time.");
    expect(textOf((await t.command("followups <@UNOBODY|ghost>", "UMGR")).reply)).toContain("I don't know <@UNOBODY> here yet");
  });

  it("shows a manager one rep's open follow-ups, read-only, with More for the next page", async () => {
    const { reply } = await t.command("followups <@UBOB|bob>", "UMGR");
    const text = textOf(reply);
    expect(text).toContain("*Open follow-ups of <@UBOB>* 1–7 of 7, overdue first:");
    expect(text).toContain("Bob task 0");
    expect(JSON.stringify(reply)).not.toContain("followup_done_list");
    expect(textOf((await t.command("followups <@UDAN|dan>", "UADMIN")).reply)).toContain("<@UDAN> has no open follow-ups.");
  });

  it("shows a manager the whole team's follow-ups grouped by person, a section each", async () => {
    const { reply } = await t.command("followups team", "UMGR");
    const text = textOf(reply);
    expect(text).toContain("*Your team's open follow-ups* — people 1–3 of 3, by name:");
    expect(text).toContain("*<@UBOB>* — 7 open · :red_circle: 4 overdue");
    expect(text).toContain("…and 2 more: `/ae followups <@UBOB>`");
    expect(text).toContain("*<@UCAROL>* — 1 open");
    expect(text).toContain("Carol task");
    expect(text).toContain("*<@UBERND>* — no open follow-ups");
    expect(text).not.toContain("Bob task 5");
    // Bernd is listed by name order: Bernd, Bob, Carol.
    expect(text.indexOf("UBERND")).toBeLessThan(text.indexOf("UBOB"));
    const blocks = (reply as { blocks?: unknown[] }).blocks ?? [];
    expect(blocks.length).toBe(4);
    // An admin with no team of their own is told how to name someone.
    expect(textOf((await t.command("followups team", "UADMIN")).reply)).toContain("You don't manage a team with members yet.");
    expect(textOf((await t.command("followups team extra", "UMGR")).reply)).toContain("I didn't understand that.");
  });
});
