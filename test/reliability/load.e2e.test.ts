/**
 * Load: 200 signed slash commands sent at once over loopback to the real bot (`src/main.ts` in HTTP
 * mode, its own process) on SQLite in WAL mode — a mix of help, accounts, account <name>,
 * log … call, quota and today from 20 users. All are acked (HTTP 200), none fails, every reply
 * arrives, and every logged touch is in the database. The ack and reply times are printed (README →
 * Reliability quotes them) but not asserted: on a loaded machine they measure the machine, and a test
 * must fail only for a real reason. The client and the fake Slack run in the test process, so the
 * client's clock measures what Slack would see.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApp, textOf, type TestApp } from "../support/e2e-harness.js";
import { seedAccount, seedUser } from "../support/reminder-fixtures.js";
import { postSigned, slashCommandBody } from "../support/slack-requests.js";
import { TEST_SIGNING_SECRET } from "../support/e2e-harness.js";
import { appEnv, freePort, startTs, until, type AppProcess } from "../support/processes.js";

const COMMANDS = 200;
const USERS = Array.from({ length: 20 }, (_, i) => `ULOAD${String(i).padStart(2, "0")}`);

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

describe("200 concurrent slash commands [sqlite]", () => {
  let t: TestApp;
  let bot: AppProcess | undefined;
  let url = "";
  beforeAll(async () => {
    t = await startTestApp({ users: USERS.map((id) => ({ id, real_name: id })) });
    for (const id of USERS) {
      const user = await seedUser(t, { slackUserId: id, tz: "America/New_York" });
      for (let a = 0; a < 5; a++) await seedAccount(t, user, { name: `${id} Account ${a}`, valueCents: 1_000_000 * (a + 1), lastTouchAt: new Date(Date.now() - a * 86_400_000) });
    }
    const port = await freePort();
    url = `http://127.0.0.1:${port}/slack/events`;
    bot = startTs("src/main.ts", [], appEnv(t.database.url, t.fake.apiUrl, { PORT: String(port), LOG_LEVEL: "info" }));
    await until(() => /listening on port/.test(bot!.err()) || bot!.child.exitCode !== null, 60_000, "the bot to listen");
    // Warm up: the first request makes Bolt call auth.test.
    const warm = await postSigned(url, slashCommandBody({ text: "help", userId: USERS[0]!, responseUrl: t.fake.responseUrl("warm-up") }), { secret: TEST_SIGNING_SECRET });
    await t.fake.commandReply(warm, "warm-up", 15_000);
  }, 90_000);
  afterAll(async () => {
    bot?.child.kill("SIGTERM");
    await bot?.exited;
    await t?.close();
  });

  it("acks every one with no errors, answers every one, and every logged touch is stored", async () => {
    const mode = await t.database.db.prisma.$queryRawUnsafe<{ journal_mode: string }[]>("PRAGMA journal_mode");
    expect(mode[0]?.journal_mode).toBe("wal");
    const touchesBefore = await t.database.db.prisma.touch.count();

    const plan = Array.from({ length: COMMANDS }, (_, i) => {
      const user = USERS[i % USERS.length]!;
      const account = `"${user} Account ${i % 5}"`;
      const text = [`help`, `accounts`, `account ${account}`, `log ${account} call load test ${i}`, `quota`, `today`][i % 6]!;
      return { id: `load-${i}`, user, text };
    });
    const started = Date.now();
    const results = await Promise.all(
      plan.map(async ({ id, user, text }) => {
        const body = slashCommandBody({ text, userId: user, responseUrl: t.fake.responseUrl(id) });
        const sent = Date.now();
        const http = await postSigned(url, body, { secret: TEST_SIGNING_SECRET, timeoutMs: 30_000 });
        const ackMs = Date.now() - sent;
        // Most are answered in the acknowledgement; those queued past the budget through response_url.
        const reply = await t.fake.commandReply(http, id, 30_000);
        return { id, text, status: http.status, ackMs, replyMs: reply.via === "ack" ? ackMs : reply.at - sent, reply: textOf(reply.body) };
      }),
    );
    const wallMs = Date.now() - started;

    const acks = results.map((r) => r.ackMs);
    const replies = results.map((r) => r.replyMs);
    const figures = {
      commands: COMMANDS,
      wallMs,
      ack: { p50: percentile(acks, 50), p99: percentile(acks, 99), max: Math.max(...acks) },
      reply: { p50: percentile(replies, 50), p99: percentile(replies, 99), max: Math.max(...replies) },
    };
    console.log(
      `load: ${COMMANDS} concurrent /ae commands in ${wallMs} ms — ack p50 ${figures.ack.p50} ms, p99 ${figures.ack.p99} ms, max ${figures.ack.max} ms; ` +
        `reply p50 ${figures.reply.p50} ms, p99 ${figures.reply.p99} ms, max ${figures.reply.max} ms`,
    );

    expect(results.filter((r) => r.status !== 200)).toEqual([]);
    expect(results.filter((r) => /something went wrong|etwas schiefgelaufen/i.test(r.reply))).toEqual([]);
    expect(bot!.err().split("\n").filter((l) => / (ERROR|WARN) /.test(l))).toEqual([]);
    const logs = plan.filter((p) => p.text.startsWith("log "));
    expect(await t.database.db.prisma.touch.count()).toBe(touchesBefore + logs.length);
    const notes = new Set((await t.database.db.prisma.touch.findMany({ select: { note: true } })).map((x) => x.note));
    for (const p of logs) expect(notes.has(p.text.replace(/^log "[^"]+" call /, ""))).toBe(true);
  }, 120_000);
});
