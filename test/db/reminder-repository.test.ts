import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaPg } from "@prisma/adapter-pg";
import { afterAll, beforeAll, expect, it } from "vitest";
import type { Db } from "../../src/db/client.js";
import { withAudit } from "../../src/db/audit/audited-client.js";
import { ReminderRepository, thresholdsOf } from "../../src/db/repositories/reminder-repository.js";
import type { User } from "../../src/db/repositories/user-repository.js";
import { PrismaClient as SqliteClient } from "../../src/generated/sqlite/client.js";
import { PrismaClient as PgClient } from "../../src/generated/postgresql/client.js";
import { ReminderService } from "../../src/services/reminder-service.js";
import { describeEachProvider } from "../support/providers.js";
import { createTestDatabase, type TestDatabase } from "../support/test-database.js";

const NOW = new Date("2026-11-02T14:00:00Z"); // Monday, 09:00 in New York
const DAY = 86_400_000;
const daysAgo = (d: number) => new Date(NOW.getTime() - d * DAY);

/** A second client on the same database that counts every SQL statement it sends. */
function countingClient(t: TestDatabase): { db: Db; count: () => number; reset: () => void; close: () => Promise<void> } {
  let n = 0;
  if (t.db.provider === "sqlite") {
    const c = new SqliteClient({ adapter: new PrismaBetterSQLite3({ url: t.db.sqlitePath ?? "" }), log: [{ emit: "event", level: "query" }] });
    c.$on("query", () => n++);
    return { db: withAudit(c), count: () => n, reset: () => (n = 0), close: () => c.$disconnect() };
  }
  const c = new PgClient({ adapter: new PrismaPg({ connectionString: t.url }), log: [{ emit: "event", level: "query" }] });
  c.$on("query", () => n++);
  return { db: withAudit(c as unknown as SqliteClient), count: () => n, reset: () => (n = 0), close: () => c.$disconnect() };
}

describeEachProvider("digest repository [%s]", (provider) => {
  let t: TestDatabase;
  let repo: ReminderRepository;
  let ws: { id: number };
  let ws2: { id: number };
  let alice: User;
  let bob: User;
  let carol: User;

  beforeAll(async () => {
    t = await createTestDatabase(provider);
    const p = t.db.prisma;
    repo = new ReminderRepository(p);
    ws = await p.workspace.create({ data: { slackTeamId: "T1", timezone: "America/New_York" } });
    // A workspace with its own thresholds: key accounts after 3 days.
    ws2 = await p.workspace.create({ data: { slackTeamId: "T2", timezone: "Europe/Berlin", neglectKeyDays: 3 } });
    alice = await p.user.create({ data: { workspaceId: ws.id, slackUserId: "UALICE", timezone: "America/New_York" } });
    bob = await p.user.create({ data: { workspaceId: ws.id, slackUserId: "UBOB", timezone: "America/Chicago" } });
    carol = await p.user.create({ data: { workspaceId: ws2.id, slackUserId: "UCAROL", timezone: "Europe/Berlin" } });
    await p.user.create({ data: { workspaceId: ws.id, slackUserId: "UPAUSED", timezone: "America/New_York", remindersPaused: true } });
    await p.user.create({ data: { workspaceId: ws.id, slackUserId: "UGONE", timezone: "America/New_York", inactive: true } });
    const acct = (ownerId: number, workspaceId: number, name: string, data: Record<string, unknown>) =>
      p.account.create({ data: { workspaceId, ownerId, name, nameKey: name.toLowerCase(), createdAt: daysAgo(400), ...data } });
    await acct(alice.id, ws.id, "Key8", { tier: "key", lastTouchAt: daysAgo(8), annualValueCents: 5_000_000n });
    await acct(alice.id, ws.id, "Key6", { tier: "key", lastTouchAt: daysAgo(6) });
    await acct(alice.id, ws.id, "Growth15", { tier: "growth", lastTouchAt: daysAgo(15) });
    await acct(alice.id, ws.id, "NeverOld", { tier: "standard", lastTouchAt: null, createdAt: daysAgo(31) });
    await acct(alice.id, ws.id, "NeverNew", { tier: "standard", lastTouchAt: null, createdAt: daysAgo(5) });
    await acct(alice.id, ws.id, "Snoozed", { tier: "key", lastTouchAt: daysAgo(30), snoozedUntil: new Date(NOW.getTime() + DAY) });
    await acct(alice.id, ws.id, "SnoozeOver", { tier: "key", lastTouchAt: daysAgo(30), snoozedUntil: daysAgo(1) });
    await acct(alice.id, ws.id, "Archived", { tier: "key", lastTouchAt: daysAgo(30), archived: true });
    await acct(alice.id, ws.id, "OddTier", { tier: "platinum", lastTouchAt: daysAgo(31) });
    await acct(bob.id, ws.id, "BobKey", { tier: "key", lastTouchAt: daysAgo(10) });
    await acct(carol.id, ws2.id, "CarolKey4", { tier: "key", lastTouchAt: daysAgo(4) });
    const fuAccount = await acct(alice.id, ws.id, "FuAccount", { tier: "standard", lastTouchAt: daysAgo(1) });
    const gone = await acct(alice.id, ws.id, "GoneAccount", { tier: "standard", lastTouchAt: daysAgo(1), archived: true });
    const fu = (userId: number, accountId: number, title: string, dueAt: Date, data: Record<string, unknown> = {}) =>
      p.followUp.create({ data: { userId, accountId, title, dueAt, ...data } });
    await fu(alice.id, fuAccount.id, "overdue", new Date("2026-10-30T04:00:00Z"));
    await fu(alice.id, fuAccount.id, "today", new Date("2026-11-02T05:00:00Z"));
    await fu(alice.id, fuAccount.id, "tomorrow", new Date("2026-11-03T05:00:00Z"));
    await fu(alice.id, fuAccount.id, "done", new Date("2026-11-01T04:00:00Z"), { status: "done" });
    await fu(alice.id, fuAccount.id, "snoozed", new Date("2026-11-01T04:00:00Z"), { snoozedUntil: new Date("2026-11-03T05:00:00Z") });
    await fu(alice.id, fuAccount.id, "snooze over", new Date("2026-11-01T04:00:00Z"), { snoozedUntil: new Date("2026-11-02T05:00:00Z") });
    await fu(alice.id, gone.id, "archived account", new Date("2026-11-01T04:00:00Z"));
    await fu(bob.id, fuAccount.id, "bob's", new Date("2026-11-01T04:00:00Z"));
    await p.quota.create({ data: { userId: alice.id, periodType: "quarter", periodStart: "2026-10-01", amountCents: 30_000_000n } });
    await p.quota.create({ data: { userId: bob.id, periodType: "month", periodStart: "2026-11-01", amountCents: 1_000_000n } });
    await p.quota.create({ data: { userId: bob.id, periodType: "quarter", periodStart: "2026-07-01", amountCents: 9n } });
    const deal = (ownerId: number, accountId: number, amount: bigint, wonAt: Date | null, status = "won") =>
      p.deal.create({ data: { ownerId, accountId, amountCents: amount, status, stage: status === "won" ? "won" : "prospect", wonAt } });
    await deal(alice.id, fuAccount.id, 1_000_000n, new Date("2026-10-05T15:00:00Z"));
    await deal(alice.id, fuAccount.id, 500_000n, new Date("2026-10-20T15:00:00Z"));
    await deal(alice.id, fuAccount.id, 700_000n, new Date("2026-09-20T15:00:00Z"));
    await deal(alice.id, fuAccount.id, 900_000n, null, "open");
    await deal(bob.id, fuAccount.id, 200_000n, new Date("2026-10-21T15:00:00Z"));
    const team = await p.team.create({ data: { workspaceId: ws.id, name: "East", nameKey: "east", managerId: carol.id } });
    await p.teamMember.create({ data: { teamId: team.id, userId: alice.id } });
    await p.teamMember.create({ data: { teamId: team.id, userId: bob.id } });
  });
  afterAll(async () => t?.drop());

  it("pages only active, unpaused users", async () => {
    const page = await repo.reminderUsersPage(0, 10);
    expect(page.map((u) => u.slackUserId)).toEqual(["UALICE", "UBOB", "UCAROL"]);
    expect((await repo.reminderUsersPage(alice.id, 1)).map((u) => u.slackUserId)).toEqual(["UBOB"]);
    expect((await repo.managersPage(0, 10)).map((u) => u.slackUserId)).toEqual(["UCAROL"]);
  });

  it("finds neglected accounts of a whole batch in one query, by each workspace's thresholds", async () => {
    const workspaces = await repo.workspacesByIds([ws.id, ws2.id]);
    const thresholds = new Map([...workspaces].map(([id, w]) => [id, thresholdsOf(w)]));
    const byOwner = await repo.neglectCandidates(
      [alice, bob, carol].map((u) => ({ userId: u.id, workspaceId: u.workspaceId })),
      thresholds,
      NOW,
    );
    const names = (u: User) => (byOwner.get(u.id) ?? []).map((a) => a.name).sort();
    expect(names(alice)).toEqual(["Growth15", "Key8", "NeverOld", "OddTier", "SnoozeOver"]);
    expect(names(bob)).toEqual(["BobKey"]);
    expect(names(carol)).toEqual(["CarolKey4"]);
    expect(byOwner.get(alice.id)?.find((a) => a.name === "OddTier")?.tier).toBe("standard");
    expect(byOwner.get(alice.id)?.find((a) => a.name === "Key8")?.annualValueCents).toBe(5_000_000);
    const keyOnly = await repo.neglectCandidates([{ userId: alice.id, workspaceId: ws.id }], thresholds, NOW, ["key"]);
    expect((keyOnly.get(alice.id) ?? []).map((a) => a.name).sort()).toEqual(["Key8", "SnoozeOver"]);
  });

  it("finds open, unsnoozed follow-ups due before a cut-off, on live accounts", async () => {
    const due = await repo.followUpsDue([alice.id, bob.id], new Date("2026-11-03T05:00:00Z"), NOW);
    expect((due.get(alice.id) ?? []).map((f) => f.title)).toEqual(["overdue", "snooze over", "today"]);
    expect((due.get(bob.id) ?? []).map((f) => f.title)).toEqual(["bob's"]);
    expect(due.get(alice.id)?.[0]?.accountName).toBe("FuAccount");
  });

  it("reads quotas by key and sums closed-won per owner with GROUP BY", async () => {
    const quotas = await repo.quotasFor([
      { userId: alice.id, periodType: "quarter", periodStart: "2026-10-01" },
      { userId: bob.id, periodType: "quarter", periodStart: "2026-10-01" },
      { userId: bob.id, periodType: "month", periodStart: "2026-11-01" },
    ]);
    expect(quotas.map((q) => [q.userId, q.periodType, q.amountCents]).sort()).toEqual(
      [
        [alice.id, "quarter", 30_000_000],
        [bob.id, "month", 1_000_000],
      ].sort(),
    );
    const won = await repo.wonByOwners([alice.id, bob.id, carol.id], new Date("2026-10-01T04:00:00Z"), new Date("2027-01-01T05:00:00Z"));
    expect(Object.fromEntries(won)).toEqual({ [alice.id]: 1_500_000, [bob.id]: 200_000, [carol.id]: 0 });
  });

  it("lists the members of the teams each manager manages", async () => {
    const rows = await repo.teamMembersOf([carol.id]);
    expect(rows.map((r) => [r.member.managerId, r.user.slackUserId])).toEqual([
      [carol.id, "UALICE"],
      [carol.id, "UBOB"],
    ]);
  });

  it("builds digests and manager digests from the batch queries", async () => {
    const service = new ReminderService(repo, { timezone: "America/New_York" });
    const targets = await service.targetsFor([alice, bob, carol]);
    const built = await service.buildMany(targets, NOW);
    const a = built.get(alice.id);
    expect(a?.view.neglected.rows.map((r) => r.name)).toEqual(["Key8", "SnoozeOver", "Growth15", "NeverOld", "OddTier"]);
    expect(a?.view.followUps.rows.map((r) => r.title)).toEqual(["overdue", "snooze over", "today"]);
    // 15 000 of 300 000 by Nov 2 (one month of three gone): behind pace.
    expect(a?.quota).toMatchObject({ hasQuota: true, wonCents: 1_500_000, period: { type: "quarter" } });
    expect(a?.view.quotaGap?.behindByCents).toBeGreaterThan(0);
    // Bob's only current quota is a month one: it is used.
    expect(built.get(bob.id)?.quota).toMatchObject({ hasQuota: true, period: { type: "month", startDate: "2026-11-01" } });
    expect(built.get(carol.id)?.quota).toMatchObject({ hasQuota: false, period: { type: "quarter" } });
    const managers = await service.managerDigests(targets.filter((x) => x.user.id === carol.id), NOW);
    const m = managers.get(carol.id);
    expect(m?.weekOf).toBe("2026-11-02");
    expect(m?.repsBehind.map((r) => r.slackUserId)).toContain("UALICE");
    expect(m?.keyAccounts.rows.map((r) => [r.name, r.ownerSlackUserId])).toEqual([
      ["Key8", "UALICE"],
      ["SnoozeOver", "UALICE"],
      ["BobKey", "UBOB"],
    ]);
  });

  it("costs the same number of SQL statements for 1 user or 60 users with many accounts", async () => {
    const p = t.db.prisma;
    const big = await p.workspace.create({ data: { slackTeamId: "TBIG", timezone: "America/New_York" } });
    const users: User[] = [];
    for (let i = 0; i < 60; i++) {
      users.push(await p.user.create({ data: { workspaceId: big.id, slackUserId: `UBIG${i}`, timezone: i % 2 ? "Europe/Berlin" : "America/Los_Angeles" } }));
    }
    await p.account.createMany({
      data: users.flatMap((u, i) =>
        Array.from({ length: 10 }, (_, j) => ({
          workspaceId: big.id,
          ownerId: u.id,
          name: `A${i}-${j}`,
          nameKey: `a${i}-${j}`,
          tier: ["key", "growth", "standard"][j % 3],
          lastTouchAt: daysAgo(j * 5),
          createdAt: daysAgo(400),
        })),
      ),
    });
    const counting = countingClient(t);
    try {
      const service = new ReminderService(new ReminderRepository(counting.db), { timezone: "America/New_York" });
      const one = await service.targetsFor(users.slice(0, 1));
      const all = await service.targetsFor(users);
      counting.reset();
      await service.buildMany(one, NOW);
      const forOne = counting.count();
      counting.reset();
      const built = await service.buildMany(all, NOW);
      const forAll = counting.count();
      expect(built.size).toBe(60);
      expect(built.get(users[0].id)?.view.neglected.rows.length).toBeGreaterThan(0);
      expect(forAll).toBe(forOne);
      expect(forOne).toBeLessThanOrEqual(8);
    } finally {
      await counting.close();
    }
  });
});
