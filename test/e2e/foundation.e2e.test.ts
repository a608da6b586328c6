import { afterAll, beforeAll, expect, it } from "vitest";
import { describeEachProvider } from "../support/providers.js";
import { slashCommandBody, nowSeconds } from "../support/slack-requests.js";
import { startTestApp, textOf, TEST_SIGNING_SECRET, type TestApp } from "../support/e2e-harness.js";

describeEachProvider("foundation through Bolt over HTTP [%s]", (provider) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({
      provider,
      users: [
        { id: "UALICE", real_name: "Alice Adams", tz: "America/Los_Angeles", locale: "en-US", profile: { email: "alice@example.com" } },
        { id: "UBERND", real_name: "Bernd Bauer", tz: "Europe/Berlin", locale: "de-DE" },
        { id: "UOWNER", real_name: "Olga Owner", tz: "Europe/London", is_owner: true },
      ],
    });
  });
  afterAll(async () => t?.close());

  it("answers a signed /ae help with the command list, ephemerally", async () => {
    const { http, reply } = await t.command("help", "UALICE");
    expect(http.status).toBe(200);
    expect(reply.response_type).toBe("ephemeral");
    const text = textOf(reply);
    expect(text).toContain("/ae accounts");
    expect(text).toContain("/ae followup");
    expect(text).toContain("/ae quota");
  });

  it("creates the user on first contact with time zone and locale from users.info", async () => {
    const ws = await t.database.db.prisma.workspace.findUniqueOrThrow({ where: { slackTeamId: "T0TEST" } });
    const alice = await t.services.repos.users.findBySlackId(ws.id, "UALICE");
    expect(alice).toMatchObject({ name: "Alice Adams", timezone: "America/Los_Angeles", locale: "en-US", role: "rep", email: "alice@example.com" });
    const info = t.fake.callsTo("users.info").find((c) => c.body.user === "UALICE");
    expect(String(info?.body.include_locale)).toBe("true");
  });

  it("makes Slack workspace owners admins", async () => {
    await t.command("help", "UOWNER");
    const ws = await t.database.db.prisma.workspace.findUniqueOrThrow({ where: { slackTeamId: "T0TEST" } });
    expect((await t.services.repos.users.findBySlackId(ws.id, "UOWNER"))?.role).toBe("admin");
  });

  it("answers in German for a de-DE user", async () => {
    const { reply } = await t.command("hilfe", "UBERND");
    expect(textOf(reply)).toContain("deine Accounts");
  });

  it("suggests the closest subcommand for a typo, with the help", async () => {
    const { reply } = await t.command("hlep", "UALICE");
    const text = textOf(reply);
    expect(text).toContain("Did you mean `/ae help`?");
    expect(text).toContain("/ae accounts");
  });

  it("escapes hostile text echoed in the unknown-subcommand reply", async () => {
    const { reply } = await t.command("<!channel>", "UALICE");
    expect(textOf(reply)).not.toContain("<!channel>");
    expect(textOf(reply)).toContain("&lt;!channel&gt;");
  });

  it.each([
    ["a wrong signing secret", { secret: "wrong-secret" }],
    ["a stale timestamp (6 minutes old)", { secret: TEST_SIGNING_SECRET, timestamp: nowSeconds() - 360 }],
    ["a missing signature header", { secret: TEST_SIGNING_SECRET, omitHeaders: ["x-slack-signature"] }],
    ["a missing timestamp header", { secret: TEST_SIGNING_SECRET, omitHeaders: ["x-slack-request-timestamp"] }],
    ["a body altered after signing", { secret: TEST_SIGNING_SECRET, tamper: (b: string) => b.replace("UNEWCOMER", "UALICE") }],
  ])("rejects %s with 401 and runs none of our code", async (_name, options) => {
    const usersBefore = await t.database.db.prisma.user.count();
    const callsBefore = t.fake.calls.length;
    const responsesBefore = t.fake.responses.length;
    const body = slashCommandBody({ text: "help", userId: "UNEWCOMER", responseUrl: t.fake.responseUrl("forged") });
    const delivered = t.deliveries.count;
    const http = await t.post(body, options);
    expect(http.status).toBe(401);
    // Refused by the receiver: it never reached the app, and the app has finished with all it did receive.
    expect(t.deliveries.count).toBe(delivered);
    await t.deliveries.settled();
    expect(await t.database.db.prisma.user.count()).toBe(usersBefore);
    expect(t.fake.calls.length).toBe(callsBefore);
    expect(t.fake.responses.length).toBe(responsesBefore);
  });

  it("GET /healthz answers 200 while the database answers", async () => {
    const res = await fetch(`${t.baseUrl}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ok: true, database: "up" });
  });

  it("never writes the bot token or signing secret to the logs", async () => {
    const all = t.logs.join("\n");
    expect(all.length).toBeGreaterThan(0);
    expect(all).not.toContain("xoxb-test-0000-bot-token");
    expect(all).not.toContain(TEST_SIGNING_SECRET);
  });
});
