/**
 * The built-in Slack emulator: a local, in-process stand-in for the Slack Web API. `npm run demo` runs the real bot
 * against it, and the end-to-end tests use it (through `test/support/fake-slack.ts`, a re-export). No network, no
 * tokens: everything stays on 127.0.0.1.
 *
 * `startFakeSlack()` starts a real `node:http` server on 127.0.0.1 (ephemeral port). Point the app's WebClient at it
 * with `clientOptions: { slackApiUrl: fake.apiUrl }`; every call then arrives as `POST /api/<method>` exactly as
 * @slack/web-api sends it (form-encoded, JSON or multipart), is recorded in `fake.calls`, and is answered with a
 * response shaped like Slack's documented one. Besides the Web API it serves:
 *   - `POST /upload/<file_id>`  — the upload URL handed out by `files.getUploadURLExternal` (bytes kept in `uploads`);
 *   - `POST /response/<id>`     — `response_url`s for slash commands and interactions (kept in `responses`).
 *
 * Behaviour worth knowing:
 *   - Auth: a call without a token gets `not_authed`; with `opts.tokens` set, any other token gets `invalid_auth`.
 *     An `xapp-` token may only call `apps.connections.*` (and those need one): otherwise `not_allowed_token_type`.
 *   - Channels: `C0TEST` ("general", bot is a member) is pre-registered unless `opts.defaultChannel === false`.
 *     Posting to an unregistered C/G id → `channel_not_found`; to a channel the bot isn't in → `not_in_channel`;
 *     archived → `is_archived`. DMs (D… ids, or U…/W… user ids, which resolve to "D" + user id) always succeed unless
 *     the user is registered with `deleted: true` → `opts.deletedUserDmError` (default `user_disabled`, the error
 *     `conversations.open` documents for a deactivated user; real Slack's chat.postMessage has been seen to accept
 *     such posts — pass `deletedUserDmError: null` to mimic that).
 *   - Block Kit: messages with more than 50 blocks (views: 100) or a few other documented limits broken are
 *     rejected with `invalid_blocks` (messages) / `invalid_arguments` (views), with Slack-style `response_metadata`.
 *   - Form-encoded fields that @slack/web-api JSON-stringifies (blocks, attachments, view, metadata, files, …) are
 *     decoded back to objects in `call.body`. Other form values stay strings ("true", "42") as Slack receives them.
 *   - `conversations.history` returns the stored messages of a channel (newest first, `oldest`/`latest`/`inclusive`/
 *     `limit`), with their `metadata` only when asked with `include_all_metadata`. Message `ts` values follow the clock.
 *   - Rate limits (`opts.rateLimits`, or `setRateLimits`): off by default. When set, a call over its budget is answered
 *     as Slack does — HTTP 429, header `Retry-After: <seconds>`, body `{ ok: false, error: "ratelimited" }` — and
 *     counted in `rateLimited` (see `FakeRateLimits`). Budgets follow `opts.clock`, so a test moves time, not sleeps.
 *   - `reset()` forgets recorded traffic, faults, stored messages/views/files, rate-limit budgets and counts, and
 *     handlers set with `setHandler` (except `{ persistent: true }` ones); the user and channel directories are kept.
 */
import { randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { ISSUED_TRIGGER_IDS } from "./slack-requests.js";
import { requiredBotScopes } from "../cli/manifest-scopes.js";

export type SlackBody = Record<string, unknown>;

/** What an app installed from manifest.yml is granted. */
const DEFAULT_SCOPES: readonly string[] = requiredBotScopes();
export type SlackResponse = Record<string, unknown>;

/** A fault to inject into the next call(s) of a method (see `FakeSlack.failNext`). */
export type FakeFault =
  /** HTTP 429 with a `Retry-After` header (seconds) and body `{ ok: false, error: "ratelimited" }`. */
  | { status: 429; retryAfter: number }
  /** A plain HTTP 500 (text body). */
  | { status: 500; body?: string }
  /** HTTP 200 with `{ ok: false, error, ...extra }`. */
  | { error: string; extra?: Record<string, unknown> }
  /** The normal response, sent after `delayMs` (the request is processed immediately, as a slow Slack would). */
  | { delayMs: number }
  /** Destroy the socket without answering. */
  | { hangup: true };

/**
 * Slack's rate limits, emulated (https://docs.slack.dev/apis/web-api/rate-limits). Each limit is a
 * token bucket refilled evenly (Slack "allows bursts" but evaluates per minute): it holds
 * `burstSeconds` of budget, a call takes one token, and a call finding none gets a 429 whose
 * Retry-After is the whole seconds until the next token (at least 1), as Slack's header is.
 */
export interface FakeRateLimits {
  /** chat.postMessage per channel per second (Slack's special limit: about 1, short bursts allowed). */
  postMessagePerChannelPerSecond?: number;
  /**
   * Calls per minute per Web API method, across all channels (Slack's tiers: 1 → 1+, 2 → 20+,
   * 3 → 50+, 4 → 100+ per minute; chat.postMessage is "special": several hundred per minute per workspace).
   */
  perMethodPerMinute?: Record<string, number>;
  /** How many seconds of budget a bucket holds, i.e. the largest burst after a quiet spell. Default 1. */
  burstSeconds?: number;
}

export interface FakeSlackCall {
  method: string;
  /** Parsed request body (form/JSON/multipart; query-string parameters merged in). */
  body: SlackBody;
  /** Token from `Authorization: Bearer …`, else from the `token` body field. */
  token?: string;
  /** Arrival time on the emulator's clock (`opts.clock`, default `Date.now`). */
  at: number;
  headers: Record<string, string>;
  contentType: string;
  rawBody: Buffer;
  /** HTTP status the fake answered with (0 when the socket was hung up). */
  status: number;
  /** The JSON body the fake answered with (undefined for 500/hangup). */
  response?: SlackResponse;
  /** The injected fault, when one was applied to this call. */
  fault?: FakeFault;
  /** The Retry-After (seconds) of a 429 answer, injected or for a spent rate-limit budget. */
  retryAfter?: number;
}

export interface FakeResponseUrlPost {
  id: string;
  body: SlackBody;
  at: number;
  headers: Record<string, string>;
  status: number;
}

export interface FakeUserProfile {
  email?: string;
  real_name?: string;
  display_name?: string;
  first_name?: string;
  last_name?: string;
  title?: string;
  [key: string]: unknown;
}

export interface FakeUser {
  id: string;
  name?: string;
  real_name?: string;
  /** IANA zone, default "America/New_York". `tz_offset`/`tz_label` are derived from it unless given. */
  tz?: string;
  tz_offset?: number;
  tz_label?: string;
  /** Returned only when the call passes `include_locale: true`, like Slack. Default "en-US". */
  locale?: string;
  is_admin?: boolean;
  is_owner?: boolean;
  is_bot?: boolean;
  deleted?: boolean;
  profile?: FakeUserProfile;
  [key: string]: unknown;
}

export interface FakeChannel {
  id: string;
  name: string;
  /** Whether the bot is a member. */
  is_member: boolean;
  is_private?: boolean;
  is_archived?: boolean;
  /** Member user ids, for `conversations.members` and `chat.postEphemeral`'s `user_not_in_channel` check. */
  members?: string[];
  [key: string]: unknown;
}

export interface FakeMessage {
  channel: string;
  ts: string;
  /** The message as Slack would store it (text, blocks, attachments, thread_ts, metadata, user, bot_id, …). */
  message: SlackResponse;
  /** How many times `chat.update` changed it. */
  updates: number;
  deleted: boolean;
  ephemeral: boolean;
  /** For ephemeral messages: the user who sees it. */
  visibleTo?: string;
}

export interface FakeFile {
  id: string;
  filename: string;
  length: number;
  alt_text?: string;
  title?: string;
  channel_id?: string;
  initial_comment?: string;
  thread_ts?: string;
  completed: boolean;
}

export interface FakeSlackOptions {
  teamId?: string;
  teamName?: string;
  teamDomain?: string;
  botUserId?: string;
  botId?: string;
  botName?: string;
  appId?: string;
  /** When set, only these tokens authenticate; others get `invalid_auth`. Default: any non-empty token. */
  tokens?: string[];
  users?: FakeUser[];
  channels?: FakeChannel[];
  /** The pre-registered `C0TEST` channel; `false` to start with no channels. */
  defaultChannel?: FakeChannel | false;
  /** Error for posting to a deleted user's DM; `null` to let it succeed. Default `user_disabled`. */
  deletedUserDmError?: string | null;
  /** How many POSTs a response_url accepts before answering 404 `used_url` (Slack allows 5). Default 5. */
  responseUrlMaxUses?: number;
  /**
   * Scopes granted to the token, sent as the `x-oauth-scopes` header of every Web API answer (as Slack does).
   * Default: the bot scopes manifest.yml asks for (an app installed from it); `[]` sends no header.
   */
  scopes?: string[];
  /** How long a trigger id works after it was issued (Slack: 3 seconds). */
  triggerTtlMs?: number;
  /** The emulator's clock for trigger expiry and rate limits (default `Date.now`); a test moves it instead of sleeping. */
  clock?: () => number;
  /** Answer calls over these budgets with 429 + Retry-After (default: no limits). */
  rateLimits?: FakeRateLimits;
  /** Log every call: `true` → console.log, or a function. Also enabled by env FAKE_SLACK_DEBUG=1. */
  log?: boolean | ((line: string) => void);
}

export interface FakeHandlerContext {
  call: FakeSlackCall;
  fake: FakeSlack;
  /** What the fake would have answered without this handler. */
  defaultResponse: () => SlackResponse;
}

export type FakeHandler = (body: SlackBody, ctx: FakeHandlerContext) => SlackResponse | Promise<SlackResponse>;

interface Waiter<T> {
  match: (item: T) => boolean;
  resolve: (item: T) => void;
}

/** Fields @slack/web-api JSON-stringifies into form values; decoded back to objects when they parse. */
const JSON_FIELDS = new Set(["blocks", "attachments", "view", "metadata", "files", "unfurls", "user_auth_blocks"]);

const MAX_MESSAGE_BLOCKS = 50;
const MAX_VIEW_BLOCKS = 100;
const MAX_TEXT_LENGTH = 40_000;

export class FakeSlack {
  readonly port: number;
  /** `http://127.0.0.1:PORT` */
  readonly baseUrl: string;
  /** `http://127.0.0.1:PORT/api/` — give this to WebClient as `slackApiUrl`. */
  readonly apiUrl: string;

  readonly teamId: string;
  readonly teamName: string;
  readonly teamDomain: string;
  readonly botUserId: string;
  readonly botId: string;
  readonly botName: string;
  readonly appId: string;

  /** Every Web API call, in arrival order (including faulted ones). */
  readonly calls: FakeSlackCall[] = [];
  /** Every POST to a response_url. */
  readonly responses: FakeResponseUrlPost[] = [];
  /** Raw bytes uploaded to `/upload/<file_id>` (the file part of a multipart body, else the whole body). */
  readonly uploads = new Map<string, Buffer>();
  /** User directory for users.info / users.lookupByEmail / users.list / DMs. */
  readonly users = new Map<string, FakeUser>();
  /** Channel directory. */
  readonly channels = new Map<string, FakeChannel>();
  /** Messages posted (chat.postMessage / postEphemeral / scheduleMessage), updated in place by chat.update/delete. */
  readonly messages: FakeMessage[] = [];
  /** Views opened/pushed/updated/published, by view id. */
  readonly views = new Map<string, SlackResponse>();
  /** Current App Home view per user (views.publish). */
  readonly homeViews = new Map<string, SlackResponse>();
  /** Files announced through files.getUploadURLExternal. */
  readonly files = new Map<string, FakeFile>();
  /** 429s served because a rate limit's budget was spent, per method (injected faults not counted). */
  readonly rateLimited = new Map<string, number>();

  /** DM channel ids retired by `retireDm`, and the id each of their users' DM got instead. */
  private readonly retiredDms = new Set<string>();
  private readonly reissuedDms = new Map<string, string>();
  private readonly server: Server;
  private readonly options: FakeSlackOptions;
  private readonly exchangedTriggers = new Set<string>();
  private readonly faults = new Map<string, { fault: FakeFault; remaining: number }[]>();
  private readonly handlers = new Map<string, { handler: FakeHandler; persistent: boolean }>();
  private readonly callWaiters = new Set<Waiter<FakeSlackCall>>();
  private readonly responseWaiters = new Set<Waiter<FakeResponseUrlPost>>();
  private readonly responseUrlUses = new Map<string, number>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly buckets = new Map<string, { tokens: number; at: number }>();
  private rateLimits: FakeRateLimits | undefined;
  private readonly log?: (line: string) => void;
  private tsCounter = 0;
  private idCounter = 0;
  private closed = false;

  /** Use `startFakeSlack()`. */
  constructor(server: Server, options: FakeSlackOptions) {
    this.server = server;
    this.options = options;
    const address = server.address() as AddressInfo;
    this.port = address.port;
    this.baseUrl = `http://127.0.0.1:${this.port}`;
    this.apiUrl = `${this.baseUrl}/api/`;
    this.teamId = options.teamId ?? "T0TEST";
    this.teamName = options.teamName ?? "Fake Workspace";
    this.teamDomain = options.teamDomain ?? "fake-workspace";
    this.botUserId = options.botUserId ?? "UBOT";
    this.botId = options.botId ?? "BBOT";
    this.botName = options.botName ?? "ae-assistant";
    this.appId = options.appId ?? "A0TEST";
    this.rateLimits = options.rateLimits;
    if (options.log === true || (options.log === undefined && process.env.FAKE_SLACK_DEBUG)) {
      this.log = (line) => console.log(`[fake-slack] ${line}`);
    } else if (typeof options.log === "function") {
      this.log = options.log;
    }
    if (options.defaultChannel !== false) {
      const channel = options.defaultChannel ?? { id: "C0TEST", name: "general", is_member: true };
      this.channels.set(channel.id, channel);
    }
    for (const channel of options.channels ?? []) this.channels.set(channel.id, channel);
    for (const user of options.users ?? []) this.users.set(user.id, user);
    server.on("request", (req: IncomingMessage, res: ServerResponse) => {
      this.route(req, res).catch((error: unknown) => {
        this.log?.(`internal error: ${String(error)}`);
        if (!res.headersSent) {
          res.writeHead(500, { "content-type": "text/plain" });
          res.end(`fake-slack internal error: ${String(error)}`);
        } else {
          res.destroy();
        }
      });
    });
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Test API

  /** Recorded calls of one method. */
  callsTo(method: string): FakeSlackCall[] {
    return this.calls.filter((call) => call.method === method);
  }

  /**
   * Resolves with the first call (already recorded or yet to come) of `method` matching `predicate`.
   * The call is recorded once its response is decided, so `call.response`/`call.fault` are available to predicates.
   */
  waitFor(method: string, predicate?: (call: FakeSlackCall) => boolean, timeoutMs = 5000): Promise<FakeSlackCall> {
    const match = (call: FakeSlackCall): boolean => call.method === method && safeTest(predicate, call);
    return this.waitIn(this.calls, this.callWaiters, match, timeoutMs, () => {
      const seen = this.calls.map((call) => call.method).join(", ") || "none";
      return `fake-slack: no ${method} call${predicate ? " matching the predicate" : ""} within ${timeoutMs}ms (calls so far: ${seen})`;
    });
  }

  /** Resolves with the first response_url POST (past or future) matching `predicate`. */
  waitForResponse(predicate?: (post: FakeResponseUrlPost) => boolean, timeoutMs = 5000): Promise<FakeResponseUrlPost> {
    const match = (post: FakeResponseUrlPost): boolean => safeTest(predicate, post);
    return this.waitIn(this.responses, this.responseWaiters, match, timeoutMs, () => {
      return `fake-slack: no response_url POST${predicate ? " matching the predicate" : ""} within ${timeoutMs}ms (${this.responses.length} so far)`;
    });
  }

  /**
   * Make the next `times` calls of `method` fail with `fault`. Faults queue up in order.
   * Besides Web API methods, "response_url" and "upload" target POSTs to response URLs and upload URLs.
   */
  failNext(method: string, fault: FakeFault, times = 1): void {
    const queue = this.faults.get(method) ?? [];
    queue.push({ fault, remaining: times });
    this.faults.set(method, queue);
  }

  /** The emulator's time: `opts.clock`, else the real one. */
  private clockNow(): number {
    return (this.options.clock ?? Date.now)();
  }

  /** Turns rate limiting on (or off with `undefined`), with fresh budgets. */
  setRateLimits(limits: FakeRateLimits | undefined): void {
    this.rateLimits = limits;
    this.buckets.clear();
  }

  /** All 429s served for spent rate-limit budgets. */
  get rateLimitedTotal(): number {
    let total = 0;
    for (const n of this.rateLimited.values()) total += n;
    return total;
  }

  /** Answer `method` with `handler` instead of the default. `persistent` handlers survive `reset()`. */
  setHandler(method: string, handler: FakeHandler, options: { persistent?: boolean } = {}): void {
    this.handlers.set(method, { handler, persistent: options.persistent ?? false });
  }

  clearHandler(method: string): void {
    this.handlers.delete(method);
  }

  /** A response_url served by this fake: `http://127.0.0.1:PORT/response/<id>`. */
  responseUrl(id?: string): string {
    return `${this.baseUrl}/response/${encodeURIComponent(id ?? `R${this.nextId("")}`)}`;
  }

  /**
   * What Slack shows for a slash command the app was sent: the body of the app's acknowledgement
   * when it carries a message (the app answered in the ack), else the first POST to the command's
   * `response_url` (`responseId`), waited for.
   */
  async commandReply(
    ack: { status: number; json: unknown },
    responseId: string,
    timeoutMs = 5000,
  ): Promise<{ body: SlackBody; via: "ack" } | { body: SlackBody; via: "response_url"; at: number }> {
    if (ack.status === 200 && isRecord(ack.json) && ("text" in ack.json || "blocks" in ack.json)) return { body: ack.json, via: "ack" };
    const post = await this.waitForResponse((r) => r.id === responseId, timeoutMs);
    return { body: post.body, via: "response_url", at: post.at };
  }

  /** POSTs made to one response_url id. */
  responsesTo(id: string): FakeResponseUrlPost[] {
    return this.responses.filter((post) => post.id === id);
  }

  /** The stored (non-ephemeral unless asked) message with this channel and ts. */
  messageAt(channel: string, ts: string): FakeMessage | undefined {
    return this.messages.find((m) => m.channel === channel && m.ts === ts);
  }

  /**
   * Slack no longer knows this DM channel id (as after the app was reinstalled): posting to it
   * answers `channel_not_found`, and conversations.open with its user gives a new id.
   */
  retireDm(channelId: string): void {
    const userId = this.userOfDm(channelId);
    if (userId === undefined) return;
    this.retiredDms.add(channelId);
    this.reissuedDms.set(userId, `${channelId}R${this.retiredDms.size}`);
  }

  /** The DM channel with a user: "D" + the user id, unless that one was retired. */
  private dmOf(userId: string): string {
    return this.reissuedDms.get(userId) ?? `D${userId}`;
  }

  /** The user of a DM channel id, or undefined for a retired one. */
  private userOfDm(channelId: string): string | undefined {
    if (this.retiredDms.has(channelId)) return undefined;
    for (const [userId, id] of this.reissuedDms) if (id === channelId) return userId;
    return channelId.slice(1);
  }

  /** Forget recorded traffic, pending faults, stored messages/views/files and non-persistent handlers. */
  reset(): void {
    this.calls.length = 0;
    this.responses.length = 0;
    this.messages.length = 0;
    this.uploads.clear();
    this.views.clear();
    this.homeViews.clear();
    this.files.clear();
    this.faults.clear();
    this.responseUrlUses.clear();
    this.buckets.clear();
    this.rateLimited.clear();
    for (const [method, entry] of this.handlers) if (!entry.persistent) this.handlers.delete(method);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  // ---------------------------------------------------------------------------------------------------------------
  // HTTP plumbing

  private async route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", this.baseUrl);
    const rawBody = await readBody(req);
    const path = url.pathname;
    if (path.startsWith("/api/")) return this.handleApi(decodeURIComponent(path.slice(5)), url, req, res, rawBody);
    if (path.startsWith("/upload/")) return this.handleUpload(decodeURIComponent(path.slice(8)), req, res, rawBody);
    if (path.startsWith("/response/")) {
      return this.handleResponseUrl(decodeURIComponent(path.slice(10)), req, res, rawBody);
    }
    res.writeHead(404, { "content-type": "text/plain" });
    res.end("not found");
  }

  private async handleApi(method: string, url: URL, req: IncomingMessage, res: ServerResponse, rawBody: Buffer): Promise<void> {
    const contentType = headerValue(req, "content-type") ?? "";
    const parsed = parseRequestBody(contentType, rawBody);
    const body: SlackBody = { ...Object.fromEntries(url.searchParams), ...parsed.body };
    const token = bearerToken(req) ?? (typeof body.token === "string" && body.token !== "" ? body.token : undefined);
    const call: FakeSlackCall = {
      method,
      body,
      ...(token !== undefined ? { token } : {}),
      at: this.clockNow(),
      headers: flatHeaders(req),
      contentType,
      rawBody,
      status: 200,
    };

    const fault = this.takeFault(method);
    if (fault && !("delayMs" in fault)) {
      call.fault = fault;
      this.applyFault(fault, call, res);
      this.record(call);
      return;
    }
    const retryAfter = this.spendRateLimit(method, body);
    if (retryAfter !== undefined) {
      this.rateLimited.set(method, (this.rateLimited.get(method) ?? 0) + 1);
      this.applyFault({ status: 429, retryAfter }, call, res);
      this.record(call);
      return;
    }

    let response: SlackResponse;
    if (parsed.invalidJson) {
      response = { ok: false, error: "invalid_json" };
    } else {
      response = this.authError(method, token) ?? (await this.dispatch(method, body, call));
    }
    call.response = response;
    if (fault) call.fault = fault;
    this.log?.(`${method} ${JSON.stringify(redactBody(body))} -> ${JSON.stringify(response)}`);
    this.record(call);
    // Slack reports a token's granted scopes in this header (WebClient → response_metadata.scopes).
    const scopes = this.options.scopes ?? DEFAULT_SCOPES;
    const scopeHeader: Record<string, string> = scopes.length > 0 && token !== undefined ? { "x-oauth-scopes": scopes.join(",") } : {};
    const send = (): void => sendJson(res, 200, response, scopeHeader);
    if (fault && "delayMs" in fault) this.later(fault.delayMs, send);
    else send();
  }

  private async dispatch(method: string, body: SlackBody, call: FakeSlackCall): Promise<SlackResponse> {
    const defaultResponse = (): SlackResponse => this.defaultResponse(method, body);
    const custom = this.handlers.get(method);
    if (custom) return custom.handler(body, { call, fake: this, defaultResponse });
    return defaultResponse();
  }

  private authError(method: string, token: string | undefined): SlackResponse | undefined {
    if (token === undefined) return { ok: false, error: "not_authed" };
    const tokens = this.options.tokens;
    if (tokens !== undefined && !tokens.includes(token)) return { ok: false, error: "invalid_auth" };
    const isAppToken = token.startsWith("xapp-");
    const needsAppToken = method.startsWith("apps.connections.");
    if (isAppToken !== needsAppToken) return { ok: false, error: "not_allowed_token_type" };
    return undefined;
  }

  /** Takes a token from every bucket the call counts against; Retry-After (s) when one is empty (nothing taken). */
  private spendRateLimit(method: string, body: SlackBody): number | undefined {
    const limits = this.rateLimits;
    if (!limits) return undefined;
    const buckets: { key: string; perSecond: number }[] = [];
    const perMinute = limits.perMethodPerMinute?.[method];
    if (perMinute !== undefined) buckets.push({ key: `method:${method}`, perSecond: perMinute / 60 });
    const perChannel = limits.postMessagePerChannelPerSecond;
    if (method === "chat.postMessage" && perChannel !== undefined && typeof body.channel === "string") {
      buckets.push({ key: `channel:${body.channel}`, perSecond: perChannel });
    }
    if (buckets.length === 0) return undefined;
    const now = this.clockNow();
    const burst = limits.burstSeconds ?? 1;
    let waitMs = 0;
    const states = buckets.map(({ key, perSecond }) => {
      const capacity = Math.max(1, perSecond * burst);
      const previous = this.buckets.get(key);
      const tokens = previous ? Math.min(capacity, previous.tokens + ((now - previous.at) / 1000) * perSecond) : capacity;
      if (tokens < 1) waitMs = Math.max(waitMs, ((1 - tokens) / perSecond) * 1000);
      return { key, tokens };
    });
    for (const { key, tokens } of states) this.buckets.set(key, { tokens: waitMs > 0 ? tokens : tokens - 1, at: now });
    return waitMs > 0 ? Math.max(1, Math.ceil(waitMs / 1000 - 1e-9)) : undefined;
  }

  private takeFault(method: string): FakeFault | undefined {
    const queue = this.faults.get(method);
    const head = queue?.[0];
    if (!queue || !head) return undefined;
    head.remaining -= 1;
    if (head.remaining <= 0) queue.shift();
    if (queue.length === 0) this.faults.delete(method);
    return head.fault;
  }

  /** Applies every fault kind except `delayMs` (handled by the callers). */
  private applyFault(fault: FakeFault, call: { status: number; response?: SlackResponse; retryAfter?: number }, res: ServerResponse): void {
    if ("hangup" in fault) {
      call.status = 0;
      res.socket?.destroy();
      return;
    }
    if ("status" in fault && fault.status === 429) {
      const response = { ok: false, error: "ratelimited" };
      call.status = 429;
      call.response = response;
      call.retryAfter = fault.retryAfter;
      sendJson(res, 429, response, { "retry-after": String(fault.retryAfter) });
      return;
    }
    if ("status" in fault) {
      call.status = fault.status;
      res.writeHead(fault.status, { "content-type": "text/plain" });
      res.end(fault.body ?? "Internal Server Error");
      return;
    }
    if ("error" in fault) {
      const response = { ok: false, error: fault.error, ...(fault.extra ?? {}) };
      call.response = response;
      sendJson(res, 200, response);
    }
  }

  private record(call: FakeSlackCall): void {
    this.calls.push(call);
    for (const waiter of [...this.callWaiters]) {
      if (waiter.match(call)) {
        this.callWaiters.delete(waiter);
        waiter.resolve(call);
      }
    }
  }

  private waitIn<T>(
    past: readonly T[],
    waiters: Set<Waiter<T>>,
    match: (item: T) => boolean,
    timeoutMs: number,
    describe: () => string,
  ): Promise<T> {
    const found = past.find(match);
    if (found !== undefined) return Promise.resolve(found);
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        waiters.delete(waiter);
        reject(new Error(describe()));
      }, timeoutMs);
      const waiter: Waiter<T> = {
        match,
        resolve: (item) => {
          clearTimeout(timer);
          resolve(item);
        },
      };
      waiters.add(waiter);
    });
  }

  private later(ms: number, fn: () => void): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      fn();
    }, ms);
    this.timers.add(timer);
  }

  private handleUpload(fileId: string, req: IncomingMessage, res: ServerResponse, rawBody: Buffer): void {
    const fault = this.takeFault("upload");
    const status = { status: 200 };
    if (fault && !("delayMs" in fault)) {
      this.applyFault(fault, status, res);
      return;
    }
    const send = (): void => {
      if (!this.files.has(fileId)) {
        res.writeHead(404, { "content-type": "text/plain" });
        res.end("file not found");
        return;
      }
      const contentType = headerValue(req, "content-type") ?? "";
      let bytes = rawBody;
      if (contentType.startsWith("multipart/form-data")) {
        const parts = parseMultipart(rawBody, multipartBoundary(contentType));
        const filePart = parts.find((part) => part.filename !== undefined) ?? parts[0];
        if (filePart) bytes = filePart.data;
      }
      this.uploads.set(fileId, Buffer.from(bytes));
      this.log?.(`upload ${fileId}: ${bytes.length} bytes`);
      res.writeHead(200, { "content-type": "text/plain; charset=utf-8" });
      res.end(`OK - ${bytes.length}`);
    };
    if (fault && "delayMs" in fault) this.later(fault.delayMs, send);
    else send();
  }

  private handleResponseUrl(id: string, req: IncomingMessage, res: ServerResponse, rawBody: Buffer): void {
    const contentType = headerValue(req, "content-type") ?? "";
    const parsed = parseRequestBody(contentType.startsWith("application/x-www-form-urlencoded") ? contentType : "application/json", rawBody);
    const post: FakeResponseUrlPost = { id, body: parsed.body, at: Date.now(), headers: flatHeaders(req), status: 200 };
    const fault = this.takeFault("response_url");
    if (fault && !("delayMs" in fault)) {
      this.applyFault(fault, post, res);
      this.recordResponse(post);
      return;
    }
    const uses = (this.responseUrlUses.get(id) ?? 0) + 1;
    this.responseUrlUses.set(id, uses);
    let status = 200;
    let response: SlackResponse = { ok: true };
    if (parsed.invalidJson) {
      status = 400;
      response = { ok: false, error: "invalid_payload" };
    } else if (uses > (this.options.responseUrlMaxUses ?? 5)) {
      status = 404;
      response = { ok: false, error: "used_url" };
    }
    post.status = status;
    this.log?.(`response_url ${id} ${JSON.stringify(parsed.body)} -> ${status}`);
    this.recordResponse(post);
    const send = (): void => sendJson(res, status, response);
    if (fault && "delayMs" in fault) this.later(fault.delayMs, send);
    else send();
  }

  private recordResponse(post: FakeResponseUrlPost): void {
    this.responses.push(post);
    for (const waiter of [...this.responseWaiters]) {
      if (waiter.match(post)) {
        this.responseWaiters.delete(waiter);
        waiter.resolve(post);
      }
    }
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Default Web API behaviour

  private defaultResponse(method: string, body: SlackBody): SlackResponse {
    switch (method) {
      case "api.test":
        return { ok: true, args: body };
      case "auth.test":
        return {
          ok: true,
          url: `https://${this.teamDomain}.slack.com/`,
          team: this.teamName,
          user: this.botName,
          team_id: this.teamId,
          user_id: this.botUserId,
          bot_id: this.botId,
          is_enterprise_install: false,
        };
      case "team.info":
        return { ok: true, team: { id: this.teamId, name: this.teamName, domain: this.teamDomain } };
      case "chat.postMessage":
        return this.postMessage(body);
      case "chat.postEphemeral":
        return this.postEphemeral(body);
      case "chat.update":
        return this.updateMessage(body);
      case "chat.delete":
        return this.deleteMessage(body);
      case "chat.scheduleMessage":
        return this.scheduleMessage(body);
      case "chat.getPermalink":
        return this.permalink(body);
      case "views.open":
      case "views.push":
        return this.openView(method, body);
      case "views.update":
        return this.updateView(body);
      case "views.publish":
        return this.publishView(body);
      case "users.info":
        return this.userInfo(body);
      case "users.lookupByEmail":
        return this.lookupByEmail(body);
      case "users.list":
        return {
          ok: true,
          members: [...this.users.values()].map((user) => this.userObject(user, false)),
          cache_ts: Math.floor(Date.now() / 1000),
          response_metadata: { next_cursor: "" },
        };
      case "conversations.open":
        return this.openConversation(body);
      case "conversations.info":
        return this.conversationInfo(body);
      case "conversations.members":
        return this.conversationMembers(body);
      case "conversations.join":
        return this.joinConversation(body);
      case "conversations.history":
        return this.conversationHistory(body);
      case "conversations.list":
        return {
          ok: true,
          channels: [...this.channels.values()].map((channel) => this.channelObject(channel)),
          response_metadata: { next_cursor: "" },
        };
      case "reactions.add":
      case "reactions.remove":
        return body.channel && body.timestamp && body.name ? { ok: true } : { ok: false, error: "invalid_arguments" };
      case "files.getUploadURLExternal":
        return this.getUploadUrl(body);
      case "files.completeUploadExternal":
        return this.completeUpload(body);
      default:
        return { ok: false, error: "unknown_method" };
    }
  }

  /**
   * Message timestamps follow the real clock, as Slack's do (so `conversations.history`'s
   * `oldest`/`latest` filters behave), and strictly increase even within one millisecond.
   */
  private nextTs(): string {
    this.tsCounter = Math.max(Date.now() * 1000, this.tsCounter + 100);
    const micros = this.tsCounter;
    return `${Math.floor(micros / 1_000_000)}.${String(micros % 1_000_000).padStart(6, "0")}`;
  }

  private nextId(prefix: string): string {
    this.idCounter += 1;
    return `${prefix}${this.idCounter.toString(36).toUpperCase().padStart(8, "0")}`;
  }

  private newHash(): string {
    return `${Math.floor(Date.now() / 1000)}.${randomBytes(4).toString("hex")}`;
  }

  /** Where a bot message to `target` lands, or the error Slack would return. */
  private resolvePostTarget(target: unknown): { id: string } | { error: string } {
    if (typeof target !== "string" || target === "") return { error: "channel_not_found" };
    const deletedError = this.options.deletedUserDmError === undefined ? "user_disabled" : this.options.deletedUserDmError;
    if (/^[UW]/.test(target) || /^D/.test(target)) {
      const userId = target.startsWith("D") ? this.userOfDm(target) : target;
      if (userId === undefined) return { error: "channel_not_found" };
      if (this.users.get(userId)?.deleted && deletedError !== null) return { error: deletedError };
      return { id: target.startsWith("D") ? target : this.dmOf(userId) };
    }
    const byName = target.startsWith("#") ? target.slice(1) : target;
    const channel = this.channels.get(target) ?? [...this.channels.values()].find((c) => c.name === byName);
    if (!channel) return { error: "channel_not_found" };
    if (channel.is_archived) return { error: "is_archived" };
    if (!channel.is_member) return { error: "not_in_channel" };
    return { id: channel.id };
  }

  private messageObject(body: SlackBody, ts: string, base: SlackResponse = {}): SlackResponse {
    const message: SlackResponse = {
      user: this.botUserId,
      type: "message",
      ts,
      bot_id: this.botId,
      app_id: this.appId,
      text: "",
      team: this.teamId,
      bot_profile: { id: this.botId, app_id: this.appId, name: this.botName, deleted: false, team_id: this.teamId },
      ...base,
    };
    for (const key of ["text", "blocks", "attachments", "thread_ts", "metadata"]) {
      if (body[key] !== undefined) message[key] = body[key];
    }
    return message;
  }

  private messageContentError(body: SlackBody): SlackResponse | undefined {
    const hasText = typeof body.text === "string" && body.text !== "";
    if (!hasText && body.blocks === undefined && body.attachments === undefined) return { ok: false, error: "no_text" };
    if (typeof body.text === "string" && body.text.length > MAX_TEXT_LENGTH) return { ok: false, error: "msg_too_long" };
    if (body.blocks !== undefined) {
      const problems = blockProblems(body.blocks, MAX_MESSAGE_BLOCKS, "/blocks");
      if (problems.length > 0) {
        return { ok: false, error: "invalid_blocks", errors: problems, response_metadata: { messages: problems.map((p) => `[ERROR] ${p}`) } };
      }
    }
    if (body.attachments !== undefined && !Array.isArray(body.attachments)) return { ok: false, error: "invalid_attachments" };
    return undefined;
  }

  private postMessage(body: SlackBody): SlackResponse {
    const target = this.resolvePostTarget(body.channel);
    if ("error" in target) return { ok: false, error: target.error };
    const contentError = this.messageContentError(body);
    if (contentError) return contentError;
    const ts = this.nextTs();
    const message = this.messageObject(body, ts);
    this.messages.push({ channel: target.id, ts, message, updates: 0, deleted: false, ephemeral: false });
    return { ok: true, channel: target.id, ts, message };
  }

  private postEphemeral(body: SlackBody): SlackResponse {
    const target = this.resolvePostTarget(body.channel);
    if ("error" in target) return { ok: false, error: target.error };
    if (typeof body.user !== "string" || body.user === "") return { ok: false, error: "user_not_found" };
    const user = this.users.get(body.user);
    if (user?.deleted) return { ok: false, error: "user_not_found" };
    const members = this.channels.get(target.id)?.members;
    if (members !== undefined && !members.includes(body.user)) return { ok: false, error: "user_not_in_channel" };
    const contentError = this.messageContentError(body);
    if (contentError) return contentError;
    const ts = this.nextTs();
    this.messages.push({
      channel: target.id,
      ts,
      message: this.messageObject(body, ts),
      updates: 0,
      deleted: false,
      ephemeral: true,
      visibleTo: body.user,
    });
    return { ok: true, message_ts: ts };
  }

  private updateMessage(body: SlackBody): SlackResponse {
    const channel = body.channel;
    const ts = body.ts;
    if (typeof channel !== "string" || channel === "") return { ok: false, error: "channel_not_found" };
    if (typeof ts !== "string" || ts === "") return { ok: false, error: "message_not_found" };
    if (/^[CG]/.test(channel) && !this.channels.has(channel)) return { ok: false, error: "channel_not_found" };
    if (body.text === undefined && body.blocks === undefined && body.attachments === undefined) {
      return { ok: false, error: "no_text" };
    }
    if (body.blocks !== undefined) {
      const problems = blockProblems(body.blocks, MAX_MESSAGE_BLOCKS, "/blocks");
      if (problems.length > 0) {
        return { ok: false, error: "invalid_blocks", errors: problems, response_metadata: { messages: problems.map((p) => `[ERROR] ${p}`) } };
      }
    }
    const stored = this.messages.find((m) => m.channel === channel && m.ts === ts && !m.ephemeral);
    if (stored?.deleted) return { ok: false, error: "message_not_found" };
    const message = this.messageObject(body, ts, stored?.message ?? {});
    message.edited = { user: this.botUserId, ts: this.nextTs() };
    if (stored) {
      stored.message = message;
      stored.updates += 1;
    } else {
      // Lenient: tests may update messages the fake never saw (e.g. a ts taken from a hand-built payload).
      this.messages.push({ channel, ts, message, updates: 1, deleted: false, ephemeral: false });
    }
    return { ok: true, channel, ts, text: typeof message.text === "string" ? message.text : "", message };
  }

  private deleteMessage(body: SlackBody): SlackResponse {
    const { channel, ts } = body;
    if (typeof channel !== "string" || typeof ts !== "string") return { ok: false, error: "message_not_found" };
    const stored = this.messages.find((m) => m.channel === channel && m.ts === ts && !m.ephemeral);
    if (stored?.deleted) return { ok: false, error: "message_not_found" };
    if (stored) stored.deleted = true;
    return { ok: true, channel, ts };
  }

  private scheduleMessage(body: SlackBody): SlackResponse {
    const target = this.resolvePostTarget(body.channel);
    if ("error" in target) return { ok: false, error: target.error };
    const postAt = Number(body.post_at);
    if (!Number.isFinite(postAt)) return { ok: false, error: "invalid_time" };
    if (postAt < Date.now() / 1000) return { ok: false, error: "time_in_past" };
    if (postAt > Date.now() / 1000 + 120 * 24 * 3600) return { ok: false, error: "time_too_far" };
    const contentError = this.messageContentError(body);
    if (contentError) return contentError;
    const message = this.messageObject(body, "");
    delete message.ts;
    return { ok: true, channel: target.id, scheduled_message_id: this.nextId("Q"), post_at: postAt, message };
  }

  private permalink(body: SlackBody): SlackResponse {
    const { channel, message_ts: ts } = body;
    if (typeof channel !== "string" || channel === "") return { ok: false, error: "channel_not_found" };
    if (typeof ts !== "string" || ts === "") return { ok: false, error: "message_not_found" };
    return { ok: true, channel, permalink: `https://${this.teamDomain}.slack.com/archives/${channel}/p${ts.replace(".", "")}` };
  }

  // Views ------------------------------------------------------------------------------------------------------

  private viewError(view: unknown, expectedType?: "home"): SlackResponse | undefined {
    const problems: string[] = [];
    if (!isRecord(view)) {
      problems.push("missing required field: view [json-pointer:/view]");
    } else {
      const type = view.type;
      if (type !== "modal" && type !== "home") problems.push("must be one of modal, home [json-pointer:/view/type]");
      if (expectedType === "home" && type !== "home") problems.push("views.publish only accepts home views [json-pointer:/view/type]");
      if (type === "modal") {
        problems.push(...plainTextProblems(view.title, 24, "/view/title", true));
        problems.push(...plainTextProblems(view.submit, 24, "/view/submit", false));
        problems.push(...plainTextProblems(view.close, 24, "/view/close", false));
      }
      if (view.blocks === undefined) problems.push("missing required field: blocks [json-pointer:/view/blocks]");
      else problems.push(...blockProblems(view.blocks, MAX_VIEW_BLOCKS, "/view/blocks"));
      if (typeof view.private_metadata === "string" && view.private_metadata.length > 3000) {
        problems.push("must be less than 3001 characters [json-pointer:/view/private_metadata]");
      }
      if (typeof view.callback_id === "string" && view.callback_id.length > 255) {
        problems.push("must be less than 256 characters [json-pointer:/view/callback_id]");
      }
    }
    if (problems.length === 0) return undefined;
    return { ok: false, error: "invalid_arguments", response_metadata: { messages: problems.map((p) => `[ERROR] ${p}`) } };
  }

  private storeView(view: SlackResponse, id: string, extra: SlackResponse = {}): SlackResponse {
    const stored: SlackResponse = {
      id,
      team_id: this.teamId,
      type: view.type,
      blocks: [],
      private_metadata: "",
      callback_id: "",
      state: { values: {} },
      hash: this.newHash(),
      clear_on_close: false,
      notify_on_close: false,
      close: null,
      submit: null,
      previous_view_id: null,
      root_view_id: id,
      app_id: this.appId,
      external_id: "",
      app_installed_team_id: this.teamId,
      bot_id: this.botId,
      ...view,
      ...extra,
    };
    stored.id = id;
    stored.hash = this.newHash();
    this.views.set(id, stored);
    return stored;
  }

  private openView(method: string, body: SlackBody): SlackResponse {
    if ((typeof body.trigger_id !== "string" || body.trigger_id === "") && body.interactivity_pointer === undefined) {
      return { ok: false, error: "invalid_arguments", response_metadata: { messages: ["[ERROR] missing required field: trigger_id"] } };
    }
    const error = this.viewError(body.view);
    if (error) return error;
    const view = body.view as SlackResponse;
    if (view.type !== "modal") {
      return { ok: false, error: "invalid_arguments", response_metadata: { messages: [`[ERROR] ${method} only accepts modal views`] } };
    }
    if (typeof body.trigger_id === "string") {
      const refused = this.exchangeTrigger(body.trigger_id);
      if (refused) return { ok: false, error: refused };
    }
    return { ok: true, view: this.storeView(view, this.nextId("V")) };
  }

  /**
   * Slack's trigger rules: an id it never issued is `invalid_trigger_id`; one already used is
   * `exchanged_trigger_id`; one older than 3 seconds is `expired_trigger_id`.
   */
  private exchangeTrigger(triggerId: string): string | null {
    const issuedAt = ISSUED_TRIGGER_IDS.get(triggerId);
    if (issuedAt === undefined) return "invalid_trigger_id";
    if (this.exchangedTriggers.has(triggerId)) return "exchanged_trigger_id";
    if (this.clockNow() - issuedAt > (this.options.triggerTtlMs ?? 3000)) return "expired_trigger_id";
    this.exchangedTriggers.add(triggerId);
    return null;
  }

  private updateView(body: SlackBody): SlackResponse {
    const error = this.viewError(body.view);
    if (error) return error;
    const view = body.view as SlackResponse;
    let id: string | undefined;
    if (typeof body.view_id === "string" && body.view_id !== "") {
      id = body.view_id; // lenient: unknown ids (from hand-built payloads) are accepted
    } else if (typeof body.external_id === "string" && body.external_id !== "") {
      const externalId = body.external_id;
      id = [...this.views.values()].find((v) => v.external_id === externalId)?.id as string | undefined;
      if (id === undefined) return { ok: false, error: "not_found" };
    } else {
      return { ok: false, error: "invalid_arguments", response_metadata: { messages: ["[ERROR] either view_id or external_id is required"] } };
    }
    const existing = this.views.get(id);
    if (existing && typeof body.hash === "string" && body.hash !== "" && body.hash !== existing.hash) {
      return { ok: false, error: "hash_conflict" };
    }
    const keep: SlackResponse = existing
      ? { previous_view_id: existing.previous_view_id, root_view_id: existing.root_view_id }
      : {};
    return { ok: true, view: this.storeView(view, id, keep) };
  }

  private publishView(body: SlackBody): SlackResponse {
    const userId = body.user_id;
    if (typeof userId !== "string" || userId === "") return { ok: false, error: "invalid_arguments", response_metadata: { messages: ["[ERROR] missing required field: user_id"] } };
    if (this.users.get(userId)?.deleted) return { ok: false, error: "user_not_found" };
    const error = this.viewError(body.view, "home");
    if (error) return error;
    const existing = this.homeViews.get(userId);
    if (existing && typeof body.hash === "string" && body.hash !== "" && body.hash !== existing.hash) {
      return { ok: false, error: "hash_conflict" };
    }
    const id = typeof existing?.id === "string" ? existing.id : this.nextId("V");
    const stored = this.storeView(body.view as SlackResponse, id);
    this.homeViews.set(userId, stored);
    return { ok: true, view: stored };
  }

  // Users & conversations ----------------------------------------------------------------------------------------

  private userObject(user: FakeUser, includeLocale: boolean): SlackResponse {
    const tz = user.tz ?? "America/New_York";
    const realName = user.real_name ?? user.profile?.real_name ?? user.name ?? user.id;
    const name = user.name ?? realName.toLowerCase().replace(/[^a-z0-9]+/g, ".");
    const { locale, profile, ...rest } = user;
    const result: SlackResponse = {
      team_id: this.teamId,
      name,
      deleted: false,
      color: "9f69e7",
      real_name: realName,
      tz,
      tz_label: user.tz_label ?? tzLabel(tz),
      tz_offset: user.tz_offset ?? tzOffsetSeconds(tz),
      is_admin: false,
      is_owner: false,
      is_primary_owner: false,
      is_restricted: false,
      is_ultra_restricted: false,
      is_bot: false,
      is_app_user: false,
      updated: 1_700_000_000,
      is_email_confirmed: true,
      who_can_share_contact_card: "EVERYONE",
      ...rest,
      profile: {
        real_name: realName,
        real_name_normalized: realName,
        display_name: name,
        display_name_normalized: name,
        team: this.teamId,
        ...profile,
      },
    };
    if (includeLocale) result.locale = locale ?? "en-US";
    return result;
  }

  private userInfo(body: SlackBody): SlackResponse {
    const user = typeof body.user === "string" ? this.users.get(body.user) : undefined;
    if (!user) return { ok: false, error: "user_not_found" };
    return { ok: true, user: this.userObject(user, body.include_locale === true || body.include_locale === "true") };
  }

  private lookupByEmail(body: SlackBody): SlackResponse {
    const email = typeof body.email === "string" ? body.email.toLowerCase() : "";
    const user = [...this.users.values()].find((u) => typeof u.profile?.email === "string" && u.profile.email.toLowerCase() === email);
    if (!user || email === "") return { ok: false, error: "users_not_found" };
    return { ok: true, user: this.userObject(user, false) };
  }

  private openConversation(body: SlackBody): SlackResponse {
    if (typeof body.channel === "string" && body.channel !== "") {
      return { ok: true, no_op: true, already_open: true, channel: { id: body.channel } };
    }
    const ids = typeof body.users === "string" ? body.users.split(",").map((s) => s.trim()).filter(Boolean) : [];
    if (ids.length === 0) return { ok: false, error: "users_list_not_supplied" };
    for (const id of ids) {
      if (this.users.get(id)?.deleted) return { ok: false, error: "user_disabled" };
    }
    if (ids.length === 1) {
      return { ok: true, no_op: false, already_open: false, channel: { id: this.dmOf(ids[0]!) } };
    }
    return { ok: true, no_op: false, already_open: false, channel: { id: `G${[...ids].sort().join("").slice(0, 10)}` } };
  }

  private channelObject(channel: FakeChannel): SlackResponse {
    const { members, ...rest } = channel;
    return {
      is_channel: !channel.is_private,
      is_group: false,
      is_im: false,
      is_mpim: false,
      is_private: false,
      created: 1_600_000_000,
      is_archived: false,
      is_general: channel.name === "general",
      creator: "U0CREATOR",
      is_shared: false,
      is_ext_shared: false,
      is_org_shared: false,
      name_normalized: channel.name,
      topic: { value: "", creator: "", last_set: 0 },
      purpose: { value: "", creator: "", last_set: 0 },
      ...(members !== undefined ? { num_members: members.length } : {}),
      ...rest,
    };
  }

  private conversationInfo(body: SlackBody): SlackResponse {
    const id = body.channel;
    if (typeof id !== "string" || id === "") return { ok: false, error: "channel_not_found" };
    if (id.startsWith("D")) {
      return { ok: true, channel: { id, created: 1_600_000_000, is_im: true, is_org_shared: false, user: id.slice(1), is_user_deleted: this.users.get(id.slice(1))?.deleted ?? false } };
    }
    const channel = this.channels.get(id);
    // A private channel the bot is not in is invisible to it: Slack answers as if it did not exist.
    if (!channel || (channel.is_private && !channel.is_member)) return { ok: false, error: "channel_not_found" };
    return { ok: true, channel: this.channelObject(channel) };
  }

  private conversationMembers(body: SlackBody): SlackResponse {
    const id = body.channel;
    if (typeof id === "string" && id.startsWith("D")) {
      return { ok: true, members: [id.slice(1), this.botUserId], response_metadata: { next_cursor: "" } };
    }
    const channel = typeof id === "string" ? this.channels.get(id) : undefined;
    if (!channel) return { ok: false, error: "channel_not_found" };
    const members = channel.members ?? [];
    const offset = decodeCursor(body.cursor);
    const limit = Math.max(1, Math.min(1000, Number(body.limit) || 100));
    const page = members.slice(offset, offset + limit);
    const next = offset + limit < members.length ? encodeCursor(offset + limit) : "";
    return { ok: true, members: page, response_metadata: { next_cursor: next } };
  }

  /**
   * Stored (non-ephemeral, not deleted) messages of a channel, newest first, within
   * `oldest`/`latest` (exclusive unless `inclusive`), at most `limit` (default 100). A message's
   * `metadata` is only returned with `include_all_metadata`, as Slack does.
   */
  private conversationHistory(body: SlackBody): SlackResponse {
    const id = body.channel;
    if (typeof id !== "string" || id === "") return { ok: false, error: "channel_not_found" };
    if (!/^D/.test(id)) {
      const channel = this.channels.get(id);
      if (!channel) return { ok: false, error: "channel_not_found" };
      if (!channel.is_member) return { ok: false, error: "not_in_channel" };
    }
    const inclusive = body.inclusive === true || body.inclusive === "true";
    const oldest = body.oldest === undefined ? -Infinity : Number(body.oldest);
    const latest = body.latest === undefined ? Infinity : Number(body.latest);
    const withMetadata = body.include_all_metadata === true || body.include_all_metadata === "true";
    const limit = Math.max(1, Math.min(1000, Number(body.limit) || 100));
    const inRange = (ts: number): boolean => (inclusive ? ts >= oldest && ts <= latest : ts > oldest && ts < latest);
    const found = this.messages
      .filter((m) => m.channel === id && !m.ephemeral && !m.deleted && inRange(Number(m.ts)))
      .sort((a, b) => Number(b.ts) - Number(a.ts));
    const page = found.slice(0, limit).map((m) => {
      const { metadata, ...rest } = m.message;
      return withMetadata && metadata !== undefined ? { ...rest, metadata } : rest;
    });
    return { ok: true, messages: page, has_more: found.length > limit, pin_count: 0, response_metadata: { next_cursor: "" } };
  }

  private joinConversation(body: SlackBody): SlackResponse {
    const channel = typeof body.channel === "string" ? this.channels.get(body.channel) : undefined;
    if (!channel) return { ok: false, error: "channel_not_found" };
    if (channel.is_archived) return { ok: false, error: "is_archived" };
    if (channel.is_private && !channel.is_member) return { ok: false, error: "method_not_supported_for_channel_type" };
    const alreadyIn = channel.is_member;
    channel.is_member = true;
    if (channel.members && !channel.members.includes(this.botUserId)) channel.members.push(this.botUserId);
    return { ok: true, channel: this.channelObject(channel), ...(alreadyIn ? { warning: "already_in_channel" } : {}) };
  }

  // Files --------------------------------------------------------------------------------------------------------

  private getUploadUrl(body: SlackBody): SlackResponse {
    const filename = body.filename;
    const length = Number(body.length);
    if (typeof filename !== "string" || filename === "" || !Number.isInteger(length) || length < 0) {
      return { ok: false, error: "invalid_arguments", response_metadata: { messages: ["[ERROR] filename and length are required"] } };
    }
    const id = this.nextId("F");
    this.files.set(id, {
      id,
      filename,
      length,
      ...(typeof body.alt_text === "string" ? { alt_text: body.alt_text } : {}),
      completed: false,
    });
    return { ok: true, upload_url: `${this.baseUrl}/upload/${id}`, file_id: id };
  }

  private completeUpload(body: SlackBody): SlackResponse {
    const entries = body.files;
    if (!Array.isArray(entries) || entries.length === 0) {
      return { ok: false, error: "invalid_arguments", response_metadata: { messages: ["[ERROR] files must be a non-empty JSON array"] } };
    }
    const channelIds = [
      ...(typeof body.channel_id === "string" && body.channel_id !== "" ? [body.channel_id] : []),
      ...(typeof body.channels === "string" ? body.channels.split(",").filter(Boolean) : []),
    ];
    for (const channelId of channelIds) {
      const target = this.resolvePostTarget(channelId);
      if ("error" in target) return { ok: false, error: target.error };
    }
    const result: SlackResponse[] = [];
    for (const entry of entries) {
      if (!isRecord(entry) || typeof entry.id !== "string") return { ok: false, error: "invalid_arguments" };
      const file = this.files.get(entry.id);
      const bytes = this.uploads.get(entry.id);
      if (!file || !bytes) return { ok: false, error: "file_not_found" };
      file.completed = true;
      const title = typeof entry.title === "string" ? entry.title : file.filename;
      file.title = title;
      if (channelIds[0] !== undefined) file.channel_id = channelIds[0];
      if (typeof body.initial_comment === "string") file.initial_comment = body.initial_comment;
      if (typeof body.thread_ts === "string") file.thread_ts = body.thread_ts;
      const mimetype = sniffMimetype(bytes, file.filename);
      result.push({
        id: file.id,
        created: Math.floor(Date.now() / 1000),
        timestamp: Math.floor(Date.now() / 1000),
        name: file.filename,
        title,
        mimetype,
        filetype: mimetype === "image/png" ? "png" : (file.filename.split(".").pop() ?? "binary"),
        user: this.botUserId,
        user_team: this.teamId,
        size: bytes.length,
        is_public: false,
        url_private: `https://files.slack.com/files-pri/${this.teamId}-${file.id}/${file.filename}`,
        permalink: `https://${this.teamDomain}.slack.com/files/${this.botUserId}/${file.id}/${file.filename}`,
        ...(file.alt_text !== undefined ? { alt_txt: file.alt_text } : {}),
      });
    }
    return { ok: true, files: result };
  }
}

/** Start a fake Slack on 127.0.0.1 with an ephemeral port. Remember `await fake.close()`. */
export async function startFakeSlack(options: FakeSlackOptions = {}): Promise<FakeSlack> {
  const server = createServer();
  // Keep connections open between calls, as Slack's API servers do. Under about 2 s, undici (the
  // fetch behind @slack/web-api) drops the connection after every response (it keeps a 2 s margin
  // below the server's advertised `Keep-Alive: timeout=`), so each call paid a new TCP connection
  // the real Slack does not cost. Node's default is 5 s; close() ends open connections itself.
  server.keepAliveTimeout = 5000;
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      server.off("error", reject);
      resolve();
    });
  });
  return new FakeSlack(server, options);
}

// -------------------------------------------------------------------------------------------------------------------
// Helpers

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function safeTest<T>(predicate: ((item: T) => boolean) | undefined, item: T): boolean {
  if (!predicate) return true;
  try {
    return predicate(item);
  } catch {
    return false;
  }
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => resolve(Buffer.concat(chunks)));
    req.on("error", reject);
  });
}

function headerValue(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function flatHeaders(req: IncomingMessage): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(req.headers)) {
    if (value !== undefined) out[key] = Array.isArray(value) ? value.join(", ") : value;
  }
  return out;
}

function bearerToken(req: IncomingMessage): string | undefined {
  const auth = headerValue(req, "authorization");
  const match = auth ? /^Bearer\s+(\S+)/i.exec(auth) : null;
  return match?.[1];
}

function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  if (res.destroyed || res.writableEnded) return;
  res.writeHead(status, { "content-type": "application/json; charset=utf-8", ...headers });
  res.end(JSON.stringify(body));
}

function redactBody(body: SlackBody): SlackBody {
  const { token: _token, ...rest } = body;
  for (const [key, value] of Object.entries(rest)) if (Buffer.isBuffer(value)) rest[key] = `<${value.length} bytes>`;
  return rest;
}

function decodeJsonField(key: string, value: string): unknown {
  if (!JSON_FIELDS.has(key)) return value;
  const trimmed = value.trim();
  if (!trimmed.startsWith("[") && !trimmed.startsWith("{")) return value;
  try {
    return JSON.parse(trimmed) as unknown;
  } catch {
    return value;
  }
}

function parseRequestBody(contentType: string, raw: Buffer): { body: SlackBody; invalidJson: boolean } {
  const type = contentType.split(";")[0]?.trim().toLowerCase() ?? "";
  if (raw.length === 0) return { body: {}, invalidJson: false };
  if (type === "application/json") {
    try {
      const parsed: unknown = JSON.parse(raw.toString("utf8"));
      return { body: isRecord(parsed) ? parsed : { _: parsed }, invalidJson: false };
    } catch {
      return { body: {}, invalidJson: true };
    }
  }
  if (type === "multipart/form-data") {
    const body: SlackBody = {};
    for (const part of parseMultipart(raw, multipartBoundary(contentType))) {
      body[part.name] = part.filename !== undefined ? part.data : decodeJsonField(part.name, part.data.toString("utf8"));
    }
    return { body, invalidJson: false };
  }
  const body: SlackBody = {};
  for (const [key, value] of new URLSearchParams(raw.toString("utf8"))) {
    const decoded = decodeJsonField(key, value);
    const previous = body[key];
    if (previous === undefined) body[key] = decoded;
    else body[key] = Array.isArray(previous) ? [...(previous as unknown[]), decoded] : [previous, decoded];
  }
  return { body, invalidJson: false };
}

function multipartBoundary(contentType: string): string {
  const match = /boundary=(?:"([^"]+)"|([^;]+))/i.exec(contentType);
  return (match?.[1] ?? match?.[2] ?? "").trim();
}

interface MultipartPart {
  name: string;
  filename?: string;
  contentType?: string;
  data: Buffer;
}

function parseMultipart(raw: Buffer, boundary: string): MultipartPart[] {
  const parts: MultipartPart[] = [];
  if (boundary === "") return parts;
  const delimiter = Buffer.from(`--${boundary}`);
  let position = raw.indexOf(delimiter);
  while (position !== -1) {
    let start = position + delimiter.length;
    if (raw.subarray(start, start + 2).toString() === "--") break;
    if (raw.subarray(start, start + 2).toString() === "\r\n") start += 2;
    const headerEnd = raw.indexOf("\r\n\r\n", start);
    if (headerEnd === -1) break;
    const next = raw.indexOf(delimiter, headerEnd + 4);
    if (next === -1) break;
    const headers = raw.subarray(start, headerEnd).toString("utf8");
    let dataEnd = next;
    if (raw[dataEnd - 2] === 0x0d && raw[dataEnd - 1] === 0x0a) dataEnd -= 2;
    const disposition = /content-disposition:([^\r\n]*)/i.exec(headers)?.[1] ?? "";
    const name = /\bname="([^"]*)"/i.exec(disposition)?.[1] ?? "";
    const filename = /\bfilename="([^"]*)"/i.exec(disposition)?.[1];
    const partType = /content-type:\s*([^\r\n]*)/i.exec(headers)?.[1]?.trim();
    parts.push({
      name,
      ...(filename !== undefined ? { filename } : {}),
      ...(partType !== undefined ? { contentType: partType } : {}),
      data: Buffer.from(raw.subarray(headerEnd + 4, dataEnd)),
    });
    position = next;
  }
  return parts;
}

function encodeCursor(offset: number): string {
  return Buffer.from(`offset:${offset}`).toString("base64");
}

function decodeCursor(cursor: unknown): number {
  if (typeof cursor !== "string" || cursor === "") return 0;
  const match = /^offset:(\d+)$/.exec(Buffer.from(cursor, "base64").toString("utf8"));
  return match?.[1] ? Number(match[1]) : 0;
}

/** Current UTC offset of an IANA zone, in seconds (what Slack reports as `tz_offset`). */
export function tzOffsetSeconds(tz: string, at: Date = new Date()): number {
  try {
    const name = new Intl.DateTimeFormat("en-US", { timeZone: tz, timeZoneName: "longOffset" })
      .formatToParts(at)
      .find((part) => part.type === "timeZoneName")?.value;
    const match = name ? /GMT([+-])(\d{2}):(\d{2})/.exec(name) : null;
    if (!match) return 0;
    const seconds = Number(match[2]) * 3600 + Number(match[3]) * 60;
    return match[1] === "-" ? -seconds : seconds;
  } catch {
    return 0;
  }
}

function tzLabel(tz: string): string {
  try {
    return (
      new Intl.DateTimeFormat("en-US", { timeZone: tz, timeZoneName: "long" })
        .formatToParts(new Date())
        .find((part) => part.type === "timeZoneName")?.value ?? tz
    );
  } catch {
    return tz;
  }
}

function sniffMimetype(bytes: Buffer, filename: string): string {
  if (bytes.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return "image/png";
  if (bytes[0] === 0xff && bytes[1] === 0xd8) return "image/jpeg";
  if (filename.endsWith(".csv")) return "text/csv";
  if (filename.endsWith(".txt")) return "text/plain";
  return "application/octet-stream";
}

function plainTextProblems(value: unknown, max: number, pointer: string, required: boolean): string[] {
  if (value === undefined || value === null) return required ? [`missing required field: text [json-pointer:${pointer}]`] : [];
  if (!isRecord(value) || value.type !== "plain_text" || typeof value.text !== "string") {
    return [`must be a plain_text text object [json-pointer:${pointer}]`];
  }
  if (value.text.length > max) return [`must be less than ${max + 1} characters [json-pointer:${pointer}/text]`];
  return [];
}

function textLength(value: unknown): number {
  return isRecord(value) && typeof value.text === "string" ? value.text.length : 0;
}

/** A subset of Block Kit's documented limits — enough to catch the usual mistakes. */
export function blockProblems(blocks: unknown, maxBlocks: number, pointer: string): string[] {
  if (!Array.isArray(blocks)) return [`must be an array [json-pointer:${pointer}]`];
  const problems: string[] = [];
  if (blocks.length > maxBlocks) problems.push(`no more than ${maxBlocks} items allowed [json-pointer:${pointer}]`);
  const blockIds = new Set<string>();
  blocks.forEach((block: unknown, index) => {
    const at = `${pointer}/${index}`;
    if (!isRecord(block) || typeof block.type !== "string") {
      problems.push(`missing required field: type [json-pointer:${at}]`);
      return;
    }
    if (typeof block.block_id === "string") {
      if (blockIds.has(block.block_id)) problems.push(`duplicate block_id ${block.block_id} [json-pointer:${at}/block_id]`);
      if (block.block_id.length > 255) problems.push(`must be less than 256 characters [json-pointer:${at}/block_id]`);
      blockIds.add(block.block_id);
    }
    switch (block.type) {
      case "section": {
        if (block.text === undefined && block.fields === undefined) problems.push(`must provide either text or fields [json-pointer:${at}]`);
        if (textLength(block.text) > 3000) problems.push(`must be less than 3001 characters [json-pointer:${at}/text/text]`);
        if (block.fields !== undefined) {
          if (!Array.isArray(block.fields)) problems.push(`must be an array [json-pointer:${at}/fields]`);
          else {
            if (block.fields.length > 10) problems.push(`no more than 10 items allowed [json-pointer:${at}/fields]`);
            block.fields.forEach((field: unknown, i) => {
              if (textLength(field) > 2000) problems.push(`must be less than 2001 characters [json-pointer:${at}/fields/${i}/text]`);
            });
          }
        }
        break;
      }
      case "header":
        if (!isRecord(block.text) || block.text.type !== "plain_text") problems.push(`must be a plain_text text object [json-pointer:${at}/text]`);
        else if (textLength(block.text) > 150) problems.push(`must be less than 151 characters [json-pointer:${at}/text/text]`);
        break;
      case "actions":
        if (!Array.isArray(block.elements) || block.elements.length === 0) problems.push(`must provide elements [json-pointer:${at}/elements]`);
        else if (block.elements.length > 25) problems.push(`no more than 25 items allowed [json-pointer:${at}/elements]`);
        break;
      case "context":
        if (!Array.isArray(block.elements) || block.elements.length === 0) problems.push(`must provide elements [json-pointer:${at}/elements]`);
        else if (block.elements.length > 10) problems.push(`no more than 10 items allowed [json-pointer:${at}/elements]`);
        break;
      case "input":
        if (block.label === undefined) problems.push(`missing required field: label [json-pointer:${at}/label]`);
        else if (textLength(block.label) > 2000) problems.push(`must be less than 2001 characters [json-pointer:${at}/label/text]`);
        if (!isRecord(block.element)) problems.push(`missing required field: element [json-pointer:${at}/element]`);
        break;
      case "image":
        if (typeof block.alt_text !== "string") problems.push(`missing required field: alt_text [json-pointer:${at}/alt_text]`);
        if (block.image_url === undefined && block.slack_file === undefined) problems.push(`must provide image_url or slack_file [json-pointer:${at}]`);
        break;
      default:
        break;
    }
  });
  return problems;
}
