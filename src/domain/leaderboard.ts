/**
 * Quota-attainment leaderboard.
 *
 * Rules:
 *  - attainment = wonCents / quotaCents (1 = 100 %). Reps without a positive quota cannot
 *    have an attainment and are listed separately as `unranked` (wonCents desc, then name).
 *  - Ranking is by attainment desc with standard competition ranking: equal attainment
 *    shares a rank and the next rank skips (1, 1, 3). Equality is exact (compared as
 *    cross-products in BigInt), so 1/3 and 2/6 tie while float noise cannot split them.
 *  - Display order within a tie: wonCents desc, then name, then userId.
 */

export interface LeaderboardRep {
  userId: string;
  name: string;
  /** Effective quota for the period; null or ≤ 0 means "no quota". */
  quotaCents: number | null;
  wonCents: number;
  dealsWon: number;
  touches: number;
}

export interface RankedRep<R extends LeaderboardRep = LeaderboardRep> {
  rank: number;
  rep: R;
  attainment: number;
}

export interface Leaderboard<R extends LeaderboardRep = LeaderboardRep> {
  ranked: RankedRep<R>[];
  unranked: R[];
}

function hasQuota(rep: LeaderboardRep): rep is LeaderboardRep & { quotaCents: number } {
  return rep.quotaCents !== null && Number.isFinite(rep.quotaCents) && rep.quotaCents > 0;
}

function toBig(n: number): bigint {
  return BigInt(Math.round(n));
}

/** Sign of (a.won / a.quota) − (b.won / b.quota), exactly. */
function compareAttainment(a: LeaderboardRep & { quotaCents: number }, b: LeaderboardRep & { quotaCents: number }): number {
  const left = toBig(a.wonCents) * toBig(b.quotaCents);
  const right = toBig(b.wonCents) * toBig(a.quotaCents);
  return left === right ? 0 : left > right ? 1 : -1;
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function byWonThenName(a: LeaderboardRep, b: LeaderboardRep): number {
  return b.wonCents - a.wonCents || compareText(a.name, b.name) || compareText(a.userId, b.userId);
}

export function rankLeaderboard<R extends LeaderboardRep>(reps: readonly R[]): Leaderboard<R> {
  const withQuota = reps.filter(hasQuota) as (R & { quotaCents: number })[];
  const unranked = reps.filter((r) => !hasQuota(r)).sort(byWonThenName);

  withQuota.sort((a, b) => -compareAttainment(a, b) || byWonThenName(a, b));

  const ranked: RankedRep<R>[] = [];
  withQuota.forEach((rep, i) => {
    const prev = ranked[i - 1];
    const tiedWithPrev = prev !== undefined && compareAttainment(rep, withQuota[i - 1]!) === 0;
    ranked.push({ rank: tiedWithPrev ? prev.rank : i + 1, rep, attainment: rep.wonCents / rep.quotaCents });
  });
  return { ranked, unranked };
}
