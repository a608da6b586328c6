import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLogger } from "../../src/logger.js";
import { createServices } from "../../src/services/services.js";
import { createSlackApp, type SlackApp } from "../../src/slack/app.js";
import { startFakeSlack, type FakeSlack } from "../support/fake-slack.js";
import { startFakeSocketMode, type FakeSocketMode } from "../support/fake-socket-mode.js";
import { slashCommandPayload } from "../support/slack-requests.js";
import { createTestDatabase, type TestDatabase } from "../support/test-database.js";
import { textOf } from "../support/e2e-harness.js";

/** Socket Mode is the default way to run: the same /ae help must work over the WebSocket. */
describe("Socket Mode [sqlite]", () => {
  let fake: FakeSlack;
  let socket: FakeSocketMode;
  let database: TestDatabase;
  let slack: SlackApp;

  beforeAll(async () => {
    fake = await startFakeSlack({
      users: [
        { id: "USOCK", real_name: "Sam Socket", tz: "Asia/Tokyo" },
        { id: "USLOW", real_name: "Sly Slow", tz: "Asia/Tokyo" },
      ],
    });
    socket = await startFakeSocketMode(fake, { pingIntervalMs: 0 });
    database = await createTestDatabase("sqlite");
    const logger = createLogger("warn", () => undefined);
    const now = () => new Date();
    const services = createServices(database.db, { defaultTimezone: "America/New_York", now, logger });
    slack = createSlackApp(
      { botToken: "xoxb-socket-test", transport: { mode: "socket", appToken: "xapp-1-socket-test" }, port: 0, slackApiUrl: fake.apiUrl },
      // A short budget, so a command made slow on purpose is acked empty and answered afterwards.
      { logger, db: database.db, services, now, defaultTimezone: "America/New_York", ackBudgetMs: 300 },
    );
    await slack.start();
    await socket.waitForConnection(5000);
  });

  afterAll(async () => {
    await slack?.stop().catch(() => undefined);
    await socket?.close();
    await fake?.close();
    await database?.drop();
  });

  it("opens the connection with apps.connections.open using the app token", () => {
    const open = fake.callsTo("apps.connections.open");
    expect(open.length).toBeGreaterThan(0);
    expect(open[0].token).toBe("xapp-1-socket-test");
  });

  it("acks the /ae help envelope by envelope_id and replies with the command list", async () => {
    const payload = slashCommandPayload({ text: "help", userId: "USOCK", responseUrl: fake.responseUrl("sock-help") });
    const ack = await socket.sendEnvelope("slash_commands", payload, { envelopeId: "env-help-1" });
    expect(ack.envelope_id).toBe("env-help-1");
    // Answered in the ack's payload: no second exchange through response_url.
    const reply = await fake.commandReply({ status: 200, json: ack.payload }, "sock-help", 5000);
    expect(reply.via).toBe("ack");
    expect(textOf(reply.body)).toContain("/ae accounts");
    expect(fake.responsesTo("sock-help")).toEqual([]);
    const ws = await database.db.prisma.workspace.findFirstOrThrow();
    expect((await services(database)).find((u) => u.slackUserId === "USOCK")?.timezone).toBe("Asia/Tokyo");
    expect(ws.slackTeamId).toBe("T0TEST");
  });

  it("acks a slow command's envelope empty within the budget, then answers through response_url", async () => {
    fake.failNext("users.info", { delayMs: 1500 }); // first contact: the profile lookup is slow
    const payload = slashCommandPayload({ text: "help", userId: "USLOW", responseUrl: fake.responseUrl("sock-slow") });
    const ack = await socket.sendEnvelope("slash_commands", payload, { envelopeId: "env-slow-1" });
    expect(ack.envelope_id).toBe("env-slow-1");
    expect(ack.payload ?? {}).toEqual({});
    const reply = await fake.waitForResponse((r) => r.id === "sock-slow", 10_000);
    expect(textOf(reply.body)).toContain("/ae accounts");
    expect(socket.acks.filter((a) => a.envelope_id === "env-slow-1")).toHaveLength(1);
  });
});

async function services(database: TestDatabase) {
  return database.db.prisma.user.findMany();
}
