/**
 * One pace for the whole sender, against the emulator's rate-limit mode. Time is simulated: the
 * pace, the emulator's budgets and the scheduler read the same clock, so nothing sleeps.
 * - A 429 on chat.postMessage pauses chat.postMessage (and only it) for Retry-After; the 429 reaches
 *   the pace exactly once (the client neither retries nor waits by itself).
 * - A reminder run over a per-minute budget: no postMessage is sent while its method is paused, no
 *   row is retried more than twice, and every rep gets exactly one reminder. The reps' DM channels
 *   are known from an earlier day (as on every day but a rep's first), so the run posts only; the
 *   first day's conversations.open per rep is covered in reminders-delivery.e2e.test.ts.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createJobs, senderHooks } from "../../src/jobs/jobs.js";
import { Scheduler } from "../../src/jobs/scheduler.js";
import { DeliveryError, Notifier } from "../../src/slack/notifier.js";
import { OutboxSender } from "../../src/slack/outbox-sender.js";
import { SendPace, type PaceClock } from "../../src/slack/paced-client.js";
import { startTestApp, TEST_BOT_TOKEN, type TestApp } from "../support/e2e-harness.js";
import { startFakeSlack, type FakeSlack } from "../support/fake-slack.js";
import { DAY_MS, dmsTo, seedAccount, seedUser } from "../support/reminder-fixtures.js";

/** A clock only the test moves: `sleep` resolves once `advance` passes its wake time. */
class ManualClock {
  readonly sleepers: { wakeAt: number; resolve: () => void }[] = [];
  constructor(public now: number) {}
  advance(ms: number): void {
    this.now += ms;
    for (const s of this.sleepers.filter((x) => x.wakeAt <= this.now)) {
      this.sleepers.splice(this.sleepers.indexOf(s), 1);
      s.resolve();
    }
  }
  readonly pace: PaceClock = {
    now: () => this.now,
    sleep: (ms) => new Promise<void>((resolve) => this.sleepers.push({ wakeAt: this.now + ms, resolve })),
  };
}

/** Simulated time that moves on by itself: whoever sleeps wakes at once, with the clock moved to its wake time. */
class VirtualClock {
  constructor(public now: number) {}
  readonly pace: PaceClock = {
    now: () => this.now,
    sleep: (ms) => {
      const wakeAt = this.now + ms;
      return new Promise<void>((resolve) =>
        setImmediate(() => {
          this.now = Math.max(this.now, wakeAt);
          resolve();
        }),
      );
    },
  };
}

describe("a 429 pauses its Web API method only, for Retry-After", () => {
  let fake: FakeSlack;
  beforeAll(async () => {
    fake = await startFakeSlack({ users: [{ id: "U1" }, { id: "U2" }] });
  });
  afterEach(() => fake.reset());
  afterAll(() => fake.close());

  it("other methods keep going; chat.postMessage resumes after Retry-After; the 429 is seen once", async () => {
    const clock = new ManualClock(1_000_000);
    const pace = new SendPace({ clock: clock.pace });
    const notifier = new Notifier(TEST_BOT_TOKEN, { slackApiUrl: fake.apiUrl, pace });
    fake.failNext("chat.postMessage", { status: 429, retryAfter: 5 });

    const refused = await notifier.post("DU1", { text: "first" }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(DeliveryError);
    expect((refused as DeliveryError).failure).toEqual({ kind: "rate_limited", retryAfterSec: 5, code: "ratelimited" });
    // Exactly once: one 429 at Slack (no retry inside the client), one in the pace.
    expect(fake.callsTo("chat.postMessage").map((c) => c.status)).toEqual([429]);
    expect(Object.fromEntries(pace.rateLimited)).toEqual({ "chat.postMessage": 1 });

    // The next post waits for the pause (asleep until Retry-After) ...
    let posted = false;
    const second = notifier.post("DU2", { text: "second" }).then((r) => ((posted = true), r));
    await expect.poll(() => clock.sleepers.map((s) => s.wakeAt)).toEqual([1_005_000]);
    // ... while other methods go on: a DM opens, a message is updated.
    expect(await notifier.openDm("U2")).toBe("DU2");
    await notifier.update("C0TEST", "1.000001", { text: "edited" }).catch(() => undefined);
    expect(fake.callsTo("chat.update")).toHaveLength(1);
    expect(posted).toBe(false);
    expect(fake.callsTo("chat.postMessage")).toHaveLength(1);

    clock.advance(4_999);
    expect(clock.sleepers).toHaveLength(1);
    clock.advance(1);
    expect((await second).channel).toBe("DU2");
    expect(fake.callsTo("chat.postMessage").map((c) => c.status)).toEqual([429, 200]);
  });

  it("a pause longer than the pace waits gives the row back as rate-limited, without calling Slack", async () => {
    const clock = new ManualClock(0);
    const pace = new SendPace({ clock: clock.pace, maxWaitMs: 10_000 });
    const notifier = new Notifier(TEST_BOT_TOKEN, { slackApiUrl: fake.apiUrl, pace });
    fake.failNext("chat.postMessage", { status: 429, retryAfter: 60 });
    await expect(notifier.post("DU1", { text: "a" })).rejects.toBeInstanceOf(DeliveryError);
    clock.advance(20_000);
    const error = await notifier.post("DU1", { text: "b" }).catch((e: unknown) => e);
    expect((error as DeliveryError).failure).toEqual({ kind: "rate_limited", retryAfterSec: 40, code: "paced" });
    expect(fake.callsTo("chat.postMessage")).toHaveLength(1);
  });
});

/** Monday 09:00 in New York: every rep's reminder is due. */
const MONDAY_9AM = new Date("2026-11-02T14:00:00Z");
const REPS = Array.from({ length: 60 }, (_, i) => `URL${String(i).padStart(3, "0")}`);
/** 10 posts per second, 20 DMs opened per second. */
const LIMITS = { perMethodPerMinute: { "chat.postMessage": 600, "conversations.open": 1_200 } };

describe("a reminder run against a rate-limited Slack [sqlite]", () => {
  const clock = new VirtualClock(MONDAY_9AM.getTime());
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({
      now: MONDAY_9AM,
      users: REPS.map((id) => ({ id, real_name: id, tz: "America/New_York" })),
      fake: { clock: clock.pace.now, rateLimits: LIMITS },
    });
    for (const [i, id] of REPS.entries()) {
      const seeded = await seedUser(t, { slackUserId: id, tz: "America/New_York" });
      const user = await t.services.repos.users.update(seeded.id, { dmChannelId: `D${id}` });
      await seedAccount(t, user, { name: `Account ${i}`, tier: "key", valueCents: 10_000_000, lastTouchAt: new Date(MONDAY_9AM.getTime() - 20 * DAY_MS) });
    }
  });
  afterAll(async () => t?.close());

  it("waits out every pause, retries no row more than twice, and sends each rep exactly one reminder", async () => {
    const notifier = new Notifier(TEST_BOT_TOKEN, { slackApiUrl: t.fake.apiUrl, pace: new SendPace({ clock: clock.pace }) });
    const sender = new OutboxSender(t.services.repos.outbox, notifier, t.deps.logger, { workerId: "paced", ...senderHooks(t.services) });
    const jobs = createJobs({ services: t.services, logger: t.deps.logger, defaultTimezone: t.deps.defaultTimezone });
    const scheduler = new Scheduler(jobs, t.services.repos.leases, sender, t.deps.logger, { workerId: "paced" });

    let ticks = 0;
    for (; ticks < 50; ticks++) {
      t.clock.now = new Date(clock.now);
      await scheduler.tick(t.clock.now, ["reminders"]);
      const next = await sender.nextDueAt(["digest"]);
      if (!next) break;
      clock.now = Math.max(next.getTime(), clock.now + 1);
    }
    expect(ticks).toBeLessThan(50);

    // Every DM went to the channel remembered from an earlier day: no conversations.open at all.
    expect(t.fake.callsTo("conversations.open")).toEqual([]);
    // Slack's budget was hit ...
    const posts = t.fake.callsTo("chat.postMessage");
    const limited = posts.filter((c) => c.status === 429);
    expect(limited.length).toBeGreaterThan(0);
    // ... and no post was sent while its method was paused: every refused post was already on its
    // way when the first 429 of its pause came back (the simulated clock only moves when a pause ends).
    for (const refusal of limited) {
      expect(refusal.retryAfter).toBeGreaterThanOrEqual(1);
      const sentDuringPause = posts.filter((c) => c.at > refusal.at && c.at < refusal.at + (refusal.retryAfter ?? 0) * 1_000);
      expect(sentDuringPause).toEqual([]);
    }
    // One refusal per pause at most, not one per row in flight: fewer than one per six posts.
    console.log("LIMITED", limited.length, Math.max(...posts.map((c) => c.at)) - MONDAY_9AM.getTime(), JSON.stringify(t.fake.calls.filter((c) => c.status === 429).map((c) => c.method + "@" + (c.at - MONDAY_9AM.getTime()))), t.fake.callsTo("conversations.open").length, t.fake.callsTo("conversations.history").length); expect(limited.length).toBeLessThan(REPS.length / 6);
    // The run still spent the budget well: 60 posts at 10 per second after the first second's burst.
    expect(Math.max(...posts.map((c) => c.at)) - MONDAY_9AM.getTime()).toBeLessThanOrEqual(6_000);

    const rows = await t.services.repos.outbox.list({ kind: "digest" });
    expect(rows.map((r) => r.recipient).sort()).toEqual([...REPS].sort());
    expect(rows.filter((r) => r.status !== "sent")).toEqual([]);
    // No row retried more than twice (three attempts at most).
    expect(Math.max(...rows.map((r) => r.attempts))).toBeLessThanOrEqual(3);
    // Exactly once: each rep has one reminder in Slack, the one the row recorded.
    for (const rep of REPS) expect(dmsTo(t, rep), rep).toBe(1);
    for (const row of rows) expect(t.fake.messageAt(`D${row.recipient}`, row.messageTs ?? "")).toBeDefined();
    expect(t.fake.rateLimitedTotal).toBe(t.fake.calls.filter((c) => c.status === 429).length);
  }, 60_000);
});
