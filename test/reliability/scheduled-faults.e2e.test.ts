/**
 * Slack faults during the scheduled runs (daily reminders and weekly leaderboards planned in the
 * same tick): 429 with Retry-After, 500, a timeout (the fake answers after the Notifier's timeout,
 * having stored the message — Slack got it, we did not hear back), `ratelimited`,
 * `channel_not_found`, `user_not_found`, `account_inactive`, `not_in_channel`, and a recipient that
 * fails until the retries run out. The scheduler then ticks on a simulated clock (each tick at the
 * next due retry) until nothing is pending.
 *
 * Every outbox row ends `sent` or `failed` with its reason; one row per recipient (nothing lost);
 * every deliverable recipient has exactly one message in Slack and no recipient has two (nothing
 * duplicated — the timed-out one is found in the DM history instead of being posted again).
 * test/e2e/reminders-delivery.e2e.test.ts covers single faults one at a time; this is the mix.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createJobs, senderHooks } from "../../src/jobs/jobs.js";
import { OutboxSender } from "../../src/slack/outbox-sender.js";
import { Scheduler } from "../../src/jobs/scheduler.js";
import { Notifier } from "../../src/slack/notifier.js";
import { injectedMentions } from "../support/command-harness.js";
import { startTestApp, TEST_BOT_TOKEN, type TestApp } from "../support/e2e-harness.js";
import type { FakeChannel, FakeFault } from "../support/fake-slack.js";
import { DAY_MS, seedAccount, seedUser } from "../support/reminder-fixtures.js";

/** Monday 09:00 in New York (EST): every user's reminder and every team's weekly post are due. */
const MONDAY_9AM = new Date("2026-11-02T14:00:00Z");
const REPS = Array.from({ length: 12 }, (_, i) => `UREP${String(i).padStart(2, "0")}`);
const STUCK = "USTUCK";
const TEAMS = Array.from({ length: 8 }, (_, i) => ({ name: `Team ${i}`, channel: `CTEAM${i}` }));
/** The Notifier gives up waiting after this long; the "timeout" fault answers later than that. */
const NOTIFIER_TIMEOUT_MS = 1_000;

const PERMANENT = ["channel_not_found", "user_not_found", "account_inactive", "not_in_channel"];
const POST_FAULTS: FakeFault[] = [
  { status: 429, retryAfter: 1 },
  { status: 500 },
  { delayMs: NOTIFIER_TIMEOUT_MS * 3 },
  { error: "ratelimited" },
  ...PERMANENT.map((error) => ({ error })),
];

describe("Slack faults during the scheduled reminder and leaderboard runs [sqlite]", () => {
  let t: TestApp;
  beforeAll(async () => {
    const channels: FakeChannel[] = TEAMS.map((team) => ({ id: team.channel, name: team.channel.toLowerCase(), is_member: true }));
    t = await startTestApp({
      now: MONDAY_9AM,
      users: [...REPS, STUCK].map((id) => ({ id, real_name: id, tz: "America/New_York" })),
      fake: { channels },
    });
    const p = t.database.db.prisma;
    for (const [i, id] of [...REPS, STUCK].entries()) {
      const user = await seedUser(t, { slackUserId: id, tz: "America/New_York" });
      // A neglected key account (some with hostile names), so each has a digest to send.
      const name = i % 3 === 0 ? `<!channel> Corp ${i}` : `Account ${i}`;
      await seedAccount(t, user, { name, tier: "key", valueCents: 10_000_000, lastTouchAt: new Date(MONDAY_9AM.getTime() - 20 * DAY_MS) });
      if (i < TEAMS.length) {
        const team = TEAMS[i]!;
        const row = await p.team.create({ data: { workspaceId: user.workspaceId, name: team.name, nameKey: team.name.toLowerCase(), channelId: team.channel, timezone: "America/New_York" } });
        await p.teamMember.create({ data: { teamId: row.id, userId: user.id } });
      }
    }
  });
  afterAll(async () => t?.close());

  it("every row ends sent or failed with its reason; one message per deliverable recipient, none twice", async () => {
    const notifier = new Notifier(TEST_BOT_TOKEN, { slackApiUrl: t.fake.apiUrl, timeoutMs: NOTIFIER_TIMEOUT_MS });
    // The faults go to the calls in the order they arrive; four rows at a time (the sender's old
    // default) keeps the stuck recipient's first post behind them, so it fails by its own error.
    const sender = new OutboxSender(t.services.repos.outbox, notifier, t.deps.logger, { workerId: "faults", concurrency: 4, ...senderHooks(t.services) });
    const jobs = createJobs({ services: t.services, logger: t.deps.logger, defaultTimezone: t.deps.defaultTimezone });
    const scheduler = new Scheduler(jobs, t.services.repos.leases, sender, t.deps.logger, { workerId: "faults" });

    for (const fault of POST_FAULTS) t.fake.failNext("chat.postMessage", fault);
    t.fake.failNext("conversations.open", { status: 500 });
    t.fake.failNext("conversations.open", { error: "user_not_found" });
    // One recipient Slack keeps refusing with a transient error: retried until the attempts run out.
    t.fake.setHandler("chat.postMessage", (body, ctx) => (body.channel === `D${STUCK}` ? { ok: false, error: "fatal_error" } : ctx.defaultResponse()));

    // Tick at 09:00, then at each next due retry, until nothing is pending (a simulated clock).
    let now = MONDAY_9AM;
    let ticks = 0;
    let recovered = 0;
    for (; ticks < 100; ticks++) {
      t.clock.now = now;
      recovered += (await scheduler.tick(now, ["leaderboards", "reminders"])).delivery.recovered;
      const next = await sender.nextDueAt(["digest", "leaderboard_week"]);
      if (!next) break;
      now = new Date(Math.max(next.getTime(), now.getTime() + 1));
    }
    expect(ticks).toBeLessThan(100);

    const rows = await t.services.repos.outbox.list();
    // Nothing lost: one row per recipient — every rep's digest, every team's post.
    expect(rows.filter((r) => r.kind === "digest").map((r) => r.recipient).sort()).toEqual([...REPS, STUCK].sort());
    expect(rows.filter((r) => r.kind === "leaderboard_week").map((r) => r.recipient).sort()).toEqual(TEAMS.map((x) => x.channel).sort());
    // Every row ended sent, or failed with the reason.
    expect(rows.filter((r) => r.status !== "sent" && r.status !== "failed")).toEqual([]);
    const failed = rows.filter((r) => r.status === "failed");
    expect(failed.map((r) => r.lastError).sort()).toEqual([...PERMANENT, "user_not_found", "fatal_error"].sort());
    expect(failed.find((r) => r.recipient === STUCK)).toMatchObject({ lastError: "fatal_error", attempts: 8 });

    // Nothing duplicated: each sent row is exactly one message in Slack, each failed row none.
    const delivered = (channel: string) => t.fake.messages.filter((m) => m.channel === channel && !m.ephemeral && !m.deleted);
    for (const row of rows) {
      const channel = row.recipientType === "user" ? `D${row.recipient}` : row.recipient;
      const messages = delivered(channel);
      expect(messages.length, `${row.recipient} (${row.status}, ${row.lastError ?? ""})`).toBe(row.status === "sent" ? 1 : 0);
      if (row.status === "sent") expect(messages[0]!.ts).toBe(row.messageTs);
    }
    // The timed-out post reached Slack; the retry found it in the history rather than posting again.
    const timedOut = t.fake.callsTo("chat.postMessage").find((c) => c.fault !== undefined && "delayMs" in c.fault);
    expect(timedOut).toBeDefined();
    expect(recovered).toBe(1);
    // Users Slack reports gone are no longer planned; the rest of the batch was unaffected.
    expect(rows.filter((r) => r.status === "sent")).toHaveLength(REPS.length + 1 + TEAMS.length - failed.length);
    // Hostile account names in the digests were escaped.
    expect(t.fake.callsTo("chat.postMessage").flatMap((c) => injectedMentions(c.body))).toEqual([]);
  }, 60_000);
});
