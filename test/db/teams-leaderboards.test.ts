import { afterAll, beforeAll, expect, it } from "vitest";
import type { Principal } from "../../src/domain/authorization.js";
import { createLogger } from "../../src/logger.js";
import type { Actor } from "../../src/services/actor-service.js";
import { toActor } from "../../src/services/actor-service.js";
import { createServices, type Services } from "../../src/services/services.js";
import { LeaderboardJob } from "../../src/jobs/leaderboard-job.js";
import { planCelebrations } from "../../src/slack/celebrations.js";
import { describeEachProvider } from "../support/providers.js";
import { createTestDatabase, type TestDatabase } from "../support/test-database.js";
import { SEED, seedLeaderboardTeam, type SeededTeam } from "../support/leaderboard-seed.js";

const quiet = createLogger("error", () => undefined);

describeEachProvider("teams and leaderboards, repositories and services [%s]", (provider) => {
  let database: TestDatabase;
  let services: Services;
  let seed: SeededTeam;

  beforeAll(async () => {
    database = await createTestDatabase(provider);
    services = createServices(database.db, { defaultTimezone: "America/New_York", now: () => new Date(SEED.weeklyPostAt), logger: quiet });
    seed = await seedLeaderboardTeam(database.db.prisma);
  });
  afterAll(async () => database?.drop());

  async function actorFor(slackUserId: string): Promise<{ actor: Actor; principal: Principal }> {
    const ws = await services.repos.workspaces.ensure("T0TEST", { timezone: "America/New_York" });
    const user = await services.repos.users.findBySlackId(ws.id, slackUserId);
    if (!user) throw new Error(`no user ${slackUserId}`);
    const actor = toActor(user, ws, "America/New_York");
    return { actor, principal: await services.principal(actor) };
  }

  async function weekView() {
    const team = await services.repos.teams.findById(seed.teamId);
    const ws = await services.repos.workspaces.findById(seed.workspaceId);
    return services.leaderboards.view(team!, ws!, "week", "2026-04-08");
  }

  it("ranks the hand-built team for the week: quarter attainment to date, ties shared, no-quota rep apart", async () => {
    const view = await weekView();
    expect(view.period.key).toBe("2026-W15");
    expect(view.ranked.map((r) => [r.rank, r.rep.name, Math.round(r.attainment * 100)])).toEqual([
      [1, "Ann Adams", 60],
      [1, "Bob Baker", 60],
      [3, "Cat Chen", 25],
      [4, "Dan Diaz", 0],
    ]);
    expect(view.unranked.map((r) => r.name)).toEqual(["Eve Evans"]);
    // Secondary columns are the week's own figures.
    const byName = new Map([...view.ranked.map((r) => r.rep), ...view.unranked].map((r) => [r.name, r]));
    expect(byName.get("Ann Adams")).toMatchObject({ wonCents: 6_000_000, dealsWon: 1, touches: 3 });
    expect(byName.get("Bob Baker")).toMatchObject({ wonCents: 0, dealsWon: 0, touches: 1, quotaCents: 5_000_000 });
    expect(byName.get("Cat Chen")).toMatchObject({ wonCents: 2_000_000, dealsWon: 1, touches: 0 });
    expect(byName.get("Eve Evans")).toMatchObject({ wonCents: 1_000_000, dealsWon: 1, quotaCents: null });
    expect(byName.has("Olga Old")).toBe(false);
  });

  it("ranks a quarter on the quarter's own figures", async () => {
    const team = await services.repos.teams.findById(seed.teamId);
    const ws = await services.repos.workspaces.findById(seed.workspaceId);
    const view = await services.leaderboards.view(team!, ws!, "quarter", "2026-05-01");
    // Cat's 00:30-Monday deal (Q2) and Dan's 13 April deal count for the whole quarter.
    expect(view.ranked.map((r) => [r.rank, r.rep.name, Math.round(r.attainment * 100)])).toEqual([
      [1, "Dan Diaz", 125],
      [2, "Cat Chen", 60], // ties: more won first
      [2, "Ann Adams", 60],
      [2, "Bob Baker", 60],
    ]);
  });

  it("aggregates won deals and touches with one GROUP BY each, within [start, end)", async () => {
    const ids = Object.values(seed.userIds);
    const won = await services.repos.leaderboard.wonByOwner(ids, new Date("2026-04-01T00:00:00+02:00"), new Date("2026-04-08T10:00:00+02:00"));
    expect(won.get(seed.userIds.bob)).toEqual({ wonCents: 3_000_000, dealsWon: 1 });
    expect(won.get(seed.userIds.cat)).toEqual({ wonCents: 5_000_000, dealsWon: 2 });
    expect(won.has(seed.userIds.ann)).toBe(false); // won exactly at the (exclusive) end
    const touches = await services.repos.leaderboard.touchesByUser(ids, new Date("2026-04-01T00:00:00+02:00"), new Date("2026-04-13T00:00:00+02:00"));
    expect(touches.get(seed.userIds.bob)).toBe(3);
    expect(await services.repos.leaderboard.members(seed.teamId)).toHaveLength(5);
  });

  it("refuses team changes to reps, and to managers of other teams; admins may change any", async () => {
    const rep = await actorFor(SEED.users.ann);
    expect(await services.teams.create(rep.actor, rep.principal, "Rogue")).toEqual({ kind: "denied", reason: "manager_only" });
    expect(await services.teams.updateSettings(rep.actor, rep.principal, SEED.teamName, { celebrateWins: false })).toEqual({ kind: "denied", reason: "manager_only" });

    const mgr = await actorFor(SEED.users.manager);
    const created = await services.teams.create(mgr.actor, mgr.principal, "  East   Coast ");
    expect(created).toMatchObject({ kind: "created", team: { name: "East Coast", managerId: mgr.actor.user.id } });
    expect(await services.teams.create(mgr.actor, mgr.principal, "EAST coast")).toMatchObject({ kind: "exists" });

    // Another manager cannot change Mia's team.
    await services.repos.users.update(seed.userIds.dan, { role: "manager" });
    const other = await actorFor(SEED.users.dan);
    expect(await services.teams.updateSettings(other.actor, other.principal, "east coast", { celebrateWins: false })).toMatchObject({ kind: "not_manager" });
    await services.repos.users.update(seed.userIds.dan, { role: "rep" });

    await services.repos.users.update(seed.userIds.eve, { role: "admin" });
    const admin = await actorFor(SEED.users.eve);
    expect(await services.teams.updateSettings(admin.actor, admin.principal, "East Coast", { metrics: ["touches"] })).toMatchObject({
      kind: "ok",
      team: { leaderboardMetrics: "touches" },
    });
    await services.repos.users.update(seed.userIds.eve, { role: "rep" });
    expect(await services.teams.updateSettings(mgr.actor, mgr.principal, "Eest Coast", {})).toEqual({ kind: "not_found", name: "Eest Coast", suggestion: "East Coast" });
  });

  it("adds and removes members, creating unknown Slack users from users.info", async () => {
    const mgr = await actorFor(SEED.users.manager);
    const lookup = async (id: string) =>
      id === "UNEW" ? { slackUserId: id, name: "Nina New", email: null, timezone: "Europe/Paris", locale: "fr-FR", isSlackAdmin: false, inactive: false } : null;
    const added = await services.teams.addMembers(mgr.actor, mgr.principal, "East Coast", ["UNEW", SEED.users.ann, "UGHOST"], lookup);
    expect(added).toMatchObject({ kind: "ok", unknown: ["UGHOST"] });
    if (added.kind !== "ok") throw new Error("unreachable");
    expect(added.changed.map((u) => u.name)).toEqual(["Nina New", "Ann Adams"]);
    const again = await services.teams.addMembers(mgr.actor, mgr.principal, "East Coast", ["UNEW"], lookup);
    expect(again).toMatchObject({ kind: "ok", changed: [], unchanged: [{ slackUserId: "UNEW" }] });
    // The manager's scope now includes the new members.
    expect(new Set(await services.repos.teams.managedUserIds(mgr.actor.user.id))).toContain(seed.userIds.ann);

    const removed = await services.teams.removeMembers(mgr.actor, mgr.principal, "East Coast", [SEED.users.ann, SEED.users.cat]);
    expect(removed).toMatchObject({ kind: "ok" });
    if (removed.kind !== "ok") throw new Error("unreachable");
    expect(removed.changed.map((u) => u.slackUserId)).toEqual([SEED.users.ann]);
    expect(removed.unchanged.map((u) => u.slackUserId)).toEqual([SEED.users.cat]);
  });

  it("sets the channel only when the bot is a member, and promotes a new manager", async () => {
    const mgr = await actorFor(SEED.users.manager);
    const probe = async (id: string) => ({ exists: id !== "CNONE", isMember: id === "CIN", isArchived: false });
    expect(await services.teams.setChannel(mgr.actor, mgr.principal, "East Coast", "COUT", probe)).toMatchObject({ kind: "bot_not_in_channel" });
    expect(await services.teams.setChannel(mgr.actor, mgr.principal, "East Coast", "CNONE", probe)).toMatchObject({ kind: "channel_not_found" });
    expect((await services.teams.find(seed.workspaceId, "East Coast")) as { channelId: string | null }).toMatchObject({ channelId: null });
    expect(await services.teams.setChannel(mgr.actor, mgr.principal, "East Coast", "CIN", probe)).toMatchObject({ kind: "ok", team: { channelId: "CIN" } });

    const r = await services.teams.setManager(mgr.actor, mgr.principal, "East Coast", SEED.users.cat, async () => null);
    expect(r).toMatchObject({ kind: "ok", promoted: true, manager: { role: "manager", slackUserId: SEED.users.cat } });
    // Mia no longer manages it.
    const again = await actorFor(SEED.users.manager);
    expect(await services.teams.updateSettings(again.actor, again.principal, "East Coast", { celebrateWins: false })).toMatchObject({ kind: "not_manager" });
    await services.repos.users.update(seed.userIds.cat, { role: "rep" });
  });

  it("plans the weekly post once per team and period, however often the job runs", async () => {
    // Only the seeded team posts here (East Coast, in New York time, would be due later that day).
    const east = await services.teams.find(seed.workspaceId, "East Coast");
    if (!("kind" in east)) await services.repos.teams.update(east.id, { channelId: null });
    const job = new LeaderboardJob({ services, logger: quiet, defaultTimezone: "America/New_York" });
    expect(await job.plan(new Date("2026-04-13T06:59:00Z"))).toEqual({ enqueued: 0 }); // 08:59 in Berlin
    expect(await job.plan(new Date(SEED.weeklyPostAt))).toEqual({ enqueued: 1 });
    expect(await job.plan(new Date("2026-04-13T15:00:00Z"))).toEqual({ enqueued: 0 });
    const rows = await services.repos.outbox.list({ kind: "leaderboard_week" });
    expect(rows.map((r) => [r.recipient, r.localDate, r.status])).toEqual([[SEED.channelId, `team-${seed.teamId}:2026-W15`, "pending"]]);
    const payload = JSON.parse(rows[0]!.payload) as { chart?: { bars: unknown[] } };
    expect(payload.chart?.bars).toHaveLength(4);
  });

  it("enqueues one celebration per deal and channel, only for teams with celebrations on", async () => {
    const event = { workspaceId: seed.workspaceId, dealId: 4242, ownerId: seed.userIds.bob, ownerSlackUserId: SEED.users.bob, accountName: "Bob Baker Corp", amountCents: 1_000_000, currency: "USD" };
    expect(await planCelebrations(services, event, new Date())).toBe(1);
    expect(await planCelebrations(services, event, new Date())).toBe(0);
    await services.repos.teams.update(seed.teamId, { celebrateWins: false });
    expect(await planCelebrations(services, { ...event, dealId: 4243 }, new Date())).toBe(0);
    await services.repos.teams.update(seed.teamId, { celebrateWins: true });
  });
});
