/**
 * Crashes. (1) A `jobs run reminders` process is killed with SIGKILL in the middle of sending 50
 * digests (the fake Slack answers chat.postMessage slowly, so several posts are in flight: Slack
 * has stored them, the process has not yet recorded them). A second run completes the job and
 * every user has exactly one digest — rows whose post reached Slack are found in the DM history
 * (outbox metadata) instead of being posted again.
 * (2) A touch acked to the user is in the database: the /ae listener acks at once and replies
 * only after the touch is committed, so when the reply arrives the row is already there — checked
 * at the moment the reply arrives, and again after the bot process is SIGKILLed right after it.
 */
import { afterEach, describe, expect, it } from "vitest";
import { openDatabase } from "../../src/db/client.js";
import { OUTBOX_KIND } from "../../src/services/outbox-kinds.js";
import { startTestApp, textOf, type TestApp } from "../support/e2e-harness.js";
import { DAY_MS, seedAccount, seedUser } from "../support/reminder-fixtures.js";
import { postSigned, slashCommandBody } from "../support/slack-requests.js";
import { TEST_SIGNING_SECRET } from "../support/e2e-harness.js";
import { appEnv, freePort, runCli, startTs, until, type AppProcess } from "../support/processes.js";

const MONDAY_9AM = new Date("2026-11-02T14:00:00Z");
const USERS = Array.from({ length: 50 }, (_, i) => `UCRASH${String(i).padStart(2, "0")}`);

let t: TestApp | undefined;
let proc: AppProcess | undefined;
afterEach(async () => {
  if (proc && proc.child.exitCode === null && proc.child.signalCode === null) proc.child.kill("SIGKILL");
  await proc?.exited;
  proc = undefined;
  await t?.close();
  t = undefined;
});

describe("a reminder run killed with SIGKILL mid-send, then run again [sqlite]", () => {
  it("every user ends with exactly one digest", async () => {
    t = await startTestApp({ now: MONDAY_9AM, users: USERS.map((id) => ({ id, real_name: id, tz: "America/New_York" })) });
    for (const id of USERS) {
      const user = await seedUser(t, { slackUserId: id, tz: "America/New_York" });
      await seedAccount(t, user, { name: `${id} Corp`, tier: "key", valueCents: 5_000_000, lastTouchAt: new Date(MONDAY_9AM.getTime() - 20 * DAY_MS) });
    }
    // Slack stores each message at once but answers 400 ms later.
    t.fake.failNext("chat.postMessage", { delayMs: 400 }, USERS.length);
    const env = appEnv(t.database.url, t.fake.apiUrl);

    proc = startTs("src/cli/main.ts", ["jobs", "run", "reminders", "--at", MONDAY_9AM.toISOString()], env);
    await until(() => t!.fake.callsTo("chat.postMessage").length >= 10 || proc!.child.exitCode !== null, 60_000, "ten digests on their way");
    proc.child.kill("SIGKILL");
    const killed = await proc.exited;
    expect(killed.signal).toBe("SIGKILL");

    const outbox = t.services.repos.outbox;
    const afterKill = await outbox.list({ kind: OUTBOX_KIND.reminder });
    expect(afterKill).toHaveLength(USERS.length); // planning was complete and committed
    const sentBefore = afterKill.filter((r) => r.status === "sent").length;
    const posted = new Set(t.fake.messages.map((m) => m.channel));
    const inFlight = afterKill.filter((r) => r.status !== "sent" && posted.has(`D${r.recipient}`));
    expect(sentBefore).toBeLessThan(USERS.length); // killed mid-run…
    expect(inFlight.length).toBeGreaterThan(0); // …with posts that reached Slack but were not recorded

    // Restart later (the dead run's claims expire after 2 minutes) and run the job again.
    const rerun = await runCli(["jobs", "run", "reminders", "--at", new Date(MONDAY_9AM.getTime() + 3 * 60_000).toISOString()], env);
    expect(rerun.code, rerun.err).toBe(0);
    const recovered = Number(/(\d+) recovered/.exec(rerun.out)?.[1] ?? "-1");
    expect(recovered).toBeGreaterThanOrEqual(inFlight.length);

    for (const id of USERS) {
      const messages = t.fake.messages.filter((m) => m.channel === `D${id}` && !m.ephemeral);
      expect(messages.length, id).toBe(1);
    }
    const rows = await outbox.list({ kind: OUTBOX_KIND.reminder });
    expect(rows.map((r) => r.status)).toEqual(USERS.map(() => "sent"));
  }, 90_000);
});

describe("a touch acked to the user is in the database [sqlite]", () => {
  it("is committed before the reply is sent, and survives SIGKILL right after it", async () => {
    t = await startTestApp({ users: [{ id: "UDURABLE", real_name: "Dora Durable" }] });
    const user = await seedUser(t, { slackUserId: "UDURABLE", tz: "America/New_York" });
    const account = await seedAccount(t, user, { name: "Acme Corp" });

    const port = await freePort();
    proc = startTs("src/main.ts", [], appEnv(t.database.url, t.fake.apiUrl, { PORT: String(port), LOG_LEVEL: "info" }));
    await until(() => /listening on port/.test(proc!.err()) || proc!.child.exitCode !== null, 60_000, "the bot to listen");
    expect(proc.child.exitCode, proc.err()).toBeNull();

    const body = slashCommandBody({ text: 'log "Acme Corp" call renewal agreed', userId: "UDURABLE", responseUrl: t.fake.responseUrl("durable") });
    const http = await postSigned(`http://127.0.0.1:${port}/slack/events`, body, { secret: TEST_SIGNING_SECRET });
    expect(http.status).toBe(200);
    // The reply is the acknowledgement itself: the process is killed the moment the user is told.
    const reply = await t.fake.commandReply(http, "durable", 15_000);
    proc.child.kill("SIGKILL");
    await proc.exited;

    expect(reply.via).toBe("ack");
    expect(textOf(reply.body)).toContain("Logged: Call with *Acme Corp*");
    const reopened = await openDatabase(t.database.url);
    try {
      const touches = await reopened.prisma.touch.findMany({ where: { accountId: account.id } });
      expect(touches).toHaveLength(1);
      expect(touches[0]).toMatchObject({ kind: "call", note: "renewal agreed" });
    } finally {
      await reopened.close();
    }
  }, 90_000);
});
