/**
 * Secrets never reach the logs or the user. The app is built as `src/main.ts` builds it — config
 * from the environment, a logger redacting `secretsOf(config)` — at LOG_LEVEL=debug (the chattiest:
 * Bolt and the Web API client log requests, errors carry stacks), then driven down its error
 * paths: Slack answering `invalid_auth` (one answer even echoing the token and secret back), a
 * database error, a forged request, a scheduled delivery Slack refuses, and in Socket Mode a
 * refused `apps.connections.open`. Every captured line and every reply is searched for the bot
 * token, the signing secret and the app token. (test/reliability/backup-and-logs.test.ts tests the
 * redaction function itself.)
 */
import { afterAll, describe, expect, it } from "vitest";
import { loadConfig, secretsOf } from "../../src/config/load-config.js";
import { OutboxSender } from "../../src/slack/outbox-sender.js";
import { createLogger, type AppLogger } from "../../src/logger.js";
import { createServices } from "../../src/services/services.js";
import { createSlackApp, type SlackApp } from "../../src/slack/app.js";
import { Notifier } from "../../src/slack/notifier.js";
import { trackDeliveries } from "../support/deliveries.js";
import { startFakeSlack, type FakeSlack } from "../support/fake-slack.js";
import { textOf } from "../support/e2e-harness.js";
import { startFakeSocketMode, type FakeSocketMode } from "../support/fake-socket-mode.js";
import { postSigned, slashCommandBody, slashCommandPayload } from "../support/slack-requests.js";
import { createTestDatabase, type TestDatabase } from "../support/test-database.js";

const BOT_TOKEN = "xoxb-918273645-564738291-SeCrEtBoTtOkEn0123";
const APP_TOKEN = "xapp-1-A0TEST-1234567890-SeCrEtApPtOkEn4567";
/** The shape Slack uses (32 hex digits): no token pattern matches it, only the configured-secret list. */
const SIGNING_SECRET = "8f3a9c0d5e7b1f2a4c6d8e0f1a3b5c7d";
const SECRETS = [BOT_TOKEN, APP_TOKEN, SIGNING_SECRET];

/** Each secret, and its distinctive tail (a secret cut or re-encoded still must not show). */
function leaks(text: string): string[] {
  return SECRETS.flatMap((s) => [s, s.slice(-12)]).filter((s) => text.includes(s));
}

const cleanup: (() => Promise<unknown>)[] = [];
afterAll(async () => {
  for (const c of cleanup.reverse()) await c().catch(() => undefined);
});

async function build(env: Record<string, string>, fake: FakeSlack, database: TestDatabase) {
  // Port 0 (any free port) is a test need; the config itself asks for a real one.
  const config = { ...loadConfig({ ...env, DATABASE_URL: database.url, SLACK_API_URL: fake.apiUrl, PORT: "3000", LOG_LEVEL: "debug" }), port: 0 };
  const lines: string[] = [];
  const logger: AppLogger = createLogger(config.logLevel, (l) => lines.push(l), secretsOf(config));
  const now = () => new Date();
  const services = createServices(database.db, { defaultTimezone: config.defaultTimezone, now, logger });
  const deps = { logger, db: database.db, services, now, defaultTimezone: config.defaultTimezone };
  const slack: SlackApp = createSlackApp(config, deps);
  return { config, lines, logger, services, slack, deliveries: trackDeliveries(slack.app) };
}

describe("secrets in the logs of a run down its error paths [sqlite]", () => {
  it("HTTP mode: invalid_auth, a database error, a forged request and a refused delivery log no secret", async () => {
    const fake = await startFakeSlack({ users: [{ id: "USECRET", real_name: "Sid Secret" }, { id: "UNEWBIE", real_name: "Nina New" }] });
    const database = await createTestDatabase("sqlite");
    cleanup.push(() => fake.close(), () => database.drop());
    const { lines, logger, services, slack, deliveries } = await build({ SLACK_BOT_TOKEN: BOT_TOKEN, SLACK_SIGNING_SECRET: SIGNING_SECRET }, fake, database);
    const { port } = await slack.start();
    cleanup.push(() => slack.stop());
    const url = `http://127.0.0.1:${port}/slack/events`;
    const replies: string[] = [];
    const command = async (text: string, userId = "USECRET") => {
      const id = `secret-${replies.length}-${Date.now()}`;
      const http = await postSigned(url, slashCommandBody({ text, userId, responseUrl: fake.responseUrl(id) }), { secret: SIGNING_SECRET });
      expect(http.status).toBe(200);
      replies.push(JSON.stringify((await fake.commandReply(http, id, 10_000)).body));
    };

    await command("help");
    await command('account add "Acme Corp"');
    // Slack refuses the token — one answer even echoes the token and the secret back.
    fake.setHandler("views.open", () => ({ ok: false, error: "invalid_auth", echoed: `Bearer ${BOT_TOKEN}`, secret: SIGNING_SECRET }));
    await command("settings"); // the refusal is logged (with the echo redacted) and the user told in words
    fake.clearHandler("views.open");
    fake.failNext("users.info", { error: "invalid_auth" });
    await command("help", "UNEWBIE");
    // A database error in the middle of a command.
    await database.db.prisma.$executeRawUnsafe(`DROP TABLE "TouchParticipant"`);
    await database.db.prisma.$executeRawUnsafe(`DROP TABLE "Touch"`);
    await command('log "Acme Corp" call');
    // A forged request.
    const forged = await postSigned(url, slashCommandBody({ text: "help", userId: "USECRET", responseUrl: fake.responseUrl("forged") }), { secret: "wrong" });
    expect(forged.status).toBe(401);
    // A scheduled delivery Slack refuses.
    const ws = await services.repos.workspaces.ensure("T0TEST", { timezone: "UTC" });
    expect(ws.id).toBeGreaterThan(0);
    await services.repos.outbox.enqueue([{ recipientType: "user", recipient: "USECRET", localDate: "2026-01-01", kind: "digest", payload: JSON.stringify({ text: "hi" }) }], new Date());
    fake.failNext("conversations.open", { error: "invalid_auth" });
    const sender = new OutboxSender(services.repos.outbox, new Notifier(BOT_TOKEN, { slackApiUrl: fake.apiUrl, logger }), logger, { workerId: "secrets" });
    expect((await sender.deliverDue(new Date())).failed).toBe(1);
    // Every command has finished (including the Home refresh that runs after its reply): all is logged.
    await deliveries.settled();

    const all = lines.join("\n");
    expect(lines.some((l) => / DEBUG /.test(l))).toBe(true); // LOG_LEVEL=debug is honoured (Bolt used to reset it)
    expect(all).toContain("[redacted]"); // a secret did come by (the echoed one) and was caught
    expect(lines.filter((l) => / ERROR /.test(l)).length).toBeGreaterThanOrEqual(1); // the database error
    expect(lines.filter((l) => / WARN /.test(l) && l.includes("could not open")).length).toBe(1); // the refused form
    expect(all).toContain("invalid_auth");
    expect(leaks(all)).toEqual([]);
    expect(leaks(replies.join("\n"))).toEqual([]);
    expect(replies.join("\n")).not.toMatch(/at .*\.ts:\d+/); // no stack trace reaches a user
  });

  it.each(["debug", "warn", "error"] as const)("LOG_LEVEL=%s is still in force once the Bolt app is built", async (level) => {
    const fake = await startFakeSlack();
    const database = await createTestDatabase("sqlite");
    cleanup.push(() => fake.close(), () => database.drop());
    const config = { ...loadConfig({ SLACK_BOT_TOKEN: BOT_TOKEN, SLACK_SIGNING_SECRET: SIGNING_SECRET, DATABASE_URL: database.url, LOG_LEVEL: level }), port: 0 };
    const logger = createLogger(config.logLevel, () => undefined, secretsOf(config));
    const now = () => new Date();
    createSlackApp(config, { logger, db: database.db, services: createServices(database.db, { defaultTimezone: "UTC", now, logger }), now, defaultTimezone: "UTC" });
    expect(logger.getLevel()).toBe(level);
  });

  it("Socket Mode: a refused apps.connections.open and a command over the socket log no secret", async () => {
    const fake = await startFakeSlack({ users: [{ id: "USOCKS", real_name: "Sol Socket" }] });
    const socket: FakeSocketMode = await startFakeSocketMode(fake, { pingIntervalMs: 0 });
    const database = await createTestDatabase("sqlite");
    cleanup.push(() => socket.close(), () => fake.close(), () => database.drop());
    const env = { SLACK_BOT_TOKEN: BOT_TOKEN, SLACK_APP_TOKEN: APP_TOKEN, SLACK_SIGNING_SECRET: SIGNING_SECRET };

    // First start: Slack refuses the app token; the failure is logged as main.ts logs it.
    fake.failNext("apps.connections.open", { error: "invalid_auth" });
    const refused = await build(env, fake, database);
    await refused.slack.start().catch((error: unknown) => refused.logger.error("fatal error", error));
    await refused.slack.stop().catch(() => undefined);

    const ok = await build(env, fake, database);
    expect(ok.config.transport.mode).toBe("socket");
    await ok.slack.start();
    cleanup.push(() => ok.slack.stop());
    await socket.waitForConnection(5000);
    const ack = await socket.sendEnvelope("slash_commands", slashCommandPayload({ text: "help", userId: "USOCKS", responseUrl: fake.responseUrl("sock") }));
    expect(textOf((await fake.commandReply({ status: 200, json: ack.payload }, "sock", 10_000)).body)).toContain("/ae");

    const all = [...refused.lines, ...ok.lines].join("\n");
    expect(refused.lines.join("\n")).toMatch(/invalid_auth|fatal error/);
    expect(fake.callsTo("apps.connections.open").some((c) => c.token === APP_TOKEN)).toBe(true);
    expect(leaks(all)).toEqual([]);
  });
});
