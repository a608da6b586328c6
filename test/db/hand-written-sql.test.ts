import { afterAll, beforeAll, expect, it } from "vitest";
import type { Db } from "../../src/db/client.js";
import { AccountDetailRepository } from "../../src/db/repositories/account-detail-repository.js";
import { AccountRepository } from "../../src/db/repositories/account-repository.js";
import { CompPlanRepository } from "../../src/db/repositories/comp-plan-repository.js";
import { FollowUpRepository } from "../../src/db/repositories/followup-repository.js";
import { LeaderboardRepository } from "../../src/db/repositories/leaderboard-repository.js";
import { QuotaRepository } from "../../src/db/repositories/quota-repository.js";
import { TeamRepository } from "../../src/db/repositories/team-repository.js";
import { TouchRepository } from "../../src/db/repositories/touch-repository.js";
import { UserRepository } from "../../src/db/repositories/user-repository.js";
import { WorkspaceRepository } from "../../src/db/repositories/workspace-repository.js";
import { ReminderRepository } from "../../src/db/repositories/reminder-repository.js";
import { PipelineRepository } from "../../src/db/repositories/pipeline-repository.js";
import { CrmSyncRepository } from "../../src/db/repositories/crm-sync-repository.js";
import { runAs } from "../../src/db/audit/audit-scope.js";
import { attentionCutoffs } from "../../src/domain/deal-attention.js";
import { describeEachProvider } from "../support/providers.js";
import { createTestDatabase, type TestDatabase } from "../support/test-database.js";

/**
 * The hot-path reads written in SQL (src/db/sql.ts) must return exactly what the Prisma model
 * queries they replaced return: same rows, same order, same field types (Date, BigInt, boolean),
 * on both providers.
 */
describeEachProvider("hand-written SQL equals the model queries [%s]", (provider) => {
  let t: TestDatabase | undefined;
  let p: Db;
  const ids = { ws: 0, rep: 0, other: 0, mgr: 0, team: 0, acme: 0, globex: 0, archived: 0 };
  const START = new Date("2026-10-01T04:00:00Z");
  const END = new Date("2027-01-01T05:00:00Z");

  beforeAll(async () => {
    t = await createTestDatabase(provider);
    p = t.db.prisma;
    const ws = await p.workspace.create({ data: { slackTeamId: "T1", name: "W", giftLimitCents: 25_000n } });
    await p.holiday.createMany({ data: [{ workspaceId: ws.id, date: "2026-12-25", name: "Xmas" }, { workspaceId: ws.id, date: "2026-11-26" }] });
    const mk = (slackUserId: string, extra: Record<string, unknown> = {}) =>
      p.user.create({ data: { workspaceId: ws.id, slackUserId, name: slackUserId === "U3" ? null : `User ${slackUserId}`, timezone: "Europe/Berlin", ...extra } });
    const rep = await mk("U1", { timezoneOverride: "America/Chicago", language: "de", remindersPaused: false, reminderSkipDates: "2026-12-24" });
    const other = await mk("U2", { inactive: true });
    const mgr = await mk("U3", { role: "manager", hiredOn: "2025-01-02" });
    const team = await p.team.create({ data: { workspaceId: ws.id, name: "East", nameKey: "east", managerId: mgr.id, channelId: "C1" } });
    await p.teamMember.createMany({ data: [{ teamId: team.id, userId: rep.id }, { teamId: team.id, userId: other.id }] });
    const acct = (ownerId: number, name: string, extra: Record<string, unknown> = {}) =>
      p.account.create({ data: { workspaceId: ws.id, ownerId, name, nameKey: name.toLowerCase(), annualValueCents: 12_345_678n, ...extra } });
    const acme = await acct(rep.id, "Acme", { tier: "key", lastTouchAt: new Date("2026-10-01T10:00:00Z"), industry: "Retail", externalId: "sf:1" });
    const acme2 = await acct(other.id, "Acme", { snoozedUntil: new Date("2026-12-01T00:00:00Z") });
    const globex = await acct(rep.id, "Globex");
    const archived = await acct(rep.id, "Acme", { archived: true });
    void acme2;
    for (const [i, at] of ["2026-11-01T09:00:00Z", "2026-11-01T09:00:00Z", "2026-10-15T08:00:00.123Z"].entries()) {
      const touch = await p.touch.create({ data: { accountId: acme.id, userId: i === 2 ? mgr.id : rep.id, kind: "call", occurredAt: new Date(at), note: i ? null : "hi" } });
      if (i === 0) await p.touchParticipant.createMany({ data: [{ touchId: touch.id, slackUserId: "U9" }, { touchId: touch.id, slackUserId: "U2", userId: other.id }] });
    }
    await p.followUp.createMany({
      data: [
        { accountId: acme.id, userId: rep.id, title: "b", dueAt: new Date("2026-11-20T05:00:00Z") },
        { accountId: acme.id, userId: rep.id, title: "a", dueAt: new Date("2026-11-10T05:00:00Z"), snoozedUntil: new Date("2026-11-12T00:00:00Z") },
        { accountId: acme.id, userId: rep.id, title: "done", dueAt: new Date("2026-11-01T05:00:00Z"), status: "done" },
        { accountId: archived.id, userId: rep.id, title: "gone", dueAt: new Date("2026-11-01T05:00:00Z") },
      ],
    });
    await p.deal.createMany({
      data: [
        { accountId: acme.id, ownerId: rep.id, amountCents: 5_000_000n, status: "won", stage: "won", wonAt: new Date("2026-11-02T12:00:00Z") },
        { accountId: acme.id, ownerId: rep.id, amountCents: 7_000_000n, status: "won", stage: "won", wonAt: new Date("2026-12-31T23:00:00Z"), title: "Renewal" },
        { accountId: acme.id, ownerId: rep.id, amountCents: 1n, status: "open", expectedCloseAt: null },
        { accountId: acme.id, ownerId: rep.id, amountCents: 2n, status: "open", expectedCloseAt: new Date("2026-12-01T00:00:00Z") },
        { accountId: acme.id, ownerId: rep.id, amountCents: 3n, status: "lost", lostAt: new Date("2026-10-05T00:00:00Z"), lostReason: "price" },
        { accountId: globex.id, ownerId: other.id, amountCents: 9n, status: "won", wonAt: new Date("2026-10-02T00:00:00Z") },
        // Deleted in the CRM: counted nowhere.
        { accountId: acme.id, ownerId: rep.id, amountCents: 800_000_000n, status: "won", stage: "won", wonAt: new Date("2026-11-03T12:00:00Z"), archived: true },
      ],
    });
    await p.gift.createMany({
      data: [
        { workspaceId: ws.id, accountId: acme.id, userId: rep.id, recipientName: "Ann", recipientKey: "ann", amountCents: 5_000n, givenOn: "2026-03-01", description: "Wine" },
        { workspaceId: ws.id, accountId: acme.id, userId: rep.id, recipientName: "Bo", recipientKey: "bo", amountCents: 7_500n, givenOn: "2026-06-01", description: "Book", overLimit: true, overrideReason: "ok" },
        { workspaceId: ws.id, accountId: acme.id, userId: rep.id, recipientName: "Cy", recipientKey: "cy", amountCents: 1n, givenOn: "2025-12-31", description: "Old", kind: "entertainment" },
      ],
    });
    await p.quota.createMany({
      data: [
        { userId: rep.id, periodType: "quarter", periodStart: "2026-10-01", amountCents: 30_000_000n, rampFactor: 0.5, setById: mgr.id },
        { userId: other.id, periodType: "quarter", periodStart: "2026-10-01", amountCents: 10_000_000n },
        { userId: rep.id, periodType: "month", periodStart: "2026-11-01", amountCents: 1_000n },
      ],
    });
    await p.compPlan.createMany({
      data: [
        { userId: rep.id, commissionRate: 0.1, effectiveFrom: "2026-01-01", bonuses: '[{"attainment":1,"amountCents":500000}]' },
        { userId: rep.id, commissionRate: 0.12, acceleratorMultiplier: 1.5, deceleratorThreshold: 0.5, deceleratorMultiplier: 0.5, effectiveFrom: "2026-10-01", baseSalaryCents: 9_000_000n },
      ],
    });
    Object.assign(ids, { ws: ws.id, rep: rep.id, other: other.id, mgr: mgr.id, team: team.id, acme: acme.id, globex: globex.id, archived: archived.id });
  });

  afterAll(async () => {
    await t?.drop();
  });

  const live = () => t !== undefined;

  it("users, workspaces, teams", async () => {
    if (!live()) return;
    const users = new UserRepository(p);
    expect(await users.findBySlackId(ids.ws, "U1")).toEqual(await p.user.findUnique({ where: { workspaceId_slackUserId: { workspaceId: ids.ws, slackUserId: "U1" } } }));
    expect(await users.findBySlackId(ids.ws, "U404")).toBeNull();
    const digest = new ReminderRepository(p);
    expect(await digest.reminderUsersPage(0, 10)).toEqual(await p.user.findMany({ where: { id: { gt: 0 }, inactive: false, remindersPaused: false }, orderBy: { id: "asc" }, take: 10 }));
    expect([...(await digest.workspacesByIds([ids.ws])).values()]).toEqual(await p.workspace.findMany({ where: { id: { in: [ids.ws] } } }));
    const teams = new TeamRepository(p);
    for (const userId of [ids.rep, ids.mgr, ids.other, 999]) {
      expect(await teams.teamsOf(userId)).toEqual(await p.team.findMany({ where: { OR: [{ managerId: userId }, { members: { some: { userId } } }] }, orderBy: [{ nameKey: "asc" }, { id: "asc" }] }));
    }
    expect(await new WorkspaceRepository(p).holidays(ids.ws)).toEqual(["2026-11-26", "2026-12-25"]);
  });

  it("accounts: by name, in scope with owners, one with its owner", async () => {
    if (!live()) return;
    const accounts = new AccountRepository(p);
    const owner = { select: { id: true, name: true, slackUserId: true } } as const;
    for (const scope of [{ kind: "all" as const }, { kind: "owners" as const, ownerIds: [ids.rep] }, { kind: "owners" as const, ownerIds: [] }]) {
      const filter = scope.kind === "all" ? {} : { ownerId: { in: scope.ownerIds } };
      expect(await accounts.listInScope(ids.ws, scope)).toEqual(
        await p.account.findMany({ where: { workspaceId: ids.ws, archived: false, ...filter }, include: { owner }, orderBy: [{ id: "asc" }] }),
      );
      expect(await accounts.findByNameKey(ids.ws, scope, "acme", 20)).toEqual(
        (await p.account.findMany({ where: { workspaceId: ids.ws, archived: false, ...filter, nameKey: { startsWith: "acme" } }, orderBy: [{ nameKey: "asc" }, { id: "asc" }] })).filter(
          (a) => a.nameKey === "acme",
        ),
      );
    }
    for (const id of [ids.acme, ids.archived, 999_999]) {
      expect(await accounts.findByIdWithOwner(id)).toEqual(await p.account.findUnique({ where: { id }, include: { owner } }));
    }
  });

  it("the account page: touches, follow-ups, deals, gifts", async () => {
    if (!live()) return;
    const touches = new TouchRepository(p);
    expect(await touches.recentForAccount(ids.acme, 2)).toEqual(
      await p.touch.findMany({
        where: { accountId: ids.acme },
        orderBy: [{ occurredAt: "desc" }, { id: "desc" }],
        take: 2,
        include: { user: { select: { name: true, slackUserId: true } }, participants: { select: { slackUserId: true } } },
      }),
    );
    expect(await touches.recentForAccount(ids.globex, 5)).toEqual([]);
    expect(await touches.countForAccount(ids.acme)).toBe(3);
    expect(await new FollowUpRepository(p).openForAccount(ids.acme, 10)).toEqual(
      await p.followUp.findMany({ where: { accountId: ids.acme, status: "open" }, orderBy: [{ dueAt: "asc" }, { id: "asc" }], take: 10 }),
    );
    const details = new AccountDetailRepository(p);
    // A deal deleted in the CRM (archived) is not on the page.
    const gone = await p.deal.create({ data: { accountId: ids.acme, ownerId: (await p.account.findUniqueOrThrow({ where: { id: ids.acme } })).ownerId, amountCents: 1n, archived: true } });
    const deals = await details.deals(ids.acme, 3);
    await p.deal.delete({ where: { id: gone.id } });
    const open = await p.deal.findMany({ where: { accountId: ids.acme, archived: false, status: "open" }, orderBy: [{ expectedCloseAt: "asc" }, { id: "asc" }], take: 3 });
    const closed = await p.deal.findMany({ where: { accountId: ids.acme, archived: false, status: { not: "open" } }, orderBy: [{ updatedAt: "desc" }, { id: "desc" }], take: 3 });
    expect(deals.total).toBe(5);
    expect(deals.items.map((d) => d.id)).toEqual([...open, ...closed].slice(0, 3).map((d) => d.id));
    expect(deals.items[0]).toMatchObject({ amountCents: Number(open[0]?.amountCents), expectedCloseAt: open[0]?.expectedCloseAt });
    const gifts = await details.gifts(ids.acme, "2026-01-01", "2026-12-31", 1);
    expect(gifts).toMatchObject({ total: 2, totalCents: 12_500, items: [{ recipientName: "Bo", amountCents: 7_500, givenOn: "2026-06-01" }] });
    expect(await details.gifts(ids.globex, "2026-01-01", "2026-12-31", 5)).toEqual({ items: [], total: 0, totalCents: 0 });
  });

  it("quota, closed-won, comp plan", async () => {
    if (!live()) return;
    const quotas = new QuotaRepository(p);
    expect(await quotas.find(ids.rep, "quarter", "2026-10-01")).toMatchObject({ amountCents: 30_000_000, rampFactor: 0.5, setById: ids.mgr, periodStart: "2026-10-01" });
    expect((await quotas.find(ids.rep, "quarter", "2026-10-01"))?.updatedAt).toBeInstanceOf(Date);
    expect(await quotas.find(ids.rep, "year", "2026-01-01")).toBeNull();
    expect(await quotas.wonSum(ids.rep, START, END)).toBe(12_000_000);
    expect(await quotas.wonSum(ids.mgr, START, END)).toBe(0);
    const plans = new CompPlanRepository(p);
    expect(await plans.current(ids.rep, "2026-11-02")).toMatchObject({ commissionRate: 0.12, acceleratorMultiplier: 1.5, deceleratorThreshold: 0.5, effectiveFrom: "2026-10-01" });
    expect(await plans.current(ids.rep, "2026-06-30")).toMatchObject({ commissionRate: 0.1, bonuses: [{ attainment: 1, amountCents: 500_000 }] });
    expect(await plans.current(ids.rep, "2025-12-31")).toBeNull();
  });

  it("leaderboard figures and digest batch reads", async () => {
    if (!live()) return;
    const lb = new LeaderboardRepository(p);
    expect(await lb.members(ids.team)).toEqual([{ userId: ids.rep, slackUserId: "U1", name: "User U1" }]);
    expect(await lb.quotas([ids.rep, ids.other], [{ periodType: "quarter", periodStart: "2026-10-01" }])).toEqual(
      expect.arrayContaining([
        { userId: ids.rep, periodType: "quarter", periodStart: "2026-10-01", amountCents: 30_000_000, rampFactor: 0.5 },
        { userId: ids.other, periodType: "quarter", periodStart: "2026-10-01", amountCents: 10_000_000, rampFactor: 1 },
      ]),
    );
    expect([...(await lb.wonByOwner([ids.rep, ids.other, ids.mgr], START, END))].sort()).toEqual([
      [ids.other, { wonCents: 9, dealsWon: 1 }],
      [ids.rep, { wonCents: 12_000_000, dealsWon: 2 }],
    ].sort());
    expect([...(await lb.touchesByUser([ids.rep, ids.mgr], new Date("2026-10-20T00:00:00Z"), END))]).toEqual([[ids.rep, 2]]);
    // A team's active members by subquery: the same figures as their id list.
    expect(await lb.wonByOwner({ teamId: ids.team }, START, END)).toEqual(await lb.wonByOwner([ids.rep], START, END));
    expect(await lb.quotas({ teamId: ids.team }, [{ periodType: "quarter", periodStart: "2026-10-01" }])).toEqual([
      { userId: ids.rep, periodType: "quarter", periodStart: "2026-10-01", amountCents: 30_000_000, rampFactor: 0.5 },
    ]);
    expect(await lb.touchesByUser({ teamId: 999_999 }, START, END)).toEqual(new Map());
    // A team of more than 999 members (Prisma's `in` limit on SQLite) still works.
    const many = Array.from({ length: 1500 }, (_, i) => i + 1_000_000).concat([ids.rep]);
    expect((await lb.wonByOwner(many, START, END)).get(ids.rep)).toEqual({ wonCents: 12_000_000, dealsWon: 2 });

    const digest = new ReminderRepository(p);
    const now = new Date("2026-11-16T14:00:00Z");
    const followUps = await digest.followUpsDue([ids.rep], new Date("2026-11-21T00:00:00Z"), now);
    expect(followUps.get(ids.rep)?.map((f) => f.title)).toEqual(["a", "b"]);
    expect(followUps.get(ids.rep)?.[0]).toMatchObject({ accountName: "Acme", dueAt: new Date("2026-11-10T05:00:00Z"), snoozedUntil: new Date("2026-11-12T00:00:00Z") });
    expect(await digest.wonByOwners([ids.rep, ids.mgr], START, END)).toEqual(new Map([[ids.rep, 12_000_000], [ids.mgr, 0]]));
    const neglected = await digest.neglectCandidates([{ userId: ids.rep, workspaceId: ids.ws }, { userId: ids.other, workspaceId: ids.ws }], new Map([[ids.ws, { key: 7, growth: 14, standard: 30 }]]), now);
    // Globex was created after `now`, the archived Acme never counts.
    expect(neglected.get(ids.rep)?.map((a) => a.name)).toEqual(["Acme"]);
    expect(neglected.get(ids.rep)?.find((a) => a.name === "Acme")).toMatchObject({ tier: "key", annualValueCents: 12_345_678, lastTouchAt: new Date("2026-10-01T10:00:00Z"), archived: false });
    expect(neglected.get(ids.other)).toEqual([]); // snoozed until December
  });

  it("deals that may need attention: the same rows as the model query, with stageSince and accountTouchedAt filled in", async () => {
    if (!live()) return;
    const now = new Date("2026-11-16T14:00:00Z");
    const day = (d: string) => new Date(`${d}T12:00:00Z`);
    const deal = (accountId: number, ownerId: number, extra: Record<string, unknown>) =>
      p.deal.create({ data: { accountId, ownerId, amountCents: 4_200_000n, stage: "proposal", ...extra }, select: { id: true } });
    const late = await deal(ids.acme, ids.rep, { expectedCloseAt: day("2026-11-01"), title: "Late", createdAt: day("2026-11-10") });
    const soon = await deal(ids.globex, ids.rep, { expectedCloseAt: day("2026-11-20"), createdAt: day("2026-11-10") });
    const stalled = await deal(ids.acme, ids.rep, { stageChangedAt: day("2026-09-01"), createdAt: day("2026-08-01") });
    const oldNoHistory = await deal(ids.acme, ids.rep, { createdAt: day("2026-09-15") });
    await deal(ids.acme, ids.rep, { stageChangedAt: day("2026-11-10"), createdAt: day("2026-01-01") }); // moved recently: not stalled
    await deal(ids.acme, ids.rep, { expectedCloseAt: day("2026-12-20"), createdAt: day("2026-11-10") }); // closes later
    await deal(ids.archived, ids.rep, { expectedCloseAt: day("2026-11-01"), createdAt: day("2026-11-10") }); // archived account
    await deal(ids.acme, ids.rep, { expectedCloseAt: day("2026-11-01"), createdAt: day("2026-11-10"), archived: true }); // deleted in the CRM
    await deal(ids.acme, ids.rep, { status: "won", stage: "won", expectedCloseAt: day("2026-11-01"), createdAt: day("2026-11-10") });
    const thresholds = [{ stallDays: 30, closeSoonDays: 7, noTouchDays: 7 }];
    const got = await new ReminderRepository(p).dealAttentionCandidates([ids.rep, ids.mgr], thresholds, now);

    const { closeBefore, stageBefore } = attentionCutoffs(thresholds[0]!, now);
    const model = await p.deal.findMany({
      where: {
        ownerId: { in: [ids.rep, ids.mgr] },
        status: "open",
        archived: false,
        account: { archived: false },
        OR: [{ expectedCloseAt: { lt: closeBefore } }, { stageChangedAt: { lte: stageBefore } }, { stageChangedAt: null, createdAt: { lte: stageBefore } }],
      },
      orderBy: { id: "asc" },
      include: { account: { select: { name: true, lastTouchAt: true, createdAt: true } } },
    });
    expect(got.get(ids.rep)).toEqual(
      model.map((d) => ({
        dealId: d.id,
        accountId: d.accountId,
        accountName: d.account.name,
        title: d.title,
        amountCents: Number(d.amountCents),
        stage: d.stage,
        expectedCloseAt: d.expectedCloseAt,
        stageSince: d.stageChangedAt ?? d.createdAt,
        accountTouchedAt: d.account.lastTouchAt ?? d.account.createdAt,
      })),
    );
    expect(got.get(ids.rep)?.map((d) => d.dealId)).toEqual([late.id, soon.id, stalled.id, oldNoHistory.id]);
    expect(got.get(ids.rep)?.[0]).toMatchObject({ title: "Late", amountCents: 4_200_000, accountTouchedAt: new Date("2026-10-01T10:00:00Z") });
    expect(got.get(ids.rep)?.[3]?.stageSince).toEqual(day("2026-09-15")); // no history: since it was created
    expect(got.get(ids.mgr)).toEqual([]);
  });

  it("the pipeline's open deals: the same rows as the model query, for the current quarter (overdue too) and the next", async () => {
    if (!live()) return;
    const start = new Date("2027-01-01T05:00:00Z");
    const end = new Date("2027-04-01T04:00:00Z");
    const deal = (accountId: number, ownerId: number, extra: Record<string, unknown>) =>
      p.deal.create({ data: { accountId, ownerId, amountCents: 1_234_567n, stage: "qualified", ...extra }, select: { id: true } });
    await deal(ids.globex, ids.rep, { expectedCloseAt: new Date("2027-02-01T05:00:00Z"), forecastCategory: "commit" });
    await deal(ids.globex, ids.rep, { expectedCloseAt: new Date("2026-06-01T04:00:00Z") }); // long overdue
    await deal(ids.globex, ids.rep, { expectedCloseAt: new Date("2027-04-01T22:00:00Z") }); // within the day of slack
    await deal(ids.globex, ids.rep, { expectedCloseAt: new Date("2027-06-01T04:00:00Z") }); // a later quarter
    await deal(ids.globex, ids.mgr, { expectedCloseAt: new Date("2027-02-01T05:00:00Z") });
    await deal(ids.archived, ids.rep, { expectedCloseAt: new Date("2027-02-01T05:00:00Z") }); // archived account
    await deal(ids.globex, ids.rep, { expectedCloseAt: new Date("2027-02-01T05:00:00Z"), archived: true }); // deleted in the CRM
    const repo = new PipelineRepository(p);
    const DAY = 86_400_000;
    for (const overdue of [true, false]) {
      const got = await repo.openDeals([ids.rep, ids.mgr], { start, end, overdue });
      const dated = overdue
        ? { expectedCloseAt: { lt: new Date(end.getTime() + DAY) } }
        : { expectedCloseAt: { gte: new Date(start.getTime() - DAY), lt: new Date(end.getTime() + DAY) } };
      const model = await p.deal.findMany({
        where: { ownerId: { in: [ids.rep, ids.mgr] }, status: "open", archived: false, account: { archived: false }, OR: [{ expectedCloseAt: null }, dated] },
        orderBy: { id: "asc" },
        select: { id: true, ownerId: true, amountCents: true, stage: true, forecastCategory: true, expectedCloseAt: true },
      });
      for (const owner of [ids.rep, ids.mgr]) {
        expect(got.get(owner), `overdue: ${overdue}`).toEqual(model.filter((d) => d.ownerId === owner).map((d) => ({ ...d, amountCents: Number(d.amountCents) })));
      }
      expect((got.get(ids.rep) ?? []).filter((d) => d.amountCents === 1_234_567).length).toBe(overdue ? 3 : 2);
    }
  });

  it("the CRM pull's page reads, and rows written by insertRows read back as a model insert's do", async () => {
    if (!live()) return;
    const crm = new CrmSyncRepository(p);
    const [acme] = (await crm.accountsByExternalIds(ids.ws, ["sf:1", "sf:404"])).values();
    const model = await p.account.findUniqueOrThrow({ where: { id: ids.acme }, select: { id: true, externalId: true, name: true, industry: true, annualValueCents: true, ownerId: true, archived: true } });
    expect(acme).toEqual({ ...model, annualValueCents: Number(model.annualValueCents) });

    const at = new Date("2026-11-30T09:00:00.123Z");
    const row = { workspaceId: ids.ws, ownerId: ids.rep, name: "Raw", nameKey: "raw", annualValueCents: 7n, industry: null, archived: false, externalId: "hs:77", crmModifiedAt: at, createdAt: at, updatedAt: at };
    const [inserted] = await runAs({ kind: "sync", detail: "hubspot" }, () => p.$auditedInsert("Account", [row]));
    const viaModel = await p.account.create({ data: { ...row, externalId: "hs:78", name: "Model", nameKey: "model" } });
    const viaSql = await p.account.findFirstOrThrow({ where: { workspaceId: ids.ws, externalId: "hs:77" } });
    expect({ ...viaSql, id: 0, name: "", nameKey: "", externalId: "" }).toEqual({ ...viaModel, id: 0, name: "", nameKey: "", externalId: "" });
    // $auditedInsert hands back the whole row as a model read gives it, and records it as the sync's.
    expect(inserted).toEqual(viaSql);
    const event = await p.auditEvent.findFirstOrThrow({ where: { entity: "account", entityId: String(viaSql.id) } });
    expect(event).toMatchObject({ action: "create", actorKind: "sync", actorDetail: "hubspot", accountId: viaSql.id, subject: `account:${viaSql.id}` });

    const deal = await p.deal.create({ data: { accountId: viaSql.id, ownerId: ids.rep, amountCents: 5n, externalId: "hs:900", expectedCloseAt: at, crmModifiedAt: at } });
    const [synced] = (await crm.dealsByExternalIds(ids.ws, ["hs:900"])).values();
    expect(synced).toEqual({ id: deal.id, externalId: "hs:900", accountId: viaSql.id, ownerId: ids.rep, title: null, amountCents: 5, stage: "prospect", status: "open", expectedCloseAt: at, wonAt: null, lostAt: null, archived: false });
    const contact = await p.contact.create({ data: { accountId: viaSql.id, name: "Wile", nameKey: "wile", externalId: "hs:901", archived: true } });
    expect([...(await crm.contactsByExternalIds(ids.ws, ["hs:901"])).values()]).toEqual([{ id: contact.id, externalId: "hs:901", accountId: viaSql.id, name: "Wile", email: null, title: null, phone: null, archived: true }]);
    expect((await crm.liveRowsOf(ids.ws, "accounts", "hs:")).map((r) => r.externalId).sort()).toEqual(["hs:77", "hs:78"]);
    expect(await crm.liveRowsOf(ids.ws, "contacts", "hs:")).toEqual([]);
  });
});
