import type { Db } from "../../src/db/client.js";

/**
 * A hand-built team for leaderboard tests. Team zone Europe/Berlin; the week under test is ISO week
 * 2026-W15 (Mon 6 – Sun 12 April 2026), in Q2 FY2026 (calendar fiscal year). Quarter quotas and
 * closed-won deals give, ranked by Q2 attainment to the week's end:
 *
 *   rank  rep         quota (eff.)   Q2 won to 12 Apr   attainment   week: won / deals / touches
 *   1     Ann Adams   $100k          $60k               60 %         $60k / 1 / 3
 *   1     Bob Baker   $100k × 0.5    $30k               60 % (tie)   $0 / 0 / 1
 *   3     Cat Chen    $200k          $50k               25 %         $20k / 1 / 0
 *   4     Dan Diaz    $80k           $0                 0 %          $0 / 0 / 0
 *   –     Eve Evans   no quota       $10k               unranked     $10k / 1 / 0
 *
 * Deals that must NOT count: Ann's lost and open deals, Cat's Q1 win, Cat's win at 00:30 on
 * Monday 13 April Berlin time (still Sunday in UTC), Dan's win on 13 April. Olga (deactivated) is
 * a member and must not appear at all.
 */
export const SEED = {
  teamName: "West Coast",
  channelId: "CSALES",
  zone: "Europe/Berlin",
  /** Monday 13 April 2026, 09:05 in Berlin: the weekly post for W15 is due. */
  weeklyPostAt: "2026-04-13T07:05:00Z",
  weekKey: "2026-W15",
  users: {
    ann: "UANN",
    bob: "UBOB",
    cat: "UCAT",
    dan: "UDAN",
    eve: "UEVE",
    olga: "UOLGA",
    manager: "UMGR",
  },
} as const;

export interface SeededTeam {
  workspaceId: number;
  teamId: number;
  userIds: Record<keyof typeof SEED.users, number>;
}

const NAMES: Record<keyof typeof SEED.users, string> = {
  ann: "Ann Adams",
  bob: "Bob Baker",
  cat: "Cat Chen",
  dan: "Dan Diaz",
  eve: "Eve Evans",
  olga: "Olga Old",
  manager: "Mia Manager",
};

const $ = (dollars: number) => BigInt(dollars * 100);

export async function seedLeaderboardTeam(db: Db, opts: { slackTeamId?: string; channelId?: string | null } = {}): Promise<SeededTeam> {
  const ws = await db.workspace.upsert({
    where: { slackTeamId: opts.slackTeamId ?? "T0TEST" },
    create: { slackTeamId: opts.slackTeamId ?? "T0TEST", timezone: "America/New_York" },
    update: {},
  });
  const userIds = {} as Record<keyof typeof SEED.users, number>;
  for (const key of Object.keys(SEED.users) as (keyof typeof SEED.users)[]) {
    const u = await db.user.create({
      data: {
        workspaceId: ws.id,
        slackUserId: SEED.users[key],
        name: NAMES[key],
        timezone: SEED.zone,
        role: key === "manager" ? "manager" : "rep",
        inactive: key === "olga",
      },
    });
    userIds[key] = u.id;
  }
  const team = await db.team.create({
    data: {
      workspaceId: ws.id,
      name: SEED.teamName,
      nameKey: "west coast",
      managerId: userIds.manager,
      channelId: opts.channelId === undefined ? SEED.channelId : opts.channelId,
      timezone: SEED.zone,
    },
  });
  for (const key of ["ann", "bob", "cat", "dan", "eve", "olga"] as const) {
    await db.teamMember.create({ data: { teamId: team.id, userId: userIds[key] } });
  }
  const quota = (key: keyof typeof SEED.users, dollars: number, rampFactor = 1) =>
    db.quota.create({ data: { userId: userIds[key], periodType: "quarter", periodStart: "2026-04-01", amountCents: $(dollars), rampFactor } });
  await quota("ann", 100_000);
  await quota("bob", 100_000, 0.5);
  await quota("cat", 200_000);
  await quota("dan", 80_000);
  await quota("olga", 10_000);
  // A Q1 quota must not be used for Q2.
  await db.quota.create({ data: { userId: userIds.eve, periodType: "quarter", periodStart: "2026-01-01", amountCents: $(50_000) } });

  const accounts: Record<string, number> = {};
  for (const key of ["ann", "bob", "cat", "dan", "eve", "olga"] as const) {
    const a = await db.account.create({ data: { workspaceId: ws.id, ownerId: userIds[key], name: `${NAMES[key]} Corp`, nameKey: `${key} corp` } });
    accounts[key] = a.id;
  }
  const deal = (key: keyof typeof accounts & keyof typeof SEED.users, dollars: number, status: "won" | "lost" | "open", at: string) =>
    db.deal.create({
      data: {
        accountId: accounts[key]!,
        ownerId: userIds[key],
        amountCents: $(dollars),
        status,
        stage: status === "open" ? "proposal" : status,
        ...(status === "won" ? { wonAt: new Date(at) } : status === "lost" ? { lostAt: new Date(at) } : {}),
      },
    });
  await deal("ann", 60_000, "won", "2026-04-08T10:00:00+02:00");
  await deal("ann", 99_000, "lost", "2026-04-09T10:00:00+02:00");
  await deal("ann", 50_000, "open", "2026-04-09T10:00:00+02:00");
  await deal("bob", 30_000, "won", "2026-04-02T10:00:00+02:00");
  await deal("cat", 30_000, "won", "2026-04-03T10:00:00+02:00");
  await deal("cat", 20_000, "won", "2026-04-07T10:00:00+02:00");
  await deal("cat", 40_000, "won", "2026-03-20T10:00:00+01:00");
  await deal("cat", 70_000, "won", "2026-04-12T22:30:00Z"); // 00:30 Monday in Berlin
  await deal("dan", 100_000, "won", "2026-04-13T08:00:00+02:00");
  await deal("eve", 10_000, "won", "2026-04-09T10:00:00+02:00");
  await deal("olga", 90_000, "won", "2026-04-09T10:00:00+02:00");

  const touch = (key: keyof typeof accounts & keyof typeof SEED.users, at: string) =>
    db.touch.create({ data: { accountId: accounts[key]!, userId: userIds[key], kind: "call", occurredAt: new Date(at) } });
  await touch("ann", "2026-04-06T09:00:00+02:00");
  await touch("ann", "2026-04-08T09:00:00+02:00");
  await touch("ann", "2026-04-12T23:00:00+02:00");
  await touch("bob", "2026-04-01T09:00:00+02:00");
  await touch("bob", "2026-04-02T09:00:00+02:00");
  await touch("bob", "2026-04-10T09:00:00+02:00");
  return { workspaceId: ws.id, teamId: team.id, userIds };
}
