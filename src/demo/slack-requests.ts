/**
 * Builders for requests exactly as Slack sends them to an app's Request URL, plus v0 request signing. Used by
 * `npm run demo` to play a scripted session against the real app, and by the tests (`test/support/slack-requests.ts`
 * re-exports this module).
 *
 *   const body = slashCommandBody({ userId: "U1", text: "help", responseUrl: fake.responseUrl() });
 *   const res = await postSigned(`${appUrl}/slack/events`, body, { secret: SIGNING_SECRET });
 *
 * Payload builders (`blockActionsPayload`, `viewSubmissionPayload`, `messageActionPayload`, `eventCallback`, …) return
 * plain objects: serialize them with `interactionBody()` (form `payload=<json>`) or `jsonBody()` for HTTP, or hand
 * them to the fake Socket Mode server's `sendEnvelope()` as they are. `slashCommandPayload()` is the socket-mode
 * (object) form of `slashCommandBody()`.
 */
import { createHmac, randomBytes } from "node:crypto";

export const DEFAULT_TEAM_ID = "T0TEST";
export const DEFAULT_TEAM_DOMAIN = "fake-workspace";
export const DEFAULT_APP_ID = "A0TEST";
export const DEFAULT_CHANNEL_ID = "C0TEST";
export const DEFAULT_CHANNEL_NAME = "general";
export const DEFAULT_BOT_USER_ID = "UBOT";
export const DEFAULT_BOT_ID = "BBOT";
/** The legacy verification token Slack still includes in payloads. */
export const VERIFICATION_TOKEN = "fakeVerificationToken0000";
/** Where payloads point when the test gives no response_url: a closed local port, so a stray respond() fails fast. */
export const UNSET_RESPONSE_URL = "http://127.0.0.1:9/response/unset";

export const FORM_CONTENT_TYPE = "application/x-www-form-urlencoded";
export const JSON_CONTENT_TYPE = "application/json";

type Json = Record<string, unknown>;

// ---------------------------------------------------------------------------------------------------------------------
// Signing

export interface SlackSignatureHeaders {
  "x-slack-signature": string;
  "x-slack-request-timestamp": string;
}

export function nowSeconds(): number {
  return Math.floor(Date.now() / 1000);
}

/** Slack's v0 signature headers for `body`: `v0=` + hex HMAC-SHA256(secret, `v0:${timestamp}:${body}`). */
export function sign(body: string, secret: string, timestamp: number = nowSeconds()): SlackSignatureHeaders {
  const digest = createHmac("sha256", secret).update(`v0:${timestamp}:${body}`).digest("hex");
  return { "x-slack-signature": `v0=${digest}`, "x-slack-request-timestamp": String(timestamp) };
}

export interface PostSignedOptions {
  /** The signing secret to sign with (pass a wrong one to forge). */
  secret: string;
  /** Default: application/json when the body starts with "{", else application/x-www-form-urlencoded. */
  contentType?: string;
  /** Unix seconds to sign with and send (pass an old one for a stale request). Default now. */
  timestamp?: number;
  /** Extra headers, sent last (so they can override), e.g. { "x-slack-retry-num": "1", "x-slack-retry-reason": "http_timeout" }. */
  headers?: Record<string, string>;
  /** Alter the body after signing: the replacement body, or a function of the signed one. */
  tamper?: string | ((body: string) => string);
  /** Header names to leave out, e.g. ["x-slack-signature"] or ["x-slack-request-timestamp"]. */
  omitHeaders?: string[];
  /** Send this instead of the computed x-slack-signature. */
  signature?: string;
  /** Abort after this many ms. Default 10 000. */
  timeoutMs?: number;
}

export interface SignedPostResult {
  status: number;
  text: string;
  headers: Headers;
  /** `text` parsed as JSON, or undefined when it isn't JSON. */
  json: unknown;
}

/** POST `body` to `url` the way Slack does, signed with `options.secret`. */
export async function postSigned(url: string, body: string, options: PostSignedOptions): Promise<SignedPostResult> {
  const timestamp = options.timestamp ?? nowSeconds();
  const contentType = options.contentType ?? (body.trimStart().startsWith("{") ? JSON_CONTENT_TYPE : FORM_CONTENT_TYPE);
  const headers: Record<string, string> = {
    "content-type": contentType,
    "user-agent": "Slackbot 1.0 (+https://api.slack.com/robots)",
    accept: "application/json,*/*",
    ...sign(body, options.secret, timestamp),
  };
  if (options.signature !== undefined) headers["x-slack-signature"] = options.signature;
  Object.assign(headers, options.headers ?? {});
  for (const name of options.omitHeaders ?? []) {
    for (const key of Object.keys(headers)) if (key.toLowerCase() === name.toLowerCase()) delete headers[key];
  }
  const sent = typeof options.tamper === "function" ? options.tamper(body) : (options.tamper ?? body);
  const response = await fetch(url, {
    method: "POST",
    headers,
    body: sent,
    signal: AbortSignal.timeout(options.timeoutMs ?? 10_000),
  });
  const text = await response.text();
  let json: unknown;
  try {
    json = text === "" ? undefined : (JSON.parse(text) as unknown);
  } catch {
    json = undefined;
  }
  return { status: response.status, text, headers: response.headers, json };
}

// ---------------------------------------------------------------------------------------------------------------------
// Ids

function digits(n: number): string {
  let out = "";
  for (const byte of randomBytes(n)) out += String(byte % 10);
  return out;
}

/**
 * When each trigger id handed out by `newTriggerId` was issued (real milliseconds), so the emulator
 * in the same process can apply Slack's rule: a trigger id works once, within 3 seconds.
 */
export const ISSUED_TRIGGER_IDS = new Map<string, number>();

/** A trigger id shaped like Slack's ("13345224609.738474920.8088930838d88f008e0"), issued now. */
export function newTriggerId(issuedAt: number = Date.now()): string {
  const id = `${digits(11)}.${digits(9)}.${randomBytes(10).toString("hex").slice(0, 19)}`;
  ISSUED_TRIGGER_IDS.set(id, issuedAt);
  return id;
}

export function newActionTs(): string {
  return `${nowSeconds()}.${digits(6)}`;
}

export function newEventId(): string {
  return `Ev${randomBytes(5).toString("hex").toUpperCase()}`;
}

function userObject(userId: string, userName: string | undefined, teamId: string): Json {
  const name = userName ?? userId.toLowerCase();
  return { id: userId, username: name, name, team_id: teamId };
}

function channelNameFor(channelId: string, given?: string): string {
  if (given !== undefined) return given;
  if (channelId.startsWith("D")) return "directmessage";
  if (channelId.startsWith("G")) return "privategroup";
  return channelId === DEFAULT_CHANNEL_ID ? DEFAULT_CHANNEL_NAME : channelId.toLowerCase();
}

interface CommonOptions {
  userId: string;
  userName?: string;
  teamId?: string;
  teamDomain?: string;
  apiAppId?: string;
}

function teamOf(o: CommonOptions): Json {
  return { id: o.teamId ?? DEFAULT_TEAM_ID, domain: o.teamDomain ?? DEFAULT_TEAM_DOMAIN };
}

// ---------------------------------------------------------------------------------------------------------------------
// Slash commands

export interface SlashCommandOptions extends CommonOptions {
  /** Default "/ae". */
  command?: string;
  text?: string;
  channelId?: string;
  channelName?: string;
  responseUrl: string;
  triggerId?: string;
  enterpriseId?: string;
  enterpriseName?: string;
  isEnterpriseInstall?: boolean;
  token?: string;
}

/** The fields of a slash command request, in Slack's order, all strings (also the Socket Mode payload). */
export function slashCommandPayload(o: SlashCommandOptions): Record<string, string> {
  const channelId = o.channelId ?? DEFAULT_CHANNEL_ID;
  const fields: [string, string][] = [
    ["token", o.token ?? VERIFICATION_TOKEN],
    ["team_id", o.teamId ?? DEFAULT_TEAM_ID],
    ["team_domain", o.teamDomain ?? DEFAULT_TEAM_DOMAIN],
    ...(o.enterpriseId !== undefined
      ? ([
          ["enterprise_id", o.enterpriseId],
          ["enterprise_name", o.enterpriseName ?? "Fake Enterprise"],
        ] as [string, string][])
      : []),
    ["channel_id", channelId],
    ["channel_name", channelNameFor(channelId, o.channelName)],
    ["user_id", o.userId],
    ["user_name", o.userName ?? o.userId.toLowerCase()],
    ["command", o.command ?? "/ae"],
    ["text", o.text ?? ""],
    ["api_app_id", o.apiAppId ?? DEFAULT_APP_ID],
    ["is_enterprise_install", String(o.isEnterpriseInstall ?? false)],
    ["response_url", o.responseUrl],
    ["trigger_id", o.triggerId ?? newTriggerId()],
  ];
  return Object.fromEntries(fields);
}

/** The application/x-www-form-urlencoded body Slack POSTs for a slash command. */
export function slashCommandBody(o: SlashCommandOptions): string {
  return new URLSearchParams(slashCommandPayload(o)).toString();
}

// ---------------------------------------------------------------------------------------------------------------------
// Interactivity

/** The form body Slack POSTs for interactions: `payload=<url-encoded JSON>`. */
export function interactionBody(payload: object): string {
  return new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
}

/** JSON bodies (Events API). */
export function jsonBody(payload: object): string {
  return JSON.stringify(payload);
}

export interface BlockActionsOptions extends CommonOptions {
  actionId: string;
  blockId?: string;
  value?: string;
  /** Default "button". */
  actionType?: string;
  /** Button label (default: the action id). */
  actionText?: string;
  /** Extra properties merged into the action, e.g. { selected_option: {...} } for a static_select. */
  action?: Json;
  /** Replaces the whole generated `actions` array. */
  actions?: Json[];
  /** Message source (default): channel, message ts and message. */
  channelId?: string;
  channelName?: string;
  messageTs?: string;
  /** Merged over a default bot message (text "", blocks []). */
  message?: Json;
  /** Ephemeral source: container.is_ephemeral, and no `message` (as Slack sends). */
  isEphemeral?: boolean;
  /** View source (modal or App Home): container becomes { type: "view", view_id }, and `view` is included. */
  view?: Json;
  /** state.values of the surface. */
  stateValues?: Json;
  responseUrl?: string;
  triggerId?: string;
}

export function blockActionsPayload(o: BlockActionsOptions): Json {
  const teamId = o.teamId ?? DEFAULT_TEAM_ID;
  const apiAppId = o.apiAppId ?? DEFAULT_APP_ID;
  const action: Json = {
    action_id: o.actionId,
    block_id: o.blockId ?? `b_${o.actionId}`,
    ...(o.actionType === undefined || o.actionType === "button"
      ? { text: { type: "plain_text", text: o.actionText ?? o.actionId, emoji: true } }
      : {}),
    ...(o.value !== undefined ? { value: o.value } : {}),
    type: o.actionType ?? "button",
    action_ts: newActionTs(),
    ...o.action,
  };
  const base: Json = {
    type: "block_actions",
    user: userObject(o.userId, o.userName, teamId),
    api_app_id: apiAppId,
    token: VERIFICATION_TOKEN,
    trigger_id: o.triggerId ?? newTriggerId(),
    team: teamOf(o),
    enterprise: null,
    is_enterprise_install: false,
  };
  const actions = o.actions ?? [action];
  if (o.view !== undefined) {
    const view: Json = { team_id: teamId, app_id: apiAppId, bot_id: DEFAULT_BOT_ID, state: { values: o.stateValues ?? {} }, ...o.view };
    return {
      ...base,
      container: { type: "view", view_id: view.id },
      view,
      ...(o.responseUrl !== undefined ? { response_url: o.responseUrl } : {}),
      actions,
    };
  }
  const channelId = o.channelId ?? DEFAULT_CHANNEL_ID;
  const messageTs = o.messageTs ?? (typeof o.message?.ts === "string" ? o.message.ts : "1700000000.000100");
  const message: Json = {
    type: "message",
    user: DEFAULT_BOT_USER_ID,
    ts: messageTs,
    bot_id: DEFAULT_BOT_ID,
    app_id: apiAppId,
    text: "",
    team: teamId,
    blocks: [],
    ...o.message,
  };
  return {
    ...base,
    container: { type: "message", message_ts: messageTs, channel_id: channelId, is_ephemeral: o.isEphemeral ?? false },
    channel: { id: channelId, name: channelNameFor(channelId, o.channelName) },
    ...(o.isEphemeral ? {} : { message }),
    state: { values: o.stateValues ?? {} },
    response_url: o.responseUrl ?? UNSET_RESPONSE_URL,
    actions,
  };
}

export interface ViewSubmissionOptions extends CommonOptions {
  callbackId: string;
  privateMetadata?: string;
  /** state.values: { [block_id]: { [action_id]: value } } — see `stateValue`. */
  values?: Json;
  viewId?: string;
  hash?: string;
  blocks?: unknown[];
  title?: string;
  externalId?: string;
  rootViewId?: string;
  previousViewId?: string | null;
  triggerId?: string;
  /** For modals with response_url_enabled inputs. */
  responseUrls?: { block_id: string; action_id: string; channel_id: string; response_url: string }[];
  /** Extra view properties. */
  view?: Json;
}

function modalView(o: ViewSubmissionOptions): Json {
  const teamId = o.teamId ?? DEFAULT_TEAM_ID;
  const viewId = o.viewId ?? "V0TESTVIEW";
  return {
    id: viewId,
    team_id: teamId,
    type: "modal",
    blocks: o.blocks ?? [],
    private_metadata: o.privateMetadata ?? "",
    callback_id: o.callbackId,
    state: { values: o.values ?? {} },
    hash: o.hash ?? `${nowSeconds()}.${randomBytes(4).toString("hex")}`,
    title: { type: "plain_text", text: o.title ?? "AE Assistant", emoji: true },
    clear_on_close: false,
    notify_on_close: false,
    close: { type: "plain_text", text: "Cancel", emoji: true },
    submit: { type: "plain_text", text: "Submit", emoji: true },
    previous_view_id: o.previousViewId ?? null,
    root_view_id: o.rootViewId ?? viewId,
    app_id: o.apiAppId ?? DEFAULT_APP_ID,
    external_id: o.externalId ?? "",
    app_installed_team_id: teamId,
    bot_id: DEFAULT_BOT_ID,
    ...o.view,
  };
}

export function viewSubmissionPayload(o: ViewSubmissionOptions): Json {
  const teamId = o.teamId ?? DEFAULT_TEAM_ID;
  return {
    type: "view_submission",
    team: teamOf(o),
    user: userObject(o.userId, o.userName, teamId),
    api_app_id: o.apiAppId ?? DEFAULT_APP_ID,
    token: VERIFICATION_TOKEN,
    trigger_id: o.triggerId ?? newTriggerId(),
    view: modalView(o),
    response_urls: o.responseUrls ?? [],
    is_enterprise_install: false,
    enterprise: null,
  };
}

/** Values for `state.values[block_id][action_id]`, as Slack reports each element type. */
export const stateValue = {
  plainText: (value: string | null): Json => ({ type: "plain_text_input", value }),
  number: (value: string | null): Json => ({ type: "number_input", value }),
  email: (value: string | null): Json => ({ type: "email_text_input", value }),
  staticSelect: (value: string | null, text: string = value ?? ""): Json => ({
    type: "static_select",
    selected_option: value === null ? null : { text: { type: "plain_text", text, emoji: true }, value },
  }),
  externalSelect: (value: string | null, text: string = value ?? ""): Json => ({
    type: "external_select",
    selected_option: value === null ? null : { text: { type: "plain_text", text, emoji: true }, value },
  }),
  radio: (value: string | null, text: string = value ?? ""): Json => ({
    type: "radio_buttons",
    selected_option: value === null ? null : { text: { type: "plain_text", text, emoji: true }, value },
  }),
  checkboxes: (values: string[]): Json => ({
    type: "checkboxes",
    selected_options: values.map((value) => ({ text: { type: "plain_text", text: value, emoji: true }, value })),
  }),
  datepicker: (date: string | null): Json => ({ type: "datepicker", selected_date: date }),
  timepicker: (time: string | null, timezone?: string): Json => ({
    type: "timepicker",
    selected_time: time,
    ...(timezone !== undefined ? { timezone } : {}),
  }),
  usersSelect: (userId: string | null): Json => ({ type: "users_select", selected_user: userId }),
  conversationsSelect: (channelId: string | null): Json => ({ type: "conversations_select", selected_conversation: channelId }),
};

export interface MessageActionOptions extends CommonOptions {
  callbackId: string;
  channelId?: string;
  channelName?: string;
  /** The message the shortcut was used on. */
  message: { ts: string; text?: string; user?: string } & Json;
  responseUrl: string;
  triggerId?: string;
}

/** A message shortcut (`type: "message_action"`). */
export function messageActionPayload(o: MessageActionOptions): Json {
  const teamId = o.teamId ?? DEFAULT_TEAM_ID;
  const channelId = o.channelId ?? DEFAULT_CHANNEL_ID;
  return {
    type: "message_action",
    token: VERIFICATION_TOKEN,
    action_ts: newActionTs(),
    team: teamOf(o),
    user: userObject(o.userId, o.userName, teamId),
    channel: { id: channelId, name: channelNameFor(channelId, o.channelName) },
    is_enterprise_install: false,
    enterprise: null,
    callback_id: o.callbackId,
    trigger_id: o.triggerId ?? newTriggerId(),
    response_url: o.responseUrl,
    message_ts: o.message.ts,
    message: { type: "message", text: "", user: o.userId, client_msg_id: randomUUIDish(), team: teamId, ...o.message },
  };
}

function randomUUIDish(): string {
  const hex = randomBytes(16).toString("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

// ---------------------------------------------------------------------------------------------------------------------
// Events API

export interface EventCallbackOptions {
  teamId?: string;
  apiAppId?: string;
  eventId?: string;
  /** Unix seconds. Default now. */
  eventTime?: number;
  /** The authorized bot user (authorizations[0].user_id). Default "UBOT". */
  botUserId?: string;
}

/** The `event_callback` envelope around an event (Events API HTTP body / Socket Mode `events_api` payload). */
export function eventCallback(event: Json, o: EventCallbackOptions = {}): Json {
  const teamId = o.teamId ?? DEFAULT_TEAM_ID;
  return {
    token: VERIFICATION_TOKEN,
    team_id: teamId,
    context_team_id: teamId,
    context_enterprise_id: null,
    api_app_id: o.apiAppId ?? DEFAULT_APP_ID,
    event,
    type: "event_callback",
    event_id: o.eventId ?? newEventId(),
    event_time: o.eventTime ?? nowSeconds(),
    authorizations: [
      { enterprise_id: null, team_id: teamId, user_id: o.botUserId ?? DEFAULT_BOT_USER_ID, is_bot: true, is_enterprise_install: false },
    ],
    is_ext_shared_channel: false,
    event_context: `4-${randomBytes(24).toString("base64url")}`,
  };
}

/** A user_change event: Slack sends the whole user object; `deleted: true` when they were deactivated. */
export function userChangeEvent(user: { id: string; deleted?: boolean; tz?: string; real_name?: string; email?: string; locale?: string; teamId?: string }): Json {
  return {
    type: "user_change",
    user: {
      id: user.id,
      team_id: user.teamId ?? DEFAULT_TEAM_ID,
      name: user.id.toLowerCase(),
      deleted: user.deleted ?? false,
      real_name: user.real_name ?? user.id,
      tz: user.tz ?? "America/New_York",
      tz_offset: -18000,
      is_admin: false,
      is_owner: false,
      is_bot: false,
      updated: nowSeconds(),
      locale: user.locale ?? "en-US",
      profile: { real_name: user.real_name ?? user.id, display_name: user.id, ...(user.email ? { email: user.email } : {}) },
    },
    cache_ts: nowSeconds(),
    event_ts: newActionTs(),
  };
}

export interface AppHomeOpenedOptions {
  userId: string;
  /** Default "home". */
  tab?: "home" | "messages";
  /** The App Home DM channel. Default "D" + userId. */
  channel?: string;
  /** The currently published view, when there is one. */
  view?: Json;
}

export function appHomeOpenedEvent(o: AppHomeOpenedOptions): Json {
  return {
    type: "app_home_opened",
    user: o.userId,
    channel: o.channel ?? `D${o.userId}`,
    tab: o.tab ?? "home",
    event_ts: newActionTs(),
    ...(o.view !== undefined ? { view: o.view } : {}),
  };
}
