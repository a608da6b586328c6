import { afterAll, beforeAll, expect, it } from "vitest";
import { createLogger } from "../../src/logger.js";
import { createServices, type Services } from "../../src/services/services.js";
import { periodForLocalDate } from "../../src/domain/periods.js";
import { describeEachProvider } from "../support/providers.js";
import { createTestDatabase, type TestDatabase } from "../support/test-database.js";
import { actorOf, seedAccount, seedDeal, seedTeam, seedUser, seedWorkspace } from "../support/deals-fixtures.js";

// Mon Feb 16 2026, 12:00 in New York: 32 of Q1's 64 business days are over (Jan 22 + Feb 2–13).
const MID = new Date("2026-02-16T17:00:00Z");
const NY = "America/New_York";
const Q1 = periodForLocalDate("quarter", "2026-01-01", NY, 1);

describeEachProvider("quota repository and service [%s]", (provider) => {
  let tdb: TestDatabase;
  let services: Services;
  const clock = { now: MID };
  beforeAll(async () => {
    tdb = await createTestDatabase(provider);
    services = createServices(tdb.db, { defaultTimezone: NY, now: () => clock.now, logger: createLogger("error", () => undefined, []) });
  });
  afterAll(async () => tdb?.drop());

  it("sums closed-won revenue in [start, end) with one aggregate: start counts, end does not", async () => {
    const ws = await seedWorkspace(tdb.db);
    const alice = await seedUser(tdb.db, ws, "UA");
    const bob = await seedUser(tdb.db, ws, "UB");
    const acme = await seedAccount(tdb.db, ws, alice, "Acme");
    const globex = await seedAccount(tdb.db, ws, bob, "Globex");
    await seedDeal(tdb.db, acme, 100_00, { status: "won", wonAt: Q1.start }); // first instant: in
    await seedDeal(tdb.db, acme, 200_00, { status: "won", wonAt: new Date(Q1.end.getTime() - 1) }); // last ms: in
    await seedDeal(tdb.db, acme, 400_00, { status: "won", wonAt: Q1.end }); // next quarter
    await seedDeal(tdb.db, acme, 800_00, { status: "won", wonAt: new Date(Q1.start.getTime() - 1) }); // previous quarter
    await seedDeal(tdb.db, acme, 1_600_00, { status: "open" });
    await seedDeal(tdb.db, acme, 3_200_00, { status: "lost" });
    await seedDeal(tdb.db, globex, 6_400_00, { status: "won", wonAt: MID });
    expect(await services.repos.quotas.wonSum(alice.id, Q1.start, Q1.end)).toBe(300_00);
    expect(await services.repos.quotas.wonSum(bob.id, Q1.start, Q1.end)).toBe(6_400_00);

    const carol = await seedUser(tdb.db, ws, "UC");
    const byUser = await services.quota.wonByUsers([alice.id, bob.id, carol.id], Q1.start, Q1.end);
    expect(Object.fromEntries(byUser)).toEqual({
      [alice.id]: { wonCents: 300_00, deals: 2 },
      [bob.id]: { wonCents: 6_400_00, deals: 1 },
      [carol.id]: { wonCents: 0, deals: 0 },
    });
    expect((await services.quota.wonByUsers([], Q1.start, Q1.end)).size).toBe(0);
  });

  it("keeps big amounts exact (BigInt cents beyond 32 bits)", async () => {
    const ws = await seedWorkspace(tdb.db);
    const u = await seedUser(tdb.db, ws, "UBIG");
    const a = await seedAccount(tdb.db, ws, u, "Mega");
    await seedDeal(tdb.db, a, 5_000_000_000_00, { status: "won", wonAt: MID });
    await seedDeal(tdb.db, a, 1, { status: "won", wonAt: MID });
    expect(await services.repos.quotas.wonSum(u.id, Q1.start, Q1.end)).toBe(5_000_000_000_01);
  });

  it("reports attainment, pace, gap, need per business day, projection and commission for a rep ahead of pace", async () => {
    const ws = await seedWorkspace(tdb.db);
    const alice = await seedUser(tdb.db, ws, "UA");
    const acme = await seedAccount(tdb.db, ws, alice, "Acme");
    await seedDeal(tdb.db, acme, 70_000_00, { status: "won", wonAt: new Date("2026-02-02T15:00:00Z") });
    await services.repos.quotas.upsert({ userId: alice.id, periodType: "quarter", periodStart: "2026-01-01", amountCents: 100_000_00, rampFactor: 1, setById: null });
    await services.repos.compPlans.save({
      userId: alice.id,
      baseSalaryCents: 0,
      commissionRate: 0.1,
      acceleratorMultiplier: 1.5,
      deceleratorThreshold: null,
      deceleratorMultiplier: null,
      bonuses: [{ attainment: 1, amountCents: 5_000_00 }, { attainment: 1.2, amountCents: 10_000_00 }],
      periodType: "quarter",
      effectiveFrom: "2026-01-01",
    });
    const view = await services.quota.progress(actorOf(alice, ws), "quarter");
    expect(view.period.key).toBe("FY2026-Q1");
    expect(view.wonCents).toBe(70_000_00);
    expect(view.progress).toMatchObject({
      status: "ahead",
      effectiveQuotaCents: 100_000_00,
      attainment: 0.7,
      paceTargetCents: 50_000_00, // 100k × 32/64
      gapToPaceCents: -20_000_00,
      neededPerRemainingDayCents: 93_750, // 30,000.00 / 32 days
      projectedFinishCents: 140_000_00, // 70k / 0.5
      elapsedDays: 32,
      totalDays: 64,
    });
    const c = view.commission!;
    expect(c.period.key).toBe("FY2026-Q1");
    expect(c.estimate.earnedToDate.totalVariableCents).toBe(7_000_00); // 10 % of 70k
    // At 140k: 100k × 10 % + 40k × 15 % = 16k, plus both bonuses (5k + 10k).
    expect(c.estimate.projected?.totalVariableCents).toBe(31_000_00);
    expect(c.estimate.nextBonus).toEqual({ attainment: 1, amountCents: 5_000_00, revenueNeededCents: 30_000_00 });
  });

  it("applies ramps, workspace holidays and calendar pace; no quota gives only the run rate", async () => {
    const ws = await seedWorkspace(tdb.db);
    const bob = await seedUser(tdb.db, ws, "UB");
    const a = await seedAccount(tdb.db, ws, bob, "Initech");
    await seedDeal(tdb.db, a, 10_000_00, { status: "won", wonAt: new Date("2026-01-20T15:00:00Z") });
    const none = await services.quota.progress(actorOf(bob, ws), "quarter");
    expect(none.progress).toMatchObject({ status: "no_quota", attainment: null, projectedFinishCents: 20_000_00 });
    expect(none.commission).toBeNull();

    await services.repos.quotas.upsert({ userId: bob.id, periodType: "quarter", periodStart: "2026-01-01", amountCents: 80_000_00, rampFactor: 0.5, setById: null });
    await tdb.db.prisma.holiday.create({ data: { workspaceId: ws.id, date: "2026-01-19" } }); // MLK day: a Monday
    const ramped = await services.quota.progress(actorOf(bob, ws), "quarter");
    expect(ramped.quota).toEqual({ amountCents: 80_000_00, rampFactor: 0.5 });
    expect(ramped.progress).toMatchObject({ effectiveQuotaCents: 40_000_00, attainment: 0.25, elapsedDays: 31, totalDays: 63 });
    // 40k × 31/63 = 19,682.539… → 19,682.54
    expect(ramped.progress.paceTargetCents).toBe(19_682_54);

    const cal = await tdb.db.prisma.workspace.update({ where: { id: ws.id }, data: { paceMode: "calendar" } });
    const calendar = await services.quota.progress(actorOf(bob, cal), "quarter");
    expect(calendar.progress).toMatchObject({ elapsedDays: 46, totalDays: 90 });
  });

  it("measures commission on the plan's own period when another period is viewed", async () => {
    const ws = await seedWorkspace(tdb.db);
    const u = await seedUser(tdb.db, ws, "UY");
    const a = await seedAccount(tdb.db, ws, u, "Yearly");
    await seedDeal(tdb.db, a, 30_000_00, { status: "won", wonAt: new Date("2026-02-10T15:00:00Z") });
    await services.repos.quotas.upsert({ userId: u.id, periodType: "year", periodStart: "2026-01-01", amountCents: 400_000_00, rampFactor: 1, setById: null });
    await services.repos.compPlans.save({
      userId: u.id, baseSalaryCents: 100_000_00, commissionRate: 0.08, acceleratorMultiplier: 1, deceleratorThreshold: null,
      deceleratorMultiplier: null, bonuses: [], periodType: "year", effectiveFrom: "2026-01-01",
    });
    const month = await services.quota.progress(actorOf(u, ws), "month");
    expect(month.period.key).toBe("2026-02");
    expect(month.progress.status).toBe("no_quota");
    expect(month.commission?.period.key).toBe("FY2026");
    expect(month.commission?.quotaCents).toBe(400_000_00);
    expect(month.commission?.estimate.earnedToDate.commissionCents).toBe(2_400_00);
  });

  it("lets admins set anyone's quota, managers their team's and their own, and refuses reps", async () => {
    const ws = await seedWorkspace(tdb.db);
    const rep = await seedUser(tdb.db, ws, "UR");
    const other = await seedUser(tdb.db, ws, "UO");
    const mgr = await seedUser(tdb.db, ws, "UM", { role: "manager" });
    const admin = await seedUser(tdb.db, ws, "UAD", { role: "admin" });
    await seedTeam(tdb.db, ws, mgr, [rep]);
    const input = { amountCents: 50_000_00, periodType: "quarter" as const, rampFactor: 1 };

    const asRep = actorOf(rep, ws);
    expect(await services.quota.setQuota(asRep, await services.principal(asRep), { ...input, targetUserId: rep.id })).toEqual({ kind: "denied", reason: "manager_only" });
    const asMgr = actorOf(mgr, ws);
    const pm = await services.principal(asMgr);
    expect(await services.quota.setQuota(asMgr, pm, { ...input, targetUserId: other.id })).toEqual({ kind: "denied", reason: "not_your_team" });
    const saved = await services.quota.setQuota(asMgr, pm, { ...input, targetUserId: rep.id });
    expect(saved).toMatchObject({ kind: "saved", quota: { periodStart: "2026-01-01", amountCents: 50_000_00, setById: mgr.id } });
    expect(await services.quota.setQuota(asMgr, pm, { ...input, targetUserId: mgr.id })).toMatchObject({ kind: "saved" });

    const asAdmin = actorOf(admin, ws);
    const next = await services.quota.setQuota(asAdmin, await services.principal(asAdmin), { ...input, targetUserId: other.id, rampFactor: 0.5, next: true });
    expect(next).toMatchObject({ kind: "saved", quota: { periodStart: "2026-04-01", rampFactor: 0.5 }, period: { key: "FY2026-Q2" } });
    // Setting again replaces rather than duplicating.
    await services.quota.setQuota(asMgr, pm, { ...input, amountCents: 60_000_00, targetUserId: rep.id });
    const rows = await tdb.db.prisma.quota.findMany({ where: { userId: rep.id } });
    expect(rows.map((r) => Number(r.amountCents))).toEqual([60_000_00]);
  });

  it("reports what a win did: attainment before and after, and the marginal commission with a bonus unlocked", async () => {
    const ws = await seedWorkspace(tdb.db);
    const u = await seedUser(tdb.db, ws, "UW");
    const a = await seedAccount(tdb.db, ws, u, "Wins");
    await services.repos.quotas.upsert({ userId: u.id, periodType: "quarter", periodStart: "2026-01-01", amountCents: 100_000_00, rampFactor: 1, setById: null });
    await services.repos.compPlans.save({
      userId: u.id, baseSalaryCents: 0, commissionRate: 0.1, acceleratorMultiplier: 2, deceleratorThreshold: null,
      deceleratorMultiplier: null, bonuses: [{ attainment: 1, amountCents: 5_000_00 }], periodType: "quarter", effectiveFrom: "2025-12-01",
    });
    await seedDeal(tdb.db, a, 90_000_00, { status: "won", wonAt: new Date("2026-01-15T15:00:00Z") });
    await seedDeal(tdb.db, a, 20_000_00, { status: "won", wonAt: MID }); // the deal just won
    const impact = await services.quota.winImpact(ws, u.id, 20_000_00, { withCommission: true });
    expect(impact.attainmentBefore).toBe(0.9);
    expect(impact.view.progress.attainment).toBeCloseTo(1.1, 10);
    // 10k below 100 % at 10 % + 10k above at 20 % = 3,000, plus the 5,000 bonus.
    expect(impact.marginal).toEqual({ commissionCents: 3_000_00, bonusCents: 5_000_00, totalVariableCents: 8_000_00, bonusesUnlocked: [{ attainment: 1, amountCents: 5_000_00 }] });
    expect((await services.quota.winImpact(ws, u.id, 20_000_00, { withCommission: false })).marginal).toBeNull();
  });
});
