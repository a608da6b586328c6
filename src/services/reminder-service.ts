import type { User, Workspace } from "../generated/sqlite/client.js";
import { thresholdsOf, type ReminderRepository } from "../db/repositories/reminder-repository.js";
import {
  buildReminder,
  MANAGER_KEY_ACCOUNTS_TOP,
  MANAGER_SLIPPING_DEALS_TOP,
  neglectedRow,
  quotaGapOf,
  type ReminderAccount,
  type ReminderView,
  type ManagerDigestView,
  type RepBehind,
  type TeamNeglected,
  type TeamSlippingDeal,
} from "../domain/reminder.js";
import { dealsNeedingAttention, rankAttention } from "../domain/deal-attention.js";
import { neglectedAccounts, topWithRest, type NeglectThresholds } from "../domain/neglect.js";
import { periodContaining, type PaceMode, type Period, type PeriodType } from "../domain/periods.js";
import { quotaProgress, type QuotaProgress } from "../domain/quota.js";
import {
  mondayOf,
  nextReminder,
  parseReminderDays,
  parseStoredSkipDates,
  type ReminderSchedule,
} from "../domain/reminder-schedule.js";
import { localDateOf, localDayRange, safeZone, type LocalDate } from "../domain/time.js";
import { toActor, type Actor } from "./actor-service.js";
import { dealAttentionOf } from "./workspace-settings-service.js";

/** Whom a digest is for, and how to speak to them. */
export type ReminderTarget = Actor;

/** A user's quota standing for the period their digest and Home use. */
export interface QuotaSnapshot {
  period: Period;
  progress: QuotaProgress;
  /** Whether a quota is set for the period (false → progress.status "no_quota"). */
  hasQuota: boolean;
  /** Closed-won revenue in the period so far. */
  wonCents: number;
}

export interface BuiltReminder {
  target: ReminderTarget;
  view: ReminderView;
  quota: QuotaSnapshot;
}

export interface HomeView {
  reminder: ReminderView;
  quota: QuotaSnapshot;
  schedule: ReminderSchedule;
  nextReminder: { localDate: string; at: Date } | null;
}

/** Period types tried for the digest's quota section, in order of preference. */
const QUOTA_PREFERENCE: readonly PeriodType[] = ["quarter", "month", "year"];

export function scheduleOf(user: User, zone: string): ReminderSchedule {
  return {
    zone,
    time: user.reminderTime,
    days: new Set(parseReminderDays(user.reminderDays)),
    skipDates: new Set(parseStoredSkipDates(user.reminderSkipDates)),
    paused: user.remindersPaused,
    inactive: user.inactive,
  };
}

function paceModeOf(ws: Workspace): PaceMode {
  return ws.paceMode === "calendar" ? "calendar" : "business";
}

function safeRamp(r: number): number {
  return r > 0 && r <= 1 ? r : 1;
}

/**
 * Builds digests (daily and manager) and the Home dashboard, for batches of users: every read is a
 * batch query from DigestRepository, so the cost grows with the number of batches, not with
 * users × accounts.
 */
export class ReminderService {
  constructor(
    private readonly repo: ReminderRepository,
    private readonly defaults: { timezone: string },
    /** Tells whether today's digest row exists, so "next reminder" never names one already sent. */
    private readonly reminderHandled: (slackUserId: string, localDate: LocalDate) => Promise<boolean> = async () => false,
  ) {}

  /** The actor's next reminder, skipping today once today's digest has gone out (or was empty). */
  async nextReminderFor(actor: Actor, now: Date): Promise<{ localDate: LocalDate; at: Date } | null> {
    const schedule = scheduleOf(actor.user, actor.zone);
    const today = localDateOf(now, actor.zone);
    const handled = (await this.reminderHandled(actor.user.slackUserId, today)) ? new Set([today]) : new Set<LocalDate>();
    return nextReminder(schedule, now, 60, handled);
  }

  /** Actors for users, loading their workspaces in one query. */
  async targetsFor(users: readonly User[], known: ReadonlyMap<number, Workspace> = new Map()): Promise<ReminderTarget[]> {
    const missing = [...new Set(users.map((u) => u.workspaceId))].filter((id) => !known.has(id));
    const loaded = await this.repo.workspacesByIds(missing);
    const all = new Map([...known, ...loaded]);
    return users.flatMap((u) => {
      const ws = all.get(u.workspaceId);
      return ws ? [toActor(u, ws, this.defaults.timezone)] : [];
    });
  }

  /** The daily digest of each target at `now`. */
  async buildMany(targets: readonly ReminderTarget[], now: Date, opts: { neglectedTop?: number; followUpLimit?: number; dealTop?: number } = {}): Promise<Map<number, BuiltReminder>> {
    const out = new Map<number, BuiltReminder>();
    if (targets.length === 0) return out;
    const thresholds = this.thresholdsByWorkspace(targets);
    const owners = targets.map((t) => ({ userId: t.user.id, workspaceId: t.workspace.id }));
    const before = new Date(Math.max(...targets.map((t) => localDayRange(now, t.zone).end.getTime())));
    const dealThresholds = new Map(targets.map((t) => [t.workspace.id, dealAttentionOf(t.workspace)]));
    const [accounts, followUps, quotas, deals] = await Promise.all([
      this.repo.neglectCandidates(owners, thresholds, now),
      this.repo.followUpsDue(targets.map((t) => t.user.id), before, now),
      this.quotaSnapshots(targets, now),
      this.repo.dealAttentionCandidates(targets.map((t) => t.user.id), [...dealThresholds.values()], now),
    ]);
    for (const target of targets) {
      const quota = quotas.get(target.user.id);
      if (!quota) continue;
      const view = buildReminder({
        now,
        zone: target.zone,
        accounts: accounts.get(target.user.id) ?? [],
        thresholds: thresholds.get(target.workspace.id) ?? thresholdsOf(target.workspace),
        followUps: followUps.get(target.user.id) ?? [],
        quota: quota.hasQuota ? { progress: quota.progress, period: quota.period } : null,
        deals: deals.get(target.user.id) ?? [],
        dealThresholds: dealThresholds.get(target.workspace.id),
        neglectedTop: opts.neglectedTop,
        followUpLimit: opts.followUpLimit,
        dealTop: opts.dealTop,
      });
      out.set(target.user.id, { target, view, quota });
    }
    return out;
  }

  /** What the actor's next reminder would say (for `/ae today` and the CLI preview). */
  async forActor(actor: Actor, now: Date): Promise<BuiltReminder> {
    const built = (await this.buildMany([actor], now)).get(actor.user.id);
    if (!built) throw new Error(`no digest could be built for user ${actor.user.id}`);
    return built;
  }

  /** The user's digest by Slack id, for the CLI; null when no such user. */
  async forSlackUser(slackUserId: string, now: Date): Promise<BuiltReminder | null> {
    const user = await this.repo.findUserBySlackId(slackUserId);
    if (!user) return null;
    const [target] = await this.targetsFor([user]);
    return target ? this.forActor(target, now) : null;
  }

  /** The Home tab: quota progress, neglected accounts, follow-ups due and the reminder schedule. */
  async home(actor: Actor, now: Date): Promise<HomeView> {
    const built = (await this.buildMany([actor], now, { neglectedTop: 10, followUpLimit: 15 })).get(actor.user.id);
    if (!built) throw new Error(`no Home could be built for user ${actor.user.id}`);
    const schedule = scheduleOf(actor.user, actor.zone);
    return { reminder: built.view, quota: built.quota, schedule, nextReminder: await this.nextReminderFor(actor, now) };
  }

  /**
   * Each manager's weekly digest: reps (members of the teams they manage) behind linear pace, the
   * team's neglected key accounts, and the team's slipping deals — each rep's deals judged as their
   * own reminder judges them (their zone, their workspace's thresholds), ranked across the team —
   * most urgent first.
   */
  async managerDigests(managers: readonly ReminderTarget[], now: Date): Promise<Map<number, ManagerDigestView>> {
    const out = new Map<number, ManagerDigestView>();
    if (managers.length === 0) return out;
    const rows = await this.repo.teamMembersOf(managers.map((m) => m.user.id));
    const known = new Map(managers.map((m) => [m.workspace.id, m.workspace]));
    const memberUsers = [...new Map(rows.map((r) => [r.user.id, r.user])).values()].filter((u) => !u.inactive);
    const members = await this.targetsFor(memberUsers, known);
    const byId = new Map(members.map((m) => [m.user.id, m]));
    const thresholds = this.thresholdsByWorkspace(members);
    const dealThresholds = new Map(members.map((m) => [m.workspace.id, dealAttentionOf(m.workspace)]));
    const departedUsers = [...new Map(rows.filter((r) => r.user.inactive).map((r) => [r.user.id, r.user])).values()];
    const [quotas, keyAccounts, dealCandidates, departedAccounts] = await Promise.all([
      this.quotaSnapshots(members, now),
      this.repo.neglectCandidates(
        members.map((m) => ({ userId: m.user.id, workspaceId: m.workspace.id })),
        thresholds,
        now,
        ["key"],
      ),
      this.repo.dealAttentionCandidates(members.map((m) => m.user.id), [...dealThresholds.values()], now),
      this.repo.liveAccountCounts(departedUsers.map((u) => u.id)),
    ]);
    // Each rep's slipping deals once, whichever of their managers' digests they land in.
    const slippingByRep = new Map(
      members.map((m) => {
        const { rows } = dealsNeedingAttention(dealCandidates.get(m.user.id) ?? [], dealAttentionOf(m.workspace), now, m.zone, Infinity);
        return [m.user.id, rows.map((r): TeamSlippingDeal => ({ ...r, ownerSlackUserId: m.user.slackUserId, ownerName: m.user.name ?? m.user.slackUserId }))];
      }),
    );
    for (const manager of managers) {
      const team = [...new Set(rows.filter((r) => r.member.managerId === manager.user.id).map((r) => r.user.id))]
        .map((id) => byId.get(id))
        .filter((m): m is ReminderTarget => m !== undefined);
      const repsBehind: RepBehind[] = team.flatMap((m) => {
        const q = quotas.get(m.user.id);
        const gap = q?.hasQuota ? quotaGapOf({ progress: q.progress, period: q.period }) : null;
        return gap ? [{ userId: m.user.id, slackUserId: m.user.slackUserId, name: m.user.name ?? m.user.slackUserId, gap }] : [];
      });
      repsBehind.sort((a, b) => b.gap.behindByCents - a.gap.behindByCents || a.name.localeCompare(b.name));
      type Owned = ReminderAccount & { owner: ReminderTarget };
      const candidates: Owned[] = team.flatMap((m) => (keyAccounts.get(m.user.id) ?? []).map((a) => ({ ...a, owner: m })));
      const ranked = neglectedAccounts(candidates, thresholds.get(manager.workspace.id) ?? thresholdsOf(manager.workspace), now);
      const { top, restCount } = topWithRest(ranked, MANAGER_KEY_ACCOUNTS_TOP);
      const keyRows: TeamNeglected[] = top.map((item) => ({
        ...neglectedRow(item),
        ownerSlackUserId: item.account.owner.user.slackUserId,
        ownerName: item.account.owner.user.name ?? item.account.owner.user.slackUserId,
      }));
      const slippingDeals = rankAttention(team.flatMap((m) => slippingByRep.get(m.user.id) ?? []), MANAGER_SLIPPING_DEALS_TOP);
      const departed = [...new Set(rows.filter((r) => r.member.managerId === manager.user.id && r.user.inactive).map((r) => r.user.id))]
        .map((id) => departedUsers.find((u) => u.id === id)!)
        .filter((u) => (departedAccounts.get(u.id) ?? 0) > 0)
        .map((u) => ({ slackUserId: u.slackUserId, name: u.name, since: u.inactiveSince ? localDateOf(u.inactiveSince, manager.zone) : null, accounts: departedAccounts.get(u.id) ?? 0 }));
      out.set(manager.user.id, { weekOf: mondayOf(localDateOf(now, manager.zone)), repsBehind, keyAccounts: { rows: keyRows, restCount }, slippingDeals, departed });
    }
    return out;
  }

  private thresholdsByWorkspace(targets: readonly ReminderTarget[]): Map<number, NeglectThresholds> {
    return new Map(targets.map((t) => [t.workspace.id, thresholdsOf(t.workspace)]));
  }

  /**
   * Each target's quota standing: the current period (cut in the workspace's zone) of the first
   * type in QUOTA_PREFERENCE with a quota set, else the current quarter without a quota. One query
   * for the quotas, one GROUP BY per distinct period for closed-won revenue, one for holidays.
   */
  private async quotaSnapshots(targets: readonly ReminderTarget[], now: Date): Promise<Map<number, QuotaSnapshot>> {
    const out = new Map<number, QuotaSnapshot>();
    if (targets.length === 0) return out;
    const periodsByWs = new Map<number, Map<PeriodType, Period>>();
    for (const t of targets) {
      if (periodsByWs.has(t.workspace.id)) continue;
      const zone = safeZone(t.workspace.timezone, this.defaults.timezone);
      periodsByWs.set(t.workspace.id, new Map(QUOTA_PREFERENCE.map((type) => [type, periodContaining(type, now, zone, t.workspace.fiscalYearStartMonth)])));
    }
    const keys = targets.flatMap((t) =>
      QUOTA_PREFERENCE.map((type) => ({ userId: t.user.id, periodType: type, periodStart: periodsByWs.get(t.workspace.id)?.get(type)?.startDate ?? "" })),
    );
    const [quotas, holidays] = await Promise.all([
      this.repo.quotasFor(keys),
      this.repo.holidaysByWorkspace([...periodsByWs.keys()]),
    ]);
    const quotaByKey = new Map(quotas.map((q) => [`${q.userId}|${q.periodType}|${q.periodStart}`, q]));
    const chosen = targets.map((t) => {
      const periods = periodsByWs.get(t.workspace.id);
      for (const type of QUOTA_PREFERENCE) {
        const period = periods?.get(type);
        const quota = period && quotaByKey.get(`${t.user.id}|${type}|${period.startDate}`);
        if (period && quota) return { target: t, period, quota };
      }
      const quarter = periods?.get("quarter");
      if (!quarter) throw new Error("unreachable: every workspace has a current quarter");
      return { target: t, period: quarter, quota: null };
    });
    // One GROUP BY per distinct period (usually one per workspace).
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
        won.set(key, await this.repo.wonByOwners(g.userIds, g.period.start, g.period.end));
      }),
    );
    for (const c of chosen) {
      const ws = c.target.workspace;
      const key = `${c.period.start.toISOString()}|${c.period.end.toISOString()}`;
      const wonCents = won.get(key)?.get(c.target.user.id) ?? 0;
      const progress = quotaProgress({
        quotaCents: c.quota?.amountCents ?? null,
        rampFactor: safeRamp(c.quota?.rampFactor ?? 1),
        wonCents,
        period: c.period,
        now,
        zone: safeZone(ws.timezone, this.defaults.timezone),
        paceMode: paceModeOf(ws),
        holidays: holidays.get(ws.id) ?? new Set(),
      });
      out.set(c.target.user.id, { period: c.period, progress, hasQuota: c.quota !== null, wonCents });
    }
    return out;
  }
}
