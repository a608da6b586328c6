/**
 * Replicas: two "replicas" share one PostgreSQL and run the scheduler tick at the same instant,
 * each for both scheduled jobs — four processes (`jobs run reminders` and `jobs run leaderboards`,
 * twice each) started together, with Slack answering slowly so their deliveries overlap. Each due
 * user gets exactly one DM and each team exactly one leaderboard post.
 *
 * (`src/main.ts` ticks on the wall clock once a minute and has no frozen clock, so the CLI's
 * `jobs run … --at` — the same Scheduler.tick under the same job lease, outbox and claims — stands
 * in for it. Two-process races of one job at a time are in test/e2e/reminders-delivery.e2e.test.ts
 * and test/e2e/leaderboards.e2e.test.ts; this one runs both jobs on more recipients.)
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApp, type TestApp } from "../support/e2e-harness.js";
import type { FakeChannel } from "../support/fake-slack.js";
import { appEnv, runCli } from "../support/processes.js";
import { DAY_MS, seedAccount, seedUser } from "../support/reminder-fixtures.js";
import { providerAvailable } from "../support/providers.js";

const MONDAY_9AM = new Date("2026-11-02T14:00:00Z");
const REPS = Array.from({ length: 30 }, (_, i) => `UREPL${String(i).padStart(2, "0")}`);
const TEAMS = Array.from({ length: 6 }, (_, i) => ({ name: `Replica Team ${i}`, channel: `CREPL${i}` }));

describe.runIf(providerAvailable("postgresql"))("two replicas on one PostgreSQL run the scheduler at once [postgresql]", () => {
  let t: TestApp;
  beforeAll(async () => {
    const channels: FakeChannel[] = TEAMS.map((x) => ({ id: x.channel, name: x.channel.toLowerCase(), is_member: true }));
    t = await startTestApp({ provider: "postgresql", now: MONDAY_9AM, users: REPS.map((id) => ({ id, real_name: id, tz: "America/New_York" })), fake: { channels } });
    const p = t.database.db.prisma;
    for (const [i, id] of REPS.entries()) {
      const user = await seedUser(t, { slackUserId: id, tz: "America/New_York" });
      await seedAccount(t, user, { name: `${id} Corp`, tier: "key", valueCents: 5_000_000, lastTouchAt: new Date(MONDAY_9AM.getTime() - 20 * DAY_MS) });
      const team = TEAMS[i % TEAMS.length]!;
      const row = await p.team.upsert({
        where: { workspaceId_nameKey: { workspaceId: user.workspaceId, nameKey: team.name.toLowerCase() } },
        create: { workspaceId: user.workspaceId, name: team.name, nameKey: team.name.toLowerCase(), channelId: team.channel, timezone: "America/New_York" },
        update: {},
      });
      await p.teamMember.create({ data: { teamId: row.id, userId: user.id } });
    }
  });
  afterAll(async () => t?.close());

  it("each due user gets exactly one DM and each team exactly one post", async () => {
    // Slow answers keep both replicas' senders busy at the same time.
    t.fake.failNext("chat.postMessage", { delayMs: 60 }, 200);
    const env = appEnv(t.database.url, t.fake.apiUrl);
    const at = MONDAY_9AM.toISOString();
    const runs = await Promise.all(
      ["reminders", "leaderboards", "reminders", "leaderboards"].map((job) => runCli(["jobs", "run", job, "--at", at], env)),
    );
    for (const r of runs) expect(r.code, r.err).toBe(0);

    const messagesIn = (channel: string) => t!.fake.messages.filter((m) => m.channel === channel && !m.ephemeral);
    expect(REPS.map((id) => messagesIn(`D${id}`).length)).toEqual(REPS.map(() => 1));
    expect(TEAMS.map((x) => messagesIn(x.channel).length)).toEqual(TEAMS.map(() => 1));
    const rows = await t.services.repos.outbox.list();
    expect(rows).toHaveLength(REPS.length + TEAMS.length);
    expect(rows.filter((r) => r.status !== "sent")).toEqual([]);
    // Both replicas did work: each planned or delivered something, or found the lease taken.
    expect(runs.map((r) => r.out).join("\n")).toMatch(/planned/);
  }, 120_000);
});
