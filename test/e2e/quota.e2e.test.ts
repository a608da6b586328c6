import { afterAll, beforeAll, expect, it } from "vitest";
import { describeEachProvider } from "../support/providers.js";
import { startSeededApp, textOf, type TestApp } from "../support/e2e-harness.js";
import type { User } from "../../src/db/repositories/user-repository.js";
import type { Workspace } from "../../src/db/repositories/workspace-repository.js";

// Mon Feb 16 2026, 12:00 in New York (the workspace zone). Q1 FY2026 has 64 business days
// (Jan 22 + Feb 20 + Mar 22); the 32 before today are over, so the elapsed share is exactly 0.5.
const NOW = new Date("2026-02-16T17:00:00Z");

describeEachProvider("/ae quota through Bolt [%s]", (provider) => {
  let t: TestApp;
  let ws: Workspace;
  let users: Record<string, User>;

  async function wonDeal(owner: User, cents: number, wonAt: Date): Promise<void> {
    const account = await t!.services.repos.accounts.create({ workspaceId: ws.id, ownerId: owner.id, name: `Account ${owner.slackUserId} ${cents}` });
    await t!.database.db.prisma.deal.create({ data: { accountId: account.id, ownerId: owner.id, amountCents: BigInt(cents), status: "won", stage: "won", wonAt } });
  }

  beforeAll(async () => {
    const seeded = await startSeededApp({
      provider,
      now: NOW,
      users: [
        { id: "UALICE", real_name: "Alice Adams", tz: "America/Los_Angeles", locale: "en-US" },
        { id: "UBOB", real_name: "Bob Brown", locale: "en-US" },
        { id: "UCAROL", real_name: "Carol Chen", locale: "en-US" },
        { id: "UMGR", real_name: "Mia Manager", locale: "en-US" },
        { id: "UADMIN", real_name: "Ada Admin", locale: "en-US", is_admin: true },
        { id: "UBERND", real_name: "Bernd Bauer", tz: "Europe/Berlin", locale: "de-DE" },
      ],
      roles: { UMGR: "manager" },
    });
    t = seeded;
    ({ ws, users } = seeded);
    const team = await t.database.db.prisma.team.create({ data: { workspaceId: ws.id, name: "East", nameKey: "east", managerId: users.UMGR!.id } });
    await t.database.db.prisma.teamMember.create({ data: { teamId: team.id, userId: users.UBOB!.id } });
    await wonDeal(users.UALICE!, 70_000_00, new Date("2026-02-03T18:00:00Z"));
    await wonDeal(users.UALICE!, 9_999_00, new Date("2025-12-20T18:00:00Z")); // last quarter: not counted
    await wonDeal(users.UBOB!, 20_000_00, new Date("2026-01-28T18:00:00Z"));
  });
  afterAll(async () => t?.close());

  const quotaRows = () => t!.database.db.prisma.quota.findMany({ orderBy: { id: "asc" } });

  it("refuses a rep setting a quota, and says why", async () => {
    const { reply } = await t.command("quota set <@UBOB|bob> 100k quarter", "UALICE");
    expect(textOf(reply)).toContain("Only managers and admins can do that.");
    expect(textOf(reply)).toContain("Nothing was changed.");
    expect(await quotaRows()).toHaveLength(0);
  });

  it("lets a manager set their team member's quota, but not someone outside the team", async () => {
    const { reply } = await t.command("quota set <@UBOB|bob> 100k quarter", "UMGR");
    expect(textOf(reply)).toContain("Quota for <@UBOB> for Q1 FY2026: $100,000.");
    expect(await quotaRows()).toMatchObject([{ userId: users.UBOB!.id, periodType: "quarter", periodStart: "2026-01-01", amountCents: 10_000_000n, rampFactor: 1, setById: users.UMGR!.id }]);
    const outside = await t.command("quota set <@UALICE|alice> 100k quarter", "UMGR");
    expect(textOf(outside.reply)).toContain("outside the teams you manage");
    expect(await quotaRows()).toHaveLength(1);
  });

  it("lets an admin set anyone's quota, with a ramp", async () => {
    expect(textOf((await t.command("quota set <@UALICE|alice> $100,000 quarter", "UADMIN")).reply)).toContain("Quota for <@UALICE> for Q1 FY2026: $100,000.");
    const ramped = await t.command("quota set <@UCAROL|carol> 80k quarter ramp:0.5", "UADMIN");
    expect(textOf(ramped.reply)).toContain("$80,000 (ramp 50%: effective $40,000)");
    expect((await quotaRows()).map((q) => q.userId)).toEqual([users.UBOB!.id, users.UALICE!.id, users.UCAROL!.id]);
  });

  it.each([
    ["quota set", "whose quota"],
    ["quota set me", "Tell me the quota amount"],
    ["quota set <@UBOB|bob> lots quarter", "isn't an amount"],
    ["quota set <@UBOB|bob> 10k fortnight", "month, quarter or year"],
    ["quota set <@UBOB|bob> 10k quarter ramp:2", "at most 1"],
  ])("rejects %s with an example", async (command, problem) => {
    const before = (await quotaRows()).length;
    const text = textOf((await t.command(command, "UADMIN")).reply);
    expect(text).toContain(problem);
    expect(text).toContain("/ae quota set @dana 250k quarter ramp:0.5");
    expect((await quotaRows()).length).toBe(before);
  });

  it("shows a rep ahead of pace their attainment, gap, need per business day, projection and commission", async () => {
    await t.services.repos.compPlans.save({
      userId: users.UALICE!.id, baseSalaryCents: 0, commissionRate: 0.1, acceleratorMultiplier: 1.5, deceleratorThreshold: null,
      deceleratorMultiplier: null, bonuses: [{ attainment: 1, amountCents: 5_000_00 }, { attainment: 1.2, amountCents: 10_000_00 }],
      periodType: "quarter", effectiveFrom: "2026-01-01",
    });
    const text = textOf((await t.command("quota", "UALICE")).reply);
    expect(text).toContain("*Q1 FY2026* · Jan 1, 2026 – Mar 31, 2026");
    expect(text).toContain("Quota: *$100,000*.");
    expect(text).toContain("Closed-won: *$70,000* — *70%* of quota.");
    expect(text).toContain("Pace target to date: $50,000 (32 of 64 business days done).");
    expect(text).toContain("Ahead of pace by $20,000.");
    // (100,000 − 70,000) / 32 remaining business days = 937.50
    expect(text).toContain("Needed per remaining business day: *$937.50* ($30,000 to go over 32 business days");
    expect(text).toContain("Projected finish at this run rate: $140,000 (140% of quota).");
    expect(text).toContain("Earned to date: $7,000 commission + $0 bonuses = *$7,000*.");
    // At 140k: 100k × 10 % + 40k × 15 % + 5k + 10k bonuses.
    expect(text).toContain("Projected for the period at this run rate: $31,000.");
    expect(text).toContain("$30,000 more gets you to the 100% bonus, worth $5,000.");
  });

  it("shows a rep behind pace how far behind and what each remaining day needs (no comp plan)", async () => {
    const text = textOf((await t.command("quota", "UBOB")).reply);
    expect(text).toContain("Closed-won: *$20,000* — *20%* of quota.");
    expect(text).toContain("Behind pace by $30,000.");
    expect(text).toContain("Needed per remaining business day: *$2,500*"); // 80,000 / 32
    expect(text).toContain("Projected finish at this run rate: $40,000 (40% of quota).");
    expect(text).toContain("No comp plan on file");
  });

  it("explains ramping and missing quotas", async () => {
    expect(textOf((await t.command("quota", "UCAROL")).reply)).toContain("Quota: *$40,000* (ramping: 50% of $80,000).");
    const none = textOf((await t.command("quota", "UMGR")).reply);
    expect(none).toContain("No quota set for Q1 FY2026 — attainment not shown.");
    const month = textOf((await t.command("quota month", "UBOB")).reply);
    expect(month).toContain("No quota set for February 2026");
    expect(textOf((await t.command("quota decade", "UBOB")).reply)).toContain("I don't know the period “decade”");
  });

  it("answers in German for a de-DE user", async () => {
    const text = textOf((await t.command("quota", "UBERND")).reply);
    expect(text).toContain("Für Q1 GJ2026 ist keine Quote gesetzt — keine Zielerreichung angezeigt.");
    expect(text).toContain("Kein Vergütungsplan hinterlegt");
  });
});
