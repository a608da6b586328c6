/**
 * The demo's rig: the real Bolt app (HTTP mode, free port, real services, real jobs and outbox
 * sender) wired to the built-in Slack emulator, with helpers that act like Slack does — signed
 * slash commands, signed button clicks built from the button actually shown — and read back what
 * each person would see. No tokens, no network: everything runs on 127.0.0.1.
 */
import { randomBytes } from "node:crypto";
import type { Database } from "../db/client.js";
import { createJobs, senderHooks } from "../jobs/jobs.js";
import { OutboxSender } from "../slack/outbox-sender.js";
import { Scheduler, type TickReport } from "../jobs/scheduler.js";
import type { AppLogger } from "../logger.js";
import { createServices, type Services } from "../services/services.js";
import { createSlackApp, type SlackApp } from "../slack/app.js";
import { Notifier } from "../slack/notifier.js";
import { CHANNELS, WORKSPACE, emulatorChannels, emulatorUsers, type DemoPerson } from "./demo-data.js";
import { startFakeSlack, type FakeMessage, type FakeSlack } from "./slack-emulator.js";
import { blockActionsPayload, interactionBody, postSigned, slashCommandBody, type SignedPostResult } from "./slack-requests.js";

type Json = Record<string, unknown>;

const BOT_TOKEN = "xoxb-demo-0000-not-a-real-token";
const BOT_USER_ID = "U0AEBOT";
const APP_ID = "A0AEDEMO";
/** Slack expects an answer within 3 s; the demo allows more so a slow machine still finishes. */
const REPLY_TIMEOUT_MS = 15_000;

/** A button as shown in a message, enough to click it the way Slack would report the click. */
export interface FoundButton {
  actionId: string;
  blockId: string;
  value?: string;
  text: string;
}

/** A file the app uploaded (files.uploadV2), with its bytes, in upload order. */
export interface UploadedFile {
  id: string;
  filename: string;
  title?: string;
  channel?: string;
  bytes: Buffer;
}

/** The demo clock: the bot, its services and its jobs read `clock.now`. */
export interface DemoClock {
  now: Date;
}

export class DemoSession {
  private printedMessages = 0;

  private constructor(
    readonly fake: FakeSlack,
    readonly slack: SlackApp,
    readonly services: Services,
    readonly scheduler: Scheduler,
    readonly clock: DemoClock,
    private readonly eventsUrl: string,
    private readonly secret: string,
  ) {}

  static async start(db: Database, clock: DemoClock, logger: AppLogger): Promise<DemoSession> {
    const fake = await startFakeSlack({
      teamId: WORKSPACE.slackTeamId,
      teamName: WORKSPACE.name,
      teamDomain: WORKSPACE.domain,
      botUserId: BOT_USER_ID,
      botName: "AE Assistant",
      appId: APP_ID,
      tokens: [BOT_TOKEN],
      users: emulatorUsers(),
      defaultChannel: false,
      channels: emulatorChannels(BOT_USER_ID),
      log: () => undefined,
    });
    const secret = randomBytes(16).toString("hex");
    logger.addSecrets([BOT_TOKEN, secret]);
    const now = (): Date => clock.now;
    const services = createServices(db, { defaultTimezone: WORKSPACE.timezone, now, logger });
    const slack = createSlackApp(
      { botToken: BOT_TOKEN, transport: { mode: "http", signingSecret: secret }, port: 0, slackApiUrl: fake.apiUrl },
      { logger, services, now, defaultTimezone: WORKSPACE.timezone },
    );
    let port: number | undefined;
    try {
      port = (await slack.start()).port;
    } catch (error) {
      await fake.close();
      throw error;
    }
    const workerId = "demo";
    const notifier = new Notifier(BOT_TOKEN, { slackApiUrl: fake.apiUrl });
    const sender = new OutboxSender(services.repos.outbox, notifier, logger, { workerId, ...senderHooks(services, now) });
    const jobs = createJobs({ services, logger, defaultTimezone: WORKSPACE.timezone });
    const scheduler = new Scheduler(jobs, services.repos.leases, sender, logger, { workerId });
    return new DemoSession(fake, slack, services, scheduler, clock, `http://127.0.0.1:${port ?? 0}/slack/events`, secret);
  }

  /** Slack ids → display names, for rendering mentions. */
  names(): Map<string, string> {
    const names = new Map<string, string>();
    for (const u of this.fake.users.values()) names.set(u.id, u.real_name ?? u.id);
    for (const c of this.fake.channels.values()) names.set(c.id, c.name);
    return names;
  }

  private post(body: string): Promise<SignedPostResult> {
    return postSigned(this.eventsUrl, body, { secret: this.secret, timeoutMs: REPLY_TIMEOUT_MS });
  }

  /** Types `/ae <text>` as `who` in #general; resolves with the ephemeral reply. */
  async command(who: DemoPerson, text: string): Promise<Json> {
    const id = `cmd-${randomBytes(6).toString("hex")}`;
    const http = await this.post(
      slashCommandBody({
        text,
        userId: who.slackUserId,
        userName: who.handle,
        teamId: WORKSPACE.slackTeamId,
        teamDomain: WORKSPACE.domain,
        apiAppId: APP_ID,
        channelId: CHANNELS.general.id,
        channelName: CHANNELS.general.name,
        responseUrl: this.fake.responseUrl(id),
      }),
    );
    if (http.status !== 200) throw new Error(`/ae ${text}: the app answered HTTP ${http.status} ${http.text}`);
    return (await this.fake.commandReply(http, id, REPLY_TIMEOUT_MS)).body;
  }

  /**
   * Clicks a button in a message posted to a channel or DM (a digest, say); resolves with the
   * message as it reads after the app updated it in place.
   */
  async clickInMessage(who: DemoPerson, message: FakeMessage, button: FoundButton): Promise<Json> {
    const since = this.fake.calls.length;
    const payload = blockActionsPayload({
      ...this.clickBase(who, button),
      channelId: message.channel,
      messageTs: message.ts,
      message: message.message,
      responseUrl: this.fake.responseUrl(`click-${randomBytes(6).toString("hex")}`),
    });
    await this.expectOk(await this.post(interactionBody(payload)), button);
    await this.fake.waitFor("chat.update", (c) => this.fake.calls.indexOf(c) >= since && c.body.ts === message.ts, REPLY_TIMEOUT_MS);
    return message.message;
  }

  /** Clicks a button in an ephemeral reply; resolves with what replaced the reply. */
  async clickInEphemeral(who: DemoPerson, button: FoundButton): Promise<Json> {
    const id = `click-${randomBytes(6).toString("hex")}`;
    const payload = blockActionsPayload({
      ...this.clickBase(who, button),
      channelId: CHANNELS.general.id,
      channelName: CHANNELS.general.name,
      isEphemeral: true,
      responseUrl: this.fake.responseUrl(id),
    });
    await this.expectOk(await this.post(interactionBody(payload)), button);
    return (await this.fake.waitForResponse((r) => r.id === id, REPLY_TIMEOUT_MS)).body;
  }

  private clickBase(who: DemoPerson, button: FoundButton) {
    return {
      userId: who.slackUserId,
      userName: who.handle,
      teamId: WORKSPACE.slackTeamId,
      teamDomain: WORKSPACE.domain,
      apiAppId: APP_ID,
      actionId: button.actionId,
      blockId: button.blockId,
      actionText: button.text,
      ...(button.value !== undefined ? { value: button.value } : {}),
    };
  }

  private async expectOk(http: SignedPostResult, button: FoundButton): Promise<void> {
    if (http.status !== 200) throw new Error(`clicking "${button.text}": the app answered HTTP ${http.status} ${http.text}`);
  }

  /** Runs scheduled jobs once as if the clock read `at` (plan, then deliver), like one scheduler tick. */
  async runJobs(names: string[], at: Date): Promise<TickReport> {
    this.clock.now = at;
    return this.scheduler.runOnce(names, at, 5_000);
  }

  /** Messages posted to channels and DMs since the last call, oldest first (ephemeral replies excluded). */
  newMessages(): FakeMessage[] {
    const fresh = this.fake.messages.slice(this.printedMessages);
    this.printedMessages = this.fake.messages.length;
    return fresh.filter((m) => !m.ephemeral && !m.deleted);
  }

  /** How many Web API calls the emulator has seen: a mark for `waitForPost`. */
  callMark(): number {
    return this.fake.calls.length;
  }

  /** Waits until a message lands in `channel` after `mark` (background deliveries such as celebrations). */
  async waitForPost(channel: string, mark: number): Promise<void> {
    await this.fake.waitFor(
      "chat.postMessage",
      (c) => this.fake.calls.indexOf(c) >= mark && c.body.channel === channel && c.response?.ok === true,
      REPLY_TIMEOUT_MS,
    );
  }

  /** Waits until a file is shared into `channel` after `mark` (a chart uploaded after a command's answer). */
  async waitForUpload(channel: string, mark: number): Promise<void> {
    await this.fake.waitFor(
      "files.completeUploadExternal",
      (c) => this.fake.calls.indexOf(c) >= mark && c.body.channel_id === channel && c.response?.ok === true,
      REPLY_TIMEOUT_MS,
    );
  }

  /** The files uploaded so far (leaderboard and pipeline charts), oldest first. */
  uploadedFiles(): UploadedFile[] {
    const out: UploadedFile[] = [];
    for (const file of this.fake.files.values()) {
      const bytes = this.fake.uploads.get(file.id);
      if (!file.completed || !bytes) continue;
      out.push({ id: file.id, filename: file.filename, ...(file.title ? { title: file.title } : {}), ...(file.channel_id ? { channel: file.channel_id } : {}), bytes });
    }
    return out;
  }

  async close(): Promise<void> {
    await this.scheduler.stop().catch(() => undefined);
    await this.slack.stop().catch(() => undefined);
    await this.fake.close().catch(() => undefined);
  }
}

/**
 * The first button whose action id is `actionId`, in the block that mentions `rowText` or in the
 * actions block right after it (digests put a row's buttons under its section; lists put one
 * button beside each row).
 */
export function findButton(blocks: unknown, rowText: string, actionId: string): FoundButton | undefined {
  if (!Array.isArray(blocks)) return undefined;
  const list = blocks as Json[];
  for (let i = 0; i < list.length; i++) {
    const text = (list[i].text as Json | undefined)?.text;
    if (typeof text !== "string" || !text.includes(rowText)) continue;
    for (const block of [list[i], list[i + 1]]) {
      if (!block) continue;
      const candidates = [block.accessory, ...(Array.isArray(block.elements) ? block.elements : [])] as (Json | undefined)[];
      const hit = candidates.find((e) => e?.type === "button" && e.action_id === actionId);
      if (hit) {
        return {
          actionId,
          blockId: typeof block.block_id === "string" ? block.block_id : `b_${actionId}`,
          ...(typeof hit.value === "string" ? { value: hit.value } : {}),
          text: String((hit.text as Json | undefined)?.text ?? actionId),
        };
      }
    }
  }
  return undefined;
}
