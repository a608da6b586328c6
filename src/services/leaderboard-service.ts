import { rankLeaderboard, type LeaderboardRep, type RankedRep } from "../domain/leaderboard.js";
import {
  effectiveLeaderboardQuota,
  leaderboardPeriod,
  type LeaderboardPeriod,
  type LeaderboardPeriodType,
} from "../domain/leaderboard-periods.js";
import { safeZone, type LocalDate } from "../domain/time.js";
import type { LeaderboardRepository } from "../db/repositories/leaderboard-repository.js";
import type { PostingTeam, Team } from "../db/repositories/team-repository.js";
import { languageFor, type Language } from "../i18n/translate.js";
import type { Workspace } from "../db/repositories/workspace-repository.js";

/** Secondary columns a manager can choose (Team.leaderboardMetrics). */
export type LeaderboardMetric = "won" | "deals" | "touches";
export const LEADERBOARD_METRICS: readonly LeaderboardMetric[] = ["won", "deals", "touches"];

export function isLeaderboardMetric(value: string): value is LeaderboardMetric {
  return (LEADERBOARD_METRICS as readonly string[]).includes(value);
}

/** "won,deals,touches" → the valid metrics, in the order given, without repeats. */
export function parseMetrics(stored: string): LeaderboardMetric[] {
  const out: LeaderboardMetric[] = [];
  for (const m of stored.split(",").map((s) => s.trim().toLowerCase())) if (isLeaderboardMetric(m) && !out.includes(m)) out.push(m);
  return out;
}

export interface LeaderboardRow extends LeaderboardRep {
  slackUserId: string;
  /** Closed-won in the attainment window (the quarter to date for a week; else equals wonCents). */
  rankingWonCents: number;
}

export interface LeaderboardView {
  teamId: number;
  teamName: string;
  period: LeaderboardPeriod;
  /** The zone the period was cut in. */
  zone: string;
  currency: string;
  metrics: LeaderboardMetric[];
  /** Ranked by attainment; `attainment` is rankingWon ÷ quota. */
  ranked: RankedRep<LeaderboardRow>[];
  /** Members without a quota for the period. */
  unranked: LeaderboardRow[];
  memberCount: number;
}

/** Language and number locale of a team's channel posts (leaderboards, celebrations): its manager's, else English. */
export function voiceOf(team: PostingTeam): { language: Language; locale: string } {
  const m = team.manager;
  if (!m) return { language: "en", locale: "en-US" };
  const language = languageFor(m.locale, m.language);
  return { language, locale: m.language === "de" ? "de-DE" : m.language === "en" ? "en-US" : m.locale };
}

/** The zone a team's periods are cut in: its own, else the workspace's. */
export function teamZone(team: Pick<Team, "timezone">, workspace: Pick<Workspace, "timezone">, fallback: string): string {
  return safeZone(team.timezone, safeZone(workspace.timezone, fallback));
}

/**
 * Builds a team's leaderboard for the period of `type` containing `date` (a local date in the team's
 * zone). The rules are in `domain/leaderboard-periods.ts` and `domain/leaderboard.ts`.
 */
export class LeaderboardService {
  constructor(
    private readonly repo: LeaderboardRepository,
    private readonly defaults: { timezone: string },
  ) {}

  async view(team: Team, workspace: Workspace, type: LeaderboardPeriodType, date: LocalDate): Promise<LeaderboardView> {
    const zone = teamZone(team, workspace, this.defaults.timezone);
    const period = leaderboardPeriod(type, date, zone, workspace.fiscalYearStartMonth);
    const members = await this.repo.members(team.id);
    // The figures are read for the team's (active) members by a subquery: one parameter, any team size.
    const ofTeam = { teamId: team.id };
    const own = period.quotaPeriod;
    const wanted = [{ periodType: own.type, periodStart: own.startDate }];
    const sameWindow = period.rankingStart.getTime() === period.start.getTime() && period.rankingEnd.getTime() === period.end.getTime();
    const [quotas, won, rankingWon, touches] = await Promise.all([
      this.repo.quotas(ofTeam, wanted),
      this.repo.wonByOwner(ofTeam, period.start, period.end),
      sameWindow ? Promise.resolve(null) : this.repo.wonByOwner(ofTeam, period.rankingStart, period.rankingEnd),
      this.repo.touchesByUser(ofTeam, period.start, period.end),
    ]);
    // Quotas by member: one pass, not a scan of every quota per member (quadratic for big teams).
    const quotasByUser = new Map<number, typeof quotas>();
    for (const q of quotas) {
      const list = quotasByUser.get(q.userId);
      if (list) list.push(q);
      else quotasByUser.set(q.userId, [q]);
    }
    const rows: LeaderboardRow[] = members.map((m) => {
      const w = won.get(m.userId);
      const wonCents = w?.wonCents ?? 0;
      const rankingWonCents = rankingWon ? (rankingWon.get(m.userId)?.wonCents ?? 0) : wonCents;
      return {
        userId: String(m.userId),
        slackUserId: m.slackUserId,
        name: m.name ?? m.slackUserId,
        quotaCents: effectiveLeaderboardQuota(quotasByUser.get(m.userId) ?? [], own),
        wonCents,
        dealsWon: w?.dealsWon ?? 0,
        touches: touches.get(m.userId) ?? 0,
        rankingWonCents,
      };
    });
    // rankLeaderboard ranks on wonCents ÷ quota: give it the attainment window's won amount, then
    // restore the period's own figures for the columns.
    const board = rankLeaderboard(rows.map((r) => ({ ...r, wonCents: r.rankingWonCents, original: r })));
    return {
      teamId: team.id,
      teamName: team.name,
      period,
      zone,
      currency: workspace.currency,
      metrics: parseMetrics(team.leaderboardMetrics),
      ranked: board.ranked.map((r) => ({ rank: r.rank, attainment: r.attainment, rep: r.rep.original })),
      unranked: board.unranked.map((r) => r.original),
      memberCount: members.length,
    };
  }
}
