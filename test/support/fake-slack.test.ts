import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { App, LogLevel, verifySlackRequest, webApi } from "@slack/bolt";
import { SocketModeClient } from "@slack/socket-mode";
import { WebSocket } from "ws";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { startFakeSlack, type FakeSlack } from "./fake-slack.js";
import { startFakeSocketMode, type FakeSocketMode } from "./fake-socket-mode.js";
import {
  appHomeOpenedEvent,
  blockActionsPayload,
  eventCallback,
  interactionBody,
  jsonBody,
  newTriggerId,
  postSigned,
  sign,
  slashCommandBody,
  slashCommandPayload,
  stateValue,
  viewSubmissionPayload,
} from "./slack-requests.js";

const BOT_TOKEN = "xoxb-test-token";
const APP_TOKEN = "xapp-1-A0TEST-test";
const SECRET = "test-signing-secret";
const PNG = Buffer.from(
  "89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8cfc0f01f0005000201a2dd2a1f0000000049454e44ae426082",
  "hex",
);

function client(fake: FakeSlack, options: webApi.WebClientOptions = {}): webApi.WebClient {
  return new webApi.WebClient(BOT_TOKEN, {
    slackApiUrl: fake.apiUrl,
    logLevel: webApi.LogLevel.ERROR,
    retryConfig: { retries: 0 },
    ...options,
  });
}

describe("fake Slack Web API", () => {
  let fake: FakeSlack;
  beforeAll(async () => {
    fake = await startFakeSlack({
      users: [
        { id: "U1", name: "alice", real_name: "Alice Adams", tz: "Europe/Paris", locale: "fr-FR", profile: { email: "alice@example.com" } },
        { id: "U2", name: "gone", deleted: true },
      ],
      channels: [{ id: "C2", name: "outside", is_member: false }],
    });
  });
  afterEach(() => fake.reset());
  afterAll(() => fake.close());

  it("records WebClient calls with the token and decoded blocks, and answers like Slack", async () => {
    const web = client(fake);
    const blocks = [{ type: "section", text: { type: "mrkdwn", text: "*hi*" } }];
    const first = await web.chat.postMessage({ channel: "C0TEST", text: "hi", blocks });
    const second = await web.chat.postMessage({ channel: "U1", text: "dm" });

    expect(first).toMatchObject({ ok: true, channel: "C0TEST", message: { text: "hi", blocks, user: "UBOT", bot_id: "BBOT" } });
    expect(first.ts).toMatch(/^\d{10}\.\d{6}$/);
    expect(Number(second.ts)).toBeGreaterThan(Number(first.ts));
    expect(second.channel).toBe("DU1");

    const call = await fake.waitFor("chat.postMessage", (c) => c.body.text === "hi");
    expect(call.token).toBe(BOT_TOKEN);
    expect(call.contentType).toBe("application/x-www-form-urlencoded");
    expect(call.body.blocks).toEqual(blocks);
    expect(fake.callsTo("chat.postMessage")).toHaveLength(2);
    expect(fake.messageAt("C0TEST", first.ts ?? "")?.message.text).toBe("hi");
  });

  it("parses JSON bodies and enforces auth", async () => {
    const post = (method: string, body: unknown, token?: string): Promise<unknown> =>
      fetch(`${fake.apiUrl}${method}`, {
        method: "POST",
        headers: { "content-type": "application/json; charset=utf-8", ...(token ? { authorization: `Bearer ${token}` } : {}) },
        body: JSON.stringify(body),
      }).then((r) => r.json() as Promise<unknown>);

    expect(await post("chat.postMessage", { channel: "C0TEST", text: "json" }, BOT_TOKEN)).toMatchObject({ ok: true });
    expect((await fake.waitFor("chat.postMessage")).body).toEqual({ channel: "C0TEST", text: "json" });
    expect(await post("auth.test", {})).toEqual({ ok: false, error: "not_authed" });
    expect(await post("chat.postMessage", { channel: "C0TEST", text: "x" }, APP_TOKEN)).toEqual({ ok: false, error: "not_allowed_token_type" });
    expect(await post("no.such.method", {}, BOT_TOKEN)).toEqual({ ok: false, error: "unknown_method" });
  });

  it("applies channel membership, DM and Block Kit rules", async () => {
    const web = client(fake);
    await expect(web.chat.postMessage({ channel: "C2", text: "x" })).rejects.toMatchObject({ data: { error: "not_in_channel" } });
    await expect(web.chat.postMessage({ channel: "C404", text: "x" })).rejects.toMatchObject({ data: { error: "channel_not_found" } });
    await expect(web.chat.postMessage({ channel: "U2", text: "x" })).rejects.toMatchObject({ data: { error: "user_disabled" } });
    await expect(web.conversations.open({ users: "U2" })).rejects.toMatchObject({ data: { error: "user_disabled" } });
    expect(await web.conversations.open({ users: "U1" })).toMatchObject({ ok: true, channel: { id: "DU1" } });
    const tooMany = Array.from({ length: 51 }, () => ({ type: "divider" }));
    await expect(web.chat.postMessage({ channel: "C0TEST", text: "x", blocks: tooMany })).rejects.toMatchObject({
      data: { error: "invalid_blocks" },
    });
  });

  it("serves users.info (locale only on request) and users.lookupByEmail", async () => {
    const web = client(fake);
    const plain = await web.users.info({ user: "U1" });
    expect(plain.user).toMatchObject({ id: "U1", name: "alice", real_name: "Alice Adams", tz: "Europe/Paris", deleted: false });
    expect(plain.user?.locale).toBeUndefined();
    expect([3600, 7200]).toContain(plain.user?.tz_offset);
    expect((await web.users.info({ user: "U1", include_locale: true })).user?.locale).toBe("fr-FR");
    await expect(web.users.info({ user: "U404" })).rejects.toMatchObject({ data: { error: "user_not_found" } });
    expect((await web.users.lookupByEmail({ email: "ALICE@example.com" })).user?.id).toBe("U1");
    await expect(web.users.lookupByEmail({ email: "nobody@example.com" })).rejects.toMatchObject({ data: { error: "users_not_found" } });
  });

  it("opens and updates views with ids and hashes", async () => {
    const web = client(fake);
    const view = { type: "modal" as const, callback_id: "log_touch", title: { type: "plain_text" as const, text: "Log touch" }, blocks: [] };
    const opened = await web.views.open({ trigger_id: newTriggerId(), view });
    const id = opened.view?.id ?? "";
    const hash = opened.view?.hash ?? "";
    expect(id).toMatch(/^V/);
    expect(opened.view).toMatchObject({ callback_id: "log_touch", title: { text: "Log touch" } });
    const updated = await web.views.update({ view_id: id, hash, view });
    expect(updated.view?.id).toBe(id);
    await expect(web.views.update({ view_id: id, hash, view })).rejects.toMatchObject({ data: { error: "hash_conflict" } });
    await expect(
      web.views.open({ trigger_id: "t", view: { ...view, title: { type: "plain_text", text: "A title that is far too long" } } }),
    ).rejects.toMatchObject({ data: { error: "invalid_arguments" } });
    const home = await web.views.publish({ user_id: "U1", view: { type: "home", blocks: [] } });
    expect(fake.homeViews.get("U1")?.id).toBe(home.view?.id);
  });

  it("accepts a trigger id once, within 3 seconds of its issue, and only one it issued", async () => {
    let now = Date.now();
    const strict = await startFakeSlack({ clock: () => now });
    try {
      const web = client(strict);
      const view = { type: "modal" as const, callback_id: "log_touch", title: { type: "plain_text" as const, text: "Log touch" }, blocks: [] };
      const trigger = newTriggerId(now);
      expect((await web.views.open({ trigger_id: trigger, view })).ok).toBe(true);
      await expect(web.views.open({ trigger_id: trigger, view })).rejects.toMatchObject({ data: { error: "exchanged_trigger_id" } });
      const late = newTriggerId(now);
      now += 3_001; // the emulator's clock moves; nothing sleeps
      await expect(web.views.push({ trigger_id: late, view })).rejects.toMatchObject({ data: { error: "expired_trigger_id" } });
      await expect(web.views.open({ trigger_id: "12345.67890.made-up", view })).rejects.toMatchObject({ data: { error: "invalid_trigger_id" } });
    } finally {
      await strict.close();
    }
  });

  it("hides a private channel the bot is not in, and reports the token's scopes in x-oauth-scopes", async () => {
    const withChannels = await startFakeSlack({ channels: [{ id: "GSECRET", name: "deal-desk", is_private: true, is_member: false }, { id: "COPEN", name: "open", is_member: false }] });
    try {
      const web = client(withChannels);
      await expect(web.conversations.info({ channel: "GSECRET" })).rejects.toMatchObject({ data: { error: "channel_not_found" } });
      const open = await web.conversations.info({ channel: "COPEN" });
      expect(open.channel).toMatchObject({ id: "COPEN", is_member: false });
      expect(open.response_metadata?.scopes).toEqual(expect.arrayContaining(["commands", "chat:write"]));
    } finally {
      await withChannels.close();
    }
  });

  it("rate-limits with Retry-After, and WebClient retries after it", async () => {
    const web = client(fake, { retryConfig: { retries: 2, minTimeout: 10, maxTimeout: 20 } });
    fake.failNext("chat.postMessage", { status: 429, retryAfter: 1 });
    const started = Date.now();
    const result = await web.chat.postMessage({ channel: "C0TEST", text: "after the limit" });
    expect(result.ok).toBe(true);
    expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
    const [limited, retried] = fake.callsTo("chat.postMessage");
    expect(limited).toMatchObject({ status: 429, fault: { status: 429 }, response: { ok: false, error: "ratelimited" } });
    expect(retried).toMatchObject({ status: 200, response: { ok: true } });
  });

  describe("rate-limit mode", () => {
    const rejecting = (f: FakeSlack) => client(f, { rejectRateLimitedCalls: true });
    const limitedBy = (error: unknown) => (error as { code?: string; retryAfter?: number }).retryAfter;

    it("answers over a method's per-minute budget with 429, Retry-After and ratelimited, and counts them; time refills it", async () => {
      let now = 1_000_000;
      const limited = await startFakeSlack({ clock: () => now, rateLimits: { perMethodPerMinute: { "chat.postMessage": 120, "views.publish": 60 } } });
      try {
        const web = rejecting(limited);
        // 120 per minute = 2 per second, one second of burst: two go, the third is refused.
        for (const text of ["a", "b"]) expect((await web.chat.postMessage({ channel: "C0TEST", text })).ok).toBe(true);
        const refused = await web.chat.postMessage({ channel: "C0TEST", text: "c" }).catch((e: unknown) => e);
        expect(limitedBy(refused)).toBe(1);
        expect(limited.callsTo("chat.postMessage")[2]).toMatchObject({ status: 429, response: { ok: false, error: "ratelimited" } });
        expect(limited.callsTo("chat.postMessage")[2]!.fault).toBeUndefined(); // a spent budget, not an injected fault
        // Another method has its own budget; an unlisted one has none.
        expect((await web.views.publish({ user_id: "U1", view: { type: "home", blocks: [] } })).ok).toBe(true);
        expect((await web.conversations.open({ users: "U1" })).ok).toBe(true);
        const secondPublish = await web.views.publish({ user_id: "U1", view: { type: "home", blocks: [] } }).catch((e: unknown) => e);
        expect(limitedBy(secondPublish)).toBe(1);
        expect(Object.fromEntries(limited.rateLimited)).toEqual({ "chat.postMessage": 1, "views.publish": 1 });
        expect(limited.rateLimitedTotal).toBe(2);
        // A refused call spends nothing; half a second later one token is back, not two.
        now += 500;
        expect((await web.chat.postMessage({ channel: "C0TEST", text: "d" })).ok).toBe(true);
        await expect(web.chat.postMessage({ channel: "C0TEST", text: "e" })).rejects.toMatchObject({ code: "slack_webapi_rate_limited_error" });
        expect(limited.messages.filter((m) => m.channel === "C0TEST").map((m) => m.message.text)).toEqual(["a", "b", "d"]);
        limited.reset();
        expect(limited.rateLimitedTotal).toBe(0);
        expect((await web.chat.postMessage({ channel: "C0TEST", text: "fresh budget" })).ok).toBe(true);
      } finally {
        await limited.close();
      }
    });

    it("limits chat.postMessage per channel (1 per second) and gives the whole seconds to wait", async () => {
      let now = 5_000_000;
      const limited = await startFakeSlack({ clock: () => now, rateLimits: { postMessagePerChannelPerSecond: 1 } });
      try {
        const web = rejecting(limited);
        expect((await web.chat.postMessage({ channel: "C0TEST", text: "first" })).ok).toBe(true);
        expect(limitedBy(await web.chat.postMessage({ channel: "C0TEST", text: "too soon" }).catch((e: unknown) => e))).toBe(1);
        // Other channels are not affected.
        expect((await web.chat.postMessage({ channel: "U1", text: "a DM" })).ok).toBe(true);
        now += 999;
        expect(limitedBy(await web.chat.postMessage({ channel: "C0TEST", text: "still too soon" }).catch((e: unknown) => e))).toBe(1);
        now += 1;
        expect((await web.chat.postMessage({ channel: "C0TEST", text: "after a second" })).ok).toBe(true);
        // A slower budget asks for a longer wait: 1 per 4 s → Retry-After 4.
        limited.setRateLimits({ postMessagePerChannelPerSecond: 0.25 });
        expect((await web.chat.postMessage({ channel: "C0TEST", text: "slow" })).ok).toBe(true);
        expect(limitedBy(await web.chat.postMessage({ channel: "C0TEST", text: "slower" }).catch((e: unknown) => e))).toBe(4);
        expect(limited.rateLimited.get("chat.postMessage")).toBe(3);
        limited.setRateLimits(undefined);
        expect((await web.chat.postMessage({ channel: "C0TEST", text: "unlimited" })).ok).toBe(true);
      } finally {
        await limited.close();
      }
    });
  });

  it("injects platform errors, HTTP 500s, hang-ups and delays", async () => {
    const web = client(fake);
    fake.failNext("users.info", { error: "ratelimited" }, 2);
    await expect(web.users.info({ user: "U1" })).rejects.toMatchObject({ code: webApi.ErrorCode.PlatformError, data: { error: "ratelimited" } });
    await expect(web.users.info({ user: "U1" })).rejects.toMatchObject({ data: { error: "ratelimited" } });
    expect((await web.users.info({ user: "U1" })).ok).toBe(true);

    fake.failNext("auth.test", { status: 500 });
    await expect(web.auth.test()).rejects.toMatchObject({ code: webApi.ErrorCode.HTTPError, statusCode: 500 });
    fake.failNext("auth.test", { hangup: true });
    await expect(web.auth.test()).rejects.toMatchObject({ code: webApi.ErrorCode.RequestError });
    fake.failNext("auth.test", { delayMs: 500 });
    await expect(client(fake, { timeout: 100 }).auth.test()).rejects.toMatchObject({ code: webApi.ErrorCode.RequestError });
    expect(fake.callsTo("auth.test").map((c) => c.status)).toEqual([500, 0, 200]);
  });

  it("waits for future calls and explains timeouts", async () => {
    const pending = fake.waitFor("chat.update", (c) => c.body.ts === "1.2");
    await client(fake).chat.update({ channel: "C0TEST", ts: "1.2", text: "edited" });
    expect((await pending).response).toMatchObject({ ok: true, channel: "C0TEST", ts: "1.2", text: "edited" });
    await expect(fake.waitFor("chat.delete", undefined, 50)).rejects.toThrow(/no chat.delete call within 50ms \(calls so far: chat.update\)/);
  });

  it("accepts files.uploadV2 and keeps the uploaded bytes", async () => {
    const web = client(fake);
    await web.filesUploadV2({ channel_id: "C0TEST", file: PNG, filename: "leaderboard.png", title: "Leaderboard" });
    const completed = await fake.waitFor("files.completeUploadExternal");
    const files = completed.body.files as { id: string; title: string }[];
    expect(files).toEqual([{ id: expect.stringMatching(/^F/) as unknown, title: "Leaderboard" }]);
    expect(completed.body.channel_id).toBe("C0TEST");
    expect(fake.uploads.get(files[0]?.id ?? "")?.equals(PNG)).toBe(true);
    expect(completed.response).toMatchObject({ ok: true, files: [{ mimetype: "image/png", size: PNG.length }] });
  });

  it("records response_url posts and keeps persistent handlers across reset", async () => {
    const url = fake.responseUrl("cmd-1");
    const res = await fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ text: "done" }) });
    expect(res.status).toBe(200);
    expect((await fake.waitForResponse((r) => r.id === "cmd-1")).body).toEqual({ text: "done" });

    fake.setHandler("team.info", () => ({ ok: true, team: { id: "custom" } }));
    fake.setHandler("api.test", (_body, { defaultResponse }) => ({ ...defaultResponse(), persistent: true }), { persistent: true });
    fake.reset();
    expect(fake.responses).toHaveLength(0);
    expect((await client(fake).team.info()).team?.id).toBe("T0TEST");
    expect(await client(fake).api.test()).toMatchObject({ ok: true, persistent: true });
  });
});

describe("signed Slack requests", () => {
  it("produces signatures Bolt's verifySlackRequest accepts, and forgeries it rejects", () => {
    const body = slashCommandBody({ userId: "U1", text: "help me", responseUrl: "http://127.0.0.1/response/x" });
    const verify = (headers: { "x-slack-signature": string; "x-slack-request-timestamp": string }, signed = body): void =>
      verifySlackRequest({
        signingSecret: SECRET,
        body: signed,
        headers: { "x-slack-signature": headers["x-slack-signature"], "x-slack-request-timestamp": Number(headers["x-slack-request-timestamp"]) },
      });
    expect(() => verify(sign(body, SECRET))).not.toThrow();
    expect(() => verify(sign(body, "wrong-secret"))).toThrow(/signature mismatch/);
    expect(() => verify(sign(body, SECRET), `${body}&x=1`)).toThrow(/signature mismatch/);
    expect(() => verify(sign(body, SECRET, Math.floor(Date.now() / 1000) - 600))).toThrow(/stale/);

    const fields = new URLSearchParams(body);
    expect([...fields.keys()]).toEqual([
      "token", "team_id", "team_domain", "channel_id", "channel_name", "user_id", "user_name",
      "command", "text", "api_app_id", "is_enterprise_install", "response_url", "trigger_id",
    ]);
    expect(fields.get("command")).toBe("/ae");
    expect(fields.get("text")).toBe("help me");
    expect(body).toContain("command=%2Fae&text=help+me");
  });
});

describe("Bolt over HTTP against the fakes", () => {
  let fake: FakeSlack;
  let app: App;
  let url: string;
  beforeAll(async () => {
    fake = await startFakeSlack();
    app = new App({ token: BOT_TOKEN, signingSecret: SECRET, logLevel: LogLevel.ERROR, clientOptions: { slackApiUrl: fake.apiUrl } });
    app.command("/ae", async ({ ack, respond, command, client: web }) => {
      await ack();
      await respond({ text: `you said ${command.text}` });
      await web.chat.postMessage({ channel: command.user_id, text: "DM from the command" });
    });
    app.action("done", async ({ ack, respond }) => {
      await ack();
      await respond({ replace_original: true, text: "marked done" });
    });
    app.view("log_touch", async ({ ack, view }) => {
      const note = view.state.values.note?.note_input?.value;
      await ack(note ? undefined : { response_action: "errors", errors: { note: "Required" } });
    });
    app.event("app_home_opened", async ({ event, client: web }) => {
      await web.views.publish({ user_id: event.user, view: { type: "home", blocks: [{ type: "section", text: { type: "mrkdwn", text: "Home" } }] } });
    });
    const server = (await app.start({ port: 0, host: "127.0.0.1" })) as Server;
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/slack/events`;
  });
  afterAll(async () => {
    await app.stop();
    await fake.close();
  });

  it("handles a signed slash command and rejects forged ones", async () => {
    const responseUrl = fake.responseUrl("slash-1");
    const body = slashCommandBody({ userId: "U1", text: "hello", responseUrl });
    expect((await postSigned(url, body, { secret: SECRET })).status).toBe(200);
    expect((await fake.waitForResponse((r) => r.id === "slash-1")).body).toEqual({ text: "you said hello" });
    expect((await fake.waitFor("chat.postMessage")).body).toMatchObject({ channel: "U1", text: "DM from the command" });
    expect(fake.callsTo("auth.test")).toHaveLength(1);

    expect((await postSigned(url, body, { secret: "nope" })).status).toBe(401);
    expect((await postSigned(url, body, { secret: SECRET, timestamp: Math.floor(Date.now() / 1000) - 600 })).status).toBe(401);
    expect((await postSigned(url, body, { secret: SECRET, tamper: (b) => b.replace("hello", "hacked") })).status).toBe(401);
    expect((await postSigned(url, body, { secret: SECRET, omitHeaders: ["x-slack-signature"] })).status).toBe(401);
  });

  it("handles block actions, view submissions and events", async () => {
    const responseUrl = fake.responseUrl("action-1");
    const action = blockActionsPayload({ userId: "U1", actionId: "done", value: "touch-7", responseUrl });
    expect((await postSigned(url, interactionBody(action), { secret: SECRET })).status).toBe(200);
    expect((await fake.waitForResponse((r) => r.id === "action-1")).body).toEqual({ replace_original: true, text: "marked done" });

    const empty = viewSubmissionPayload({ userId: "U1", callbackId: "log_touch", values: { note: { note_input: stateValue.plainText(null) } } });
    const rejected = await postSigned(url, interactionBody(empty), { secret: SECRET });
    expect(rejected.json).toEqual({ response_action: "errors", errors: { note: "Required" } });
    const filled = viewSubmissionPayload({ userId: "U1", callbackId: "log_touch", values: { note: { note_input: stateValue.plainText("Called") } } });
    const accepted = await postSigned(url, interactionBody(filled), { secret: SECRET });
    expect([accepted.status, accepted.text]).toEqual([200, ""]);

    const event = eventCallback(appHomeOpenedEvent({ userId: "U1" }));
    expect((await postSigned(url, jsonBody(event), { secret: SECRET, headers: { "x-slack-retry-num": "0" } })).status).toBe(200);
    expect((await fake.waitFor("views.publish")).body).toMatchObject({ user_id: "U1", view: { type: "home" } });
  });
});

describe("fake Socket Mode", () => {
  let fake: FakeSlack;
  let socket: FakeSocketMode;
  beforeAll(async () => {
    fake = await startFakeSlack();
    socket = await startFakeSocketMode(fake, { pingIntervalMs: 100 });
  });
  afterAll(async () => {
    await socket.close();
    await fake.close();
  });

  it("connects a real SocketModeClient (hello, ping/pong) and returns its acks", async () => {
    const sm = new SocketModeClient({
      appToken: APP_TOKEN,
      logLevel: LogLevel.ERROR,
      clientPingTimeout: 300,
      serverPingTimeout: 1000,
      clientOptions: { slackApiUrl: fake.apiUrl },
    });
    sm.on("slash_commands", (args: { ack: (response?: Record<string, unknown>) => Promise<void>; body: Record<string, unknown> }) => {
      void args.ack({ text: `pong ${String(args.body.text)}` });
    });
    await sm.start();
    expect(fake.callsTo("apps.connections.open")[0]?.token).toBe(APP_TOKEN);
    expect(socket.connectionCount).toBe(1);

    const ack = await socket.sendEnvelope("slash_commands", slashCommandPayload({ userId: "U1", text: "ping", responseUrl: fake.responseUrl() }));
    expect(ack.payload).toEqual({ text: "pong ping" });
    expect(socket.sent[0]).toMatchObject({ type: "slash_commands", accepts_response_payload: true, retry_attempt: 0, retry_reason: "" });

    await vi.waitFor(
      () => {
        expect(socket.pingsReceived).toBeGreaterThan(0);
        expect(socket.pongsReceived).toBeGreaterThan(0);
      },
      { timeout: 5000 },
    );
    expect(socket.connectionCount).toBe(1);

    // Slack's "disconnect" message makes the client reconnect with a fresh apps.connections.open ticket.
    socket.sendDisconnect("refresh_requested");
    await vi.waitFor(() => expect([socket.connectionsOpened, socket.connectionCount]).toEqual([2, 1]), { timeout: 5000 });
    expect(fake.callsTo("apps.connections.open")).toHaveLength(2);
    const again = await socket.sendEnvelope("slash_commands", slashCommandPayload({ userId: "U1", text: "again", responseUrl: fake.responseUrl() }));
    expect(again.payload).toEqual({ text: "pong again" });

    await sm.disconnect();
    expect(socket.connectionCount).toBe(0);
  });

  it("refuses connections without a valid ticket", async () => {
    const error = await new Promise<Error>((resolve) => {
      const ws = new WebSocket(`${socket.url}?ticket=forged`);
      ws.on("error", resolve);
    });
    expect(error.message).toMatch(/401/);
  });

  it("runs a Bolt app in Socket Mode", async () => {
    const app = new App({
      token: BOT_TOKEN,
      appToken: APP_TOKEN,
      socketMode: true,
      logLevel: LogLevel.ERROR,
      clientOptions: { slackApiUrl: fake.apiUrl },
    });
    app.command("/ae", async ({ ack, respond, command }) => {
      await ack();
      await respond(`socket ${command.text}`);
    });
    await app.start();
    try {
      const ack = await socket.sendEnvelope("slash_commands", slashCommandPayload({ userId: "U1", text: "hi", responseUrl: fake.responseUrl("sm-1") }));
      expect(ack.payload).toEqual({});
      expect((await fake.waitForResponse((r) => r.id === "sm-1")).body).toEqual({ text: "socket hi" });
    } finally {
      await app.stop();
    }
  });
});
