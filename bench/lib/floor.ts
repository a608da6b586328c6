/**
 * The floor: the same digest and leaderboard data as the product, fetched with hand-written SQL
 * on the raw driver (prepared statements, only the columns needed) and assembled by the same pure
 * domain functions, so the output is identical (the benchmark checks it) and the difference in
 * time is what Prisma and the product's plumbing cost.
 */
import { thresholdsOf, tierOf } from "../../src/db/repositories/reminder-repository.js";
import type { Team } from "../../src/db/repositories/team-repository.js";
import type { Workspace } from "../../src/db/repositories/workspace-repository.js";
import { buildReminder, type ReminderAccount, type ReminderFollowUpInput, type ReminderView } from "../../src/domain/reminder.js";
import { attentionCutoffs, type DealAttentionInput } from "../../src/domain/deal-attention.js";
import { dealAttentionOf } from "../../src/services/workspace-settings-service.js";
import { rankLeaderboard } from "../../src/domain/leaderboard.js";
import { effectiveLeaderboardQuota, leaderboardPeriod, type LeaderboardPeriodType } from "../../src/domain/leaderboard-periods.js";
import type { AccountTier, NeglectThresholds } from "../../src/domain/neglect.js";
import { periodContaining, type Period, type PeriodType } from "../../src/domain/periods.js";
import { quotaProgress } from "../../src/domain/quota.js";
import { localDayRange, safeZone, type LocalDate } from "../../src/domain/time.js";
import type { ReminderTarget } from "../../src/services/reminder-service.js";
import { teamZone, type LeaderboardRow, type LeaderboardView } from "../../src/services/leaderboard-service.js";
import type { RawDb } from "./raw.js";

const DAY_MS = 86_400_000;
const TIERS: readonly AccountTier[] = ["key", "growth", "standard"];
const QUOTA_PREFERENCE: readonly PeriodType[] = ["quarter", "month", "year"];

const toDate = (v: unknown): Date => (v instanceof Date ? v : new Date(String(v)));
const toDateOrNull = (v: unknown): Date | null => (v === null || v === undefined ? null : toDate(v));
const safeRamp = (r: number): number => (r > 0 && r <= 1 ? r : 1);

/** Timing of the floor's SQL alone, next to the whole (SQL + assembly). */
export interface FloorTiming {
  sqlMs: number;
}

interface AccountRow {
  id: number;
  ownerId: number;
  name: string;
  tier: string;
  annualValueCents: number | bigint;
  createdAt: unknown;
  lastTouchAt: unknown;
  snoozedUntil: unknown;
}

/** The daily digests of `targets` at `now`: the data DigestService.buildMany reads, by hand. */
export async function floorDigests(raw: RawDb, targets: readonly ReminderTarget[], now: Date, defaultZone: string, timing: FloorTiming): Promise<Map<number, ReminderView>> {
  const out = new Map<number, ReminderView>();
  if (targets.length === 0) return out;
  const userIds = targets.map((t) => t.user.id);
  const workspaces = new Map(targets.map((t) => [t.workspace.id, t.workspace]));
  const thresholds = new Map<number, NeglectThresholds>([...workspaces].map(([id, ws]) => [id, thresholdsOf(ws)]));
  const before = new Date(Math.max(...targets.map((t) => localDayRange(now, t.zone).end.getTime())));

  // Periods per workspace (cut in the workspace's zone).
  const periodsByWs = new Map<number, Map<PeriodType, Period>>();
  for (const ws of workspaces.values()) {
    const zone = safeZone(ws.timezone, defaultZone);
    periodsByWs.set(ws.id, new Map(QUOTA_PREFERENCE.map((type) => [type, periodContaining(type, now, zone, ws.fiscalYearStartMonth)])));
  }

  const t0 = performance.now();
  // 1. Neglect candidates: one statement, a (workspace, tier, cut-off) clause each.
  const p1: unknown[] = [];
  const owners = raw.inList(`"ownerId"`, userIds, p1);
  p1.push(raw.time(now));
  const clauses: string[] = [];
  for (const [wsId, th] of thresholds) {
    for (const tier of TIERS) {
      const cutoff = raw.time(new Date(now.getTime() - Math.max(1, Math.floor(th[tier])) * DAY_MS));
      // "+ 0": keep the planner on the owner index (see DigestRepository.neglectCandidates).
      clauses.push(`("workspaceId" + 0 = ? AND ${tier === "standard" ? `"tier" NOT IN ('key', 'growth')` : `"tier" = '${tier}'`} AND ("lastTouchAt" <= ? OR ("lastTouchAt" IS NULL AND "createdAt" <= ?)))`);
      p1.push(wsId, cutoff, cutoff);
    }
  }
  const archivedFalse = raw.provider === "sqlite" ? "0" : "false";
  const accountsQ = raw.all<AccountRow>(
    `SELECT "id", "ownerId", "name", "tier", "annualValueCents", "createdAt", "lastTouchAt", "snoozedUntil" FROM "Account"
     WHERE ${owners} AND "archived" = ${archivedFalse} AND ("snoozedUntil" IS NULL OR "snoozedUntil" <= ?) AND (${clauses.join(" OR ")})`,
    p1,
  );
  // 2. Follow-ups due, on live accounts.
  const p2: unknown[] = [];
  const fuUsers = raw.inList(`f."userId"`, userIds, p2);
  p2.push(raw.time(before), raw.time(now));
  const followUpsQ = raw.all<{ id: number; userId: number; title: string; dueAt: unknown; snoozedUntil: unknown; accountId: number; accountName: string }>(
    `SELECT f."id", f."userId", f."title", f."dueAt", f."snoozedUntil", f."accountId", a."name" AS "accountName"
     FROM "FollowUp" f JOIN "Account" a ON a."id" = f."accountId"
     WHERE ${fuUsers} AND f."status" = 'open' AND f."dueAt" < ? AND (f."snoozedUntil" IS NULL OR f."snoozedUntil" <= ?) AND a."archived" = ${archivedFalse}
     ORDER BY f."dueAt", f."id"`,
    p2,
  );
  // 3. Quotas for the candidate periods; 4. holidays.
  const p3: unknown[] = [];
  const qUsers = raw.inList(`"userId"`, userIds, p3);
  const periodKeys = new Map<string, { type: PeriodType; start: LocalDate }>();
  for (const periods of periodsByWs.values()) for (const [type, p] of periods) periodKeys.set(`${type}|${p.startDate}`, { type, start: p.startDate });
  const periodClause = [...periodKeys.values()].map((k) => {
    p3.push(k.type, k.start);
    return `("periodType" = ? AND "periodStart" = ?)`;
  });
  const quotasQ = raw.all<{ userId: number; periodType: string; periodStart: string; amountCents: number | bigint; rampFactor: number }>(
    `SELECT "userId", "periodType", "periodStart", "amountCents", "rampFactor" FROM "Quota" WHERE ${qUsers} AND (${periodClause.join(" OR ")})`,
    p3,
  );
  const p4: unknown[] = [];
  const holidaysQ = raw.all<{ workspaceId: number; date: string }>(`SELECT "workspaceId", "date" FROM "Holiday" WHERE ${raw.inList(`"workspaceId"`, [...workspaces.keys()], p4)}`, p4);
  // 5. Open deals that may need attention (DealAttention cut-offs, loosest of the batch).
  const dealThresholds = new Map([...workspaces].map(([id, ws]) => [id, dealAttentionOf(ws)]));
  const cutoffs = [...dealThresholds.values()].map((th) => attentionCutoffs(th, now));
  const p5: unknown[] = [];
  const dealOwners = raw.inList(`d."ownerId"`, userIds, p5);
  const stageBefore = raw.time(new Date(Math.max(...cutoffs.map((c) => c.stageBefore.getTime()))));
  p5.push(raw.time(new Date(Math.max(...cutoffs.map((c) => c.closeBefore.getTime())))), stageBefore, stageBefore);
  const dealsQ = raw.all<{ id: number; ownerId: number; accountId: number; title: string | null; amountCents: number | bigint; stage: string; expectedCloseAt: unknown; stageChangedAt: unknown; createdAt: unknown; accountName: string; lastTouchAt: unknown; accountCreatedAt: unknown }>(
    `SELECT d."id", d."ownerId", d."accountId", d."title", d."amountCents", d."stage", d."expectedCloseAt", d."stageChangedAt", d."createdAt",
       a."name" AS "accountName", a."lastTouchAt", a."createdAt" AS "accountCreatedAt"
     FROM "Deal" d JOIN "Account" a ON a."id" = d."accountId"
     WHERE ${dealOwners} AND d."status" = 'open' AND d."archived" = ${archivedFalse} AND a."archived" = ${archivedFalse}
       AND (d."expectedCloseAt" < ? OR d."stageChangedAt" <= ? OR (d."stageChangedAt" IS NULL AND d."createdAt" <= ?))
     ORDER BY d."id"`,
    p5,
  );
  const [accountRows, followUpRows, quotaRows, holidayRows, dealRows] = await Promise.all([accountsQ, followUpsQ, quotasQ, holidaysQ, dealsQ]);

  // Each user's period: the first preferred type with a quota, else the quarter.
  const quotaByKey = new Map(quotaRows.map((q) => [`${q.userId}|${q.periodType}|${q.periodStart}`, q]));
  const chosen = targets.map((t) => {
    const periods = periodsByWs.get(t.workspace.id)!;
    for (const type of QUOTA_PREFERENCE) {
      const period = periods.get(type)!;
      const quota = quotaByKey.get(`${t.user.id}|${type}|${period.startDate}`);
      if (quota) return { target: t, period, quota };
    }
    return { target: t, period: periods.get("quarter")!, quota: null };
  });
  // 6. Closed-won per owner, one GROUP BY per distinct period.
  const groups = new Map<string, { period: Period; userIds: number[] }>();
  for (const c of chosen) {
    const key = `${c.period.start.toISOString()}|${c.period.end.toISOString()}`;
    const g = groups.get(key) ?? { period: c.period, userIds: [] };
    g.userIds.push(c.target.user.id);
    groups.set(key, g);
  }
  const won = new Map<string, Map<number, number>>();
  await Promise.all(
    [...groups].map(async ([key, g]) => {
      const p: unknown[] = [];
      const who = raw.inList(`"ownerId"`, g.userIds, p);
      p.push(raw.time(g.period.start), raw.time(g.period.end));
      const rows = await raw.all<{ ownerId: number; total: number | bigint | null }>(
        `SELECT "ownerId", SUM("amountCents") AS "total" FROM "Deal" WHERE ${who} AND "status" = 'won' AND "wonAt" >= ? AND "wonAt" < ? GROUP BY "ownerId"`,
        p,
      );
      won.set(key, new Map(rows.map((r) => [r.ownerId, Number(r.total ?? 0)])));
    }),
  );
  timing.sqlMs += performance.now() - t0;

  const accounts = new Map<number, ReminderAccount[]>(userIds.map((id) => [id, []]));
  for (const r of accountRows) {
    accounts.get(r.ownerId)?.push({
      id: String(r.id),
      accountId: r.id,
      name: r.name,
      tier: tierOf(r.tier),
      annualValueCents: Number(r.annualValueCents),
      createdAt: toDate(r.createdAt),
      lastTouchAt: toDateOrNull(r.lastTouchAt),
      snoozedUntil: toDateOrNull(r.snoozedUntil),
      archived: false,
    });
  }
  const followUps = new Map<number, ReminderFollowUpInput[]>(userIds.map((id) => [id, []]));
  for (const r of followUpRows) {
    followUps.get(r.userId)?.push({ id: r.id, title: r.title, accountId: r.accountId, accountName: r.accountName, dueAt: toDate(r.dueAt), snoozedUntil: toDateOrNull(r.snoozedUntil) });
  }
  const deals = new Map<number, DealAttentionInput[]>(userIds.map((id) => [id, []]));
  for (const r of dealRows) {
    deals.get(r.ownerId)?.push({
      dealId: r.id,
      accountId: r.accountId,
      accountName: r.accountName,
      title: r.title,
      amountCents: Number(r.amountCents),
      stage: r.stage,
      expectedCloseAt: toDateOrNull(r.expectedCloseAt),
      stageSince: toDateOrNull(r.stageChangedAt) ?? toDate(r.createdAt),
      accountTouchedAt: toDateOrNull(r.lastTouchAt) ?? toDate(r.accountCreatedAt),
    });
  }
  const holidays = new Map<number, Set<string>>([...workspaces.keys()].map((id) => [id, new Set<string>()]));
  for (const h of holidayRows) holidays.get(h.workspaceId)?.add(h.date);

  for (const c of chosen) {
    const t = c.target;
    const ws = t.workspace;
    const wonCents = won.get(`${c.period.start.toISOString()}|${c.period.end.toISOString()}`)?.get(t.user.id) ?? 0;
    const progress = quotaProgress({
      quotaCents: c.quota ? Number(c.quota.amountCents) : null,
      rampFactor: safeRamp(c.quota?.rampFactor ?? 1),
      wonCents,
      period: c.period,
      now,
      zone: safeZone(ws.timezone, defaultZone),
      paceMode: ws.paceMode === "calendar" ? "calendar" : "business",
      holidays: holidays.get(ws.id) ?? new Set(),
    });
    out.set(
      t.user.id,
      buildReminder({
        now,
        zone: t.zone,
        accounts: accounts.get(t.user.id) ?? [],
        thresholds: thresholds.get(ws.id) ?? thresholdsOf(ws),
        followUps: followUps.get(t.user.id) ?? [],
        quota: c.quota ? { progress, period: c.period } : null,
        deals: deals.get(t.user.id) ?? [],
        dealThresholds: dealThresholds.get(ws.id),
      }),
    );
  }
  return out;
}

/** A team's leaderboard, as LeaderboardService.view computes it, by hand. */
export async function floorLeaderboard(
  raw: RawDb,
  team: Team,
  workspace: Workspace,
  type: LeaderboardPeriodType,
  date: LocalDate,
  defaultZone: string,
  timing: FloorTiming,
): Promise<Pick<LeaderboardView, "ranked" | "unranked" | "memberCount">> {
  const zone = teamZone(team, workspace, defaultZone);
  const period = leaderboardPeriod(type, date, zone, workspace.fiscalYearStartMonth);
  const own = period.quotaPeriod;
  const inactiveFalse = raw.provider === "sqlite" ? "0" : "false";
  const t0 = performance.now();
  const members = await raw.all<{ userId: number; slackUserId: string; name: string | null }>(
    `SELECT u."id" AS "userId", u."slackUserId", u."name" FROM "TeamMember" m JOIN "User" u ON u."id" = m."userId"
     WHERE m."teamId" = ? AND u."inactive" = ${inactiveFalse} ORDER BY m."userId"`,
    [team.id],
  );
  const ids = members.map((m) => m.userId);
  // The team's active members, by subquery (one parameter whatever the team size).
  const teamMembers = `(SELECT m."userId" FROM "TeamMember" m JOIN "User" u ON u."id" = m."userId" WHERE m."teamId" = ? AND u."inactive" = ${inactiveFalse})`;
  const sameWindow = period.rankingStart.getTime() === period.start.getTime() && period.rankingEnd.getTime() === period.end.getTime();
  const wonQuery = (start: Date, end: Date) => {
    const p: unknown[] = [team.id, raw.time(start), raw.time(end)];
    return raw.all<{ ownerId: number; total: number | bigint | null; deals: number | bigint }>(
      `SELECT "ownerId", SUM("amountCents") AS "total", COUNT(*) AS "deals" FROM "Deal" WHERE "ownerId" IN ${teamMembers} AND "status" = 'won' AND "wonAt" >= ? AND "wonAt" < ? GROUP BY "ownerId"`,
      p,
    );
  };
  const pq: unknown[] = [team.id, own.type, own.startDate];
  const pt: unknown[] = [team.id, raw.time(period.start), raw.time(period.end)];
  const [quotas, won, rankingWon, touches] = ids.length === 0
    ? [[], [], null, []]
    : await Promise.all([
        raw.all<{ userId: number; periodType: string; periodStart: string; amountCents: number | bigint; rampFactor: number }>(
          `SELECT "userId", "periodType", "periodStart", "amountCents", "rampFactor" FROM "Quota" WHERE "userId" IN ${teamMembers} AND "periodType" = ? AND "periodStart" = ?`,
          pq,
        ),
        wonQuery(period.start, period.end),
        sameWindow ? Promise.resolve(null) : wonQuery(period.rankingStart, period.rankingEnd),
        raw.all<{ userId: number; n: number | bigint }>(`SELECT "userId", COUNT(*) AS "n" FROM "Touch" WHERE "userId" IN ${teamMembers} AND "occurredAt" >= ? AND "occurredAt" < ? GROUP BY "userId"`, pt),
      ]);
  timing.sqlMs += performance.now() - t0;
  const wonBy = new Map(won.map((w) => [w.ownerId, { wonCents: Number(w.total ?? 0), dealsWon: Number(w.deals) }]));
  const rankingBy = rankingWon ? new Map(rankingWon.map((w) => [w.ownerId, Number(w.total ?? 0)])) : null;
  const touchesBy = new Map(touches.map((t) => [t.userId, Number(t.n)]));
  const quotasBy = new Map<number, { userId: number; periodType: string; periodStart: string; amountCents: number; rampFactor: number }[]>();
  for (const q of quotas) {
    const list = quotasBy.get(q.userId) ?? [];
    list.push({ ...q, amountCents: Number(q.amountCents) });
    quotasBy.set(q.userId, list);
  }
  const rows: LeaderboardRow[] = members.map((m) => {
    const w = wonBy.get(m.userId);
    const wonCents = w?.wonCents ?? 0;
    return {
      userId: String(m.userId),
      slackUserId: m.slackUserId,
      name: m.name ?? m.slackUserId,
      quotaCents: effectiveLeaderboardQuota(quotasBy.get(m.userId) ?? [], own),
      wonCents,
      dealsWon: w?.dealsWon ?? 0,
      touches: touchesBy.get(m.userId) ?? 0,
      rankingWonCents: rankingBy ? (rankingBy.get(m.userId) ?? 0) : wonCents,
    };
  });
  const board = rankLeaderboard(rows.map((r) => ({ ...r, wonCents: r.rankingWonCents, original: r })));
  return {
    ranked: board.ranked.map((r) => ({ rank: r.rank, attainment: r.attainment, rep: r.rep.original })),
    unranked: board.unranked.map((r) => r.original),
    memberCount: members.length,
  };
}
