import type { Db } from "../client.js";
import { join, sql, toNumber, type Sql } from "../sql.js";
import type { User, Workspace } from "../../generated/sqlite/client.js";
import type { AccountTier, NeglectThresholds } from "../../domain/neglect.js";
import type { ReminderAccount, ReminderFollowUpInput } from "../../domain/reminder.js";
import { attentionCutoffs, type DealAttentionInput, type DealAttentionThresholds } from "../../domain/deal-attention.js";
import type { PeriodType } from "../../domain/periods.js";

const DAY_MS = 86_400_000;
const TIERS: readonly AccountTier[] = ["key", "growth", "standard"];

export function tierOf(value: string): AccountTier {
  return value === "key" || value === "growth" ? value : "standard";
}

export function thresholdsOf(ws: Pick<Workspace, "neglectKeyDays" | "neglectGrowthDays" | "neglectStandardDays">): NeglectThresholds {
  return { key: ws.neglectKeyDays, growth: ws.neglectGrowthDays, standard: ws.neglectStandardDays };
}

export interface QuotaRow {
  userId: number;
  periodType: PeriodType;
  periodStart: string;
  amountCents: number;
  rampFactor: number;
}

export interface TeamMemberRow {
  managerId: number;
  userId: number;
  slackUserId: string;
  name: string | null;
}

export interface FollowUpRecord {
  id: number;
  userId: number;
  accountId: number;
  accountName: string;
  title: string;
  status: string;
  dueAt: Date;
  snoozedUntil: Date | null;
}

/**
 * The reads behind the daily digest, the manager digest and the Home tab, written for batches:
 * each method answers for a whole batch of users in one query, so a run over N users costs a few
 * queries per batch, never one per user or per account. The batch reads are hand-written SQL (see
 * db/sql.ts: no per-query compile cost, only the columns needed). Plus the snoozes the digest
 * buttons set (touches and completions go through the touch and follow-up services).
 */
export class ReminderRepository {
  constructor(private readonly db: Db) {}

  /** Users who may get a daily reminder (active, not paused), by id, after `afterId`. */
  reminderUsersPage(afterId: number, limit: number): Promise<User[]> {
    return this.db.$queryRaw<User[]>(
      sql`SELECT * FROM "User" WHERE "id" > ${afterId} AND "inactive" = ${false} AND "remindersPaused" = ${false} ORDER BY "id" ASC LIMIT ${limit}`,
    );
  }

  /** Active, unpaused users who manage at least one team, by id, after `afterId`. */
  managersPage(afterId: number, limit: number): Promise<User[]> {
    return this.db.user.findMany({
      where: { id: { gt: afterId }, inactive: false, remindersPaused: false, managedTeams: { some: {} } },
      orderBy: { id: "asc" },
      take: limit,
    });
  }

  findUserBySlackId(slackUserId: string): Promise<User | null> {
    return this.db.user.findFirst({ where: { slackUserId }, orderBy: { id: "asc" } });
  }

  async workspacesByIds(ids: readonly number[]): Promise<Map<number, Workspace>> {
    if (ids.length === 0) return new Map();
    const rows = await this.db.$queryRaw<Workspace[]>(sql`SELECT * FROM "Workspace" WHERE "id" IN (${join([...new Set(ids)])})`);
    return new Map(rows.map((w) => [w.id, w]));
  }

  async holidaysByWorkspace(ids: readonly number[]): Promise<Map<number, Set<string>>> {
    const out = new Map<number, Set<string>>();
    for (const id of ids) out.set(id, new Set());
    if (ids.length === 0) return out;
    const rows = await this.db.$queryRaw<{ workspaceId: number; date: string }[]>(
      sql`SELECT "workspaceId", "date" FROM "Holiday" WHERE "workspaceId" IN (${join([...new Set(ids)])})`,
    );
    for (const r of rows) out.get(r.workspaceId)?.add(r.date);
    return out;
  }

  /**
   * Live, unsnoozed accounts of the given owners that are past their tier's threshold at `now`
   * (by `lastTouchAt`, or `createdAt` when never touched), in ONE query whatever the number of
   * owners: one (workspace, tier, cut-off) clause per workspace and tier. The domain ranks them.
   */
  async neglectCandidates(
    owners: readonly { userId: number; workspaceId: number }[],
    thresholdsByWorkspace: ReadonlyMap<number, NeglectThresholds>,
    now: Date,
    tiers: readonly AccountTier[] = TIERS,
  ): Promise<Map<number, ReminderAccount[]>> {
    const out = new Map<number, ReminderAccount[]>();
    for (const o of owners) out.set(o.userId, []);
    if (owners.length === 0 || tiers.length === 0) return out;
    const clauses: Sql[] = [...new Set(owners.map((o) => o.workspaceId))].flatMap((workspaceId) => {
      const thresholds = thresholdsByWorkspace.get(workspaceId);
      if (!thresholds) return [];
      return tiers.map((tier) => {
        const cutoff = new Date(now.getTime() - Math.max(1, Math.floor(thresholds[tier])) * DAY_MS);
        const tierIs = tier === "standard" ? sql`"tier" NOT IN (${"key"}, ${"growth"})` : sql`"tier" = ${tier}`;
        // `"workspaceId" + 0`: an expression, so no planner reads the whole workspace through the
        // (workspaceId, externalId) index (SQLite without statistics would) instead of each owner's
        // accounts through (ownerId, archived, lastTouchAt).
        return sql`("workspaceId" + 0 = ${workspaceId} AND ${tierIs} AND ("lastTouchAt" <= ${cutoff} OR ("lastTouchAt" IS NULL AND "createdAt" <= ${cutoff})))`;
      });
    });
    if (clauses.length === 0) return out;
    const rows = await this.db.$queryRaw<
      { id: number; ownerId: number; name: string; tier: string; annualValueCents: bigint | number; createdAt: Date; lastTouchAt: Date | null; snoozedUntil: Date | null; archived: boolean }[]
    >(sql`SELECT "id", "ownerId", "name", "tier", "annualValueCents", "createdAt", "lastTouchAt", "snoozedUntil", "archived" FROM "Account"
      WHERE "ownerId" IN (${join(owners.map((o) => o.userId))}) AND "archived" = ${false}
        AND ("snoozedUntil" IS NULL OR "snoozedUntil" <= ${now})
        AND (${join(clauses, " OR ")})`);
    for (const r of rows) {
      out.get(r.ownerId)?.push({
        id: String(r.id),
        accountId: r.id,
        name: r.name,
        tier: tierOf(r.tier),
        annualValueCents: Number(r.annualValueCents),
        createdAt: r.createdAt,
        lastTouchAt: r.lastTouchAt,
        snoozedUntil: r.snoozedUntil,
        archived: r.archived,
      });
    }
    return out;
  }

  /** Open, unsnoozed follow-ups of the given users due before `before`, on live accounts: one query. */
  async followUpsDue(userIds: readonly number[], before: Date, now: Date): Promise<Map<number, ReminderFollowUpInput[]>> {
    const out = new Map<number, ReminderFollowUpInput[]>();
    for (const id of userIds) out.set(id, []);
    if (userIds.length === 0) return out;
    const rows = await this.db.$queryRaw<{ id: number; userId: number; title: string; dueAt: Date; snoozedUntil: Date | null; accountId: number; accountName: string }[]>(
      sql`SELECT f."id", f."userId", f."title", f."dueAt", f."snoozedUntil", f."accountId", a."name" AS "accountName"
        FROM "FollowUp" f JOIN "Account" a ON a."id" = f."accountId"
        WHERE f."userId" IN (${join([...userIds])}) AND f."status" = ${"open"} AND f."dueAt" < ${before}
          AND (f."snoozedUntil" IS NULL OR f."snoozedUntil" <= ${now}) AND a."archived" = ${false}
        ORDER BY f."dueAt" ASC, f."id" ASC`,
    );
    for (const r of rows) {
      out.get(r.userId)?.push({ id: r.id, title: r.title, accountId: r.accountId, accountName: r.accountName, dueAt: r.dueAt, snoozedUntil: r.snoozedUntil });
    }
    return out;
  }

  /**
   * Open deals of the given owners, on live accounts, that may need attention at `now`: a close
   * date before the close-soon window's end, or in their stage (since stageChangedAt, else the
   * deal's createdAt) since before the stall cut-off. ONE query for the whole batch, using the
   * loosest cut-offs of the batch's workspaces; the domain applies each workspace's rules exactly.
   */
  async dealAttentionCandidates(
    ownerIds: readonly number[],
    thresholds: readonly DealAttentionThresholds[],
    now: Date,
  ): Promise<Map<number, DealAttentionInput[]>> {
    const out = new Map<number, DealAttentionInput[]>();
    for (const id of ownerIds) out.set(id, []);
    if (ownerIds.length === 0 || thresholds.length === 0) return out;
    const cutoffs = thresholds.map((t) => attentionCutoffs(t, now));
    const closeBefore = new Date(Math.max(...cutoffs.map((c) => c.closeBefore.getTime())));
    const stageBefore = new Date(Math.max(...cutoffs.map((c) => c.stageBefore.getTime())));
    const rows = await this.db.$queryRaw<
      {
        id: number;
        ownerId: number;
        accountId: number;
        title: string | null;
        amountCents: bigint | number;
        stage: string;
        expectedCloseAt: Date | null;
        stageChangedAt: Date | null;
        createdAt: Date;
        accountName: string;
        lastTouchAt: Date | null;
        accountCreatedAt: Date;
      }[]
    >(sql`SELECT d."id", d."ownerId", d."accountId", d."title", d."amountCents", d."stage", d."expectedCloseAt", d."stageChangedAt", d."createdAt",
        a."name" AS "accountName", a."lastTouchAt", a."createdAt" AS "accountCreatedAt"
      FROM "Deal" d JOIN "Account" a ON a."id" = d."accountId"
      WHERE d."ownerId" IN (${join([...new Set(ownerIds)])}) AND d."status" = ${"open"} AND d."archived" = ${false} AND a."archived" = ${false}
        AND (d."expectedCloseAt" < ${closeBefore} OR d."stageChangedAt" <= ${stageBefore} OR (d."stageChangedAt" IS NULL AND d."createdAt" <= ${stageBefore}))
      ORDER BY d."id" ASC`);
    for (const r of rows) {
      out.get(r.ownerId)?.push({
        dealId: r.id,
        accountId: r.accountId,
        accountName: r.accountName,
        title: r.title,
        amountCents: Number(r.amountCents),
        stage: r.stage,
        expectedCloseAt: r.expectedCloseAt,
        // Deals created before stage history have no stageChangedAt: until then no path could
        // move an open deal's stage (only creation set one), so they have been in it since they
        // were created. updatedAt would be wrong: it also moves with amount or close-date edits.
        stageSince: r.stageChangedAt ?? r.createdAt,
        accountTouchedAt: r.lastTouchAt ?? r.accountCreatedAt,
      });
    }
    return out;
  }

  /** The quotas matching any of the given (user, period type, period start) keys: one query. */
  async quotasFor(keys: readonly { userId: number; periodType: PeriodType; periodStart: string }[]): Promise<QuotaRow[]> {
    if (keys.length === 0) return [];
    const periods = [...new Map(keys.map((k) => [`${k.periodType}|${k.periodStart}`, { periodType: k.periodType, periodStart: k.periodStart }])).values()];
    const rows = await this.db.$queryRaw<{ userId: number; periodType: string; periodStart: string; amountCents: bigint | number; rampFactor: number }[]>(
      sql`SELECT "userId", "periodType", "periodStart", "amountCents", "rampFactor" FROM "Quota"
        WHERE "userId" IN (${join([...new Set(keys.map((k) => k.userId))])})
          AND (${join(periods.map((p) => sql`("periodType" = ${p.periodType} AND "periodStart" = ${p.periodStart})`), " OR ")})`,
    );
    const wanted = new Set(keys.map((k) => `${k.userId}|${k.periodType}|${k.periodStart}`));
    return rows
      .filter((r) => wanted.has(`${r.userId}|${r.periodType}|${r.periodStart}`))
      .map((r) => ({ ...r, periodType: r.periodType as PeriodType, amountCents: Number(r.amountCents) }));
  }

  /** Closed-won revenue per owner with wonAt in [start, end): one GROUP BY query. */
  async wonByOwners(ownerIds: readonly number[], start: Date, end: Date): Promise<Map<number, number>> {
    const out = new Map<number, number>();
    for (const id of ownerIds) out.set(id, 0);
    if (ownerIds.length === 0) return out;
    const rows = await this.db.$queryRaw<{ ownerId: number; wonCents: unknown }[]>(
      sql`SELECT "ownerId", SUM("amountCents") AS "wonCents" FROM "Deal"
        WHERE "ownerId" IN (${join([...new Set(ownerIds)])}) AND "status" = ${"won"} AND "wonAt" >= ${start} AND "wonAt" < ${end} AND "archived" = ${false}
        GROUP BY "ownerId"`,
    );
    for (const r of rows) out.set(r.ownerId, toNumber(r.wonCents));
    return out;
  }

  /** Members (with their user rows) of the teams each manager manages: one query. */
  async teamMembersOf(managerIds: readonly number[]): Promise<{ member: TeamMemberRow; user: User }[]> {
    if (managerIds.length === 0) return [];
    const rows = await this.db.teamMember.findMany({
      where: { team: { managerId: { in: [...managerIds] } } },
      select: { team: { select: { managerId: true } }, user: true },
      orderBy: [{ userId: "asc" }],
    });
    return rows
      .filter((r) => r.team.managerId !== null)
      .map((r) => ({ member: { managerId: r.team.managerId ?? 0, userId: r.user.id, slackUserId: r.user.slackUserId, name: r.user.name }, user: r.user }));
  }

  /** Live accounts per owner, for owners who left (the manager's "needs a new owner" list): one GROUP BY. */
  async liveAccountCounts(ownerIds: readonly number[]): Promise<Map<number, number>> {
    if (ownerIds.length === 0) return new Map();
    const rows = await this.db.account.groupBy({ by: ["ownerId"], where: { ownerId: { in: [...ownerIds] }, archived: false }, _count: { _all: true } });
    return new Map(rows.map((r) => [r.ownerId, r._count._all]));
  }

  // Writes made by the digest buttons -----------------------------------------------------------

  findAccount(id: number): Promise<{ id: number; workspaceId: number; ownerId: number; name: string; archived: boolean } | null> {
    return this.db.account.findUnique({ where: { id }, select: { id: true, workspaceId: true, ownerId: true, name: true, archived: true } });
  }

  async snoozeAccount(id: number, until: Date): Promise<void> {
    await this.db.account.update({ where: { id }, data: { snoozedUntil: until } });
  }

  async findFollowUp(id: number): Promise<FollowUpRecord | null> {
    const r = await this.db.followUp.findUnique({
      where: { id },
      select: { id: true, userId: true, accountId: true, title: true, status: true, dueAt: true, snoozedUntil: true, account: { select: { name: true } } },
    });
    if (!r) return null;
    const { account, ...rest } = r;
    return { ...rest, accountName: account.name };
  }

  async snoozeFollowUp(id: number, until: Date): Promise<void> {
    await this.db.followUp.update({ where: { id }, data: { snoozedUntil: until } });
  }

  /**
   * Marks every user with this Slack id inactive (Slack said they can no longer get DMs, or that
   * they were deactivated), from `at` on: the departed-rep retention counts from the first report.
   */
  async markInactive(slackUserId: string, at: Date): Promise<void> {
    await this.db.user.updateMany({ where: { slackUserId, inactive: false }, data: { inactive: true, inactiveSince: at } });
    await this.db.user.updateMany({ where: { slackUserId, inactive: true, inactiveSince: null }, data: { inactiveSince: at } });
  }

  /** Slack reports the user active again (reactivated): reminders resume, the departure is forgotten. */
  async markActive(slackUserId: string): Promise<void> {
    await this.db.user.updateMany({ where: { slackUserId, inactive: true, erasedAt: null }, data: { inactive: false, inactiveSince: null } });
  }

  /** Remembers the DM channel conversations.open gave for a user (once per user, not per message). */
  async rememberDmChannel(slackUserId: string, channelId: string): Promise<void> {
    await this.db.user.updateMany({ where: { slackUserId, OR: [{ dmChannelId: null }, { dmChannelId: { not: channelId } }] }, data: { dmChannelId: channelId } });
  }

  /** Forgets a remembered DM channel Slack no longer knows (the app was reinstalled): the next DM opens it again. */
  async forgetDmChannel(slackUserId: string, channelId: string): Promise<void> {
    await this.db.user.updateMany({ where: { slackUserId, dmChannelId: channelId }, data: { dmChannelId: null } });
  }
}
