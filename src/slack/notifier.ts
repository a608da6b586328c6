import { webApi } from "@slack/bolt";
import type { KnownBlock } from "@slack/types";
import { PacedWebClient, PaceTimeoutError, SendPace } from "./paced-client.js";

/** A message as the jobs render it. */
export interface OutgoingMessage {
  text: string;
  blocks?: KnownBlock[];
}

/** Slack failures sorted by what the outbox should do about them. */
export type DeliveryFailure =
  | { kind: "rate_limited"; retryAfterSec: number; code: string }
  | { kind: "transient"; code: string }
  | { kind: "permanent"; code: string };

export class DeliveryError extends Error {
  constructor(readonly failure: DeliveryFailure) {
    super(`Slack delivery failed: ${failure.code}`);
    this.name = "DeliveryError";
  }
}

/** Errors after which a retry cannot succeed: record them and move on. */
const PERMANENT = new Set([
  "not_in_channel",
  "channel_not_found",
  "user_not_found",
  "account_inactive",
  "user_disabled",
  "is_archived",
  "cannot_dm_bot",
  "invalid_auth",
  "not_authed",
  "token_revoked",
  "missing_scope",
  "msg_too_long",
  "invalid_blocks",
  "no_text",
  "restricted_action",
  "invalid_arguments",
]);

/** Maps a Web API client error to a delivery failure. */
export function classify(error: unknown): DeliveryFailure {
  if (error instanceof PaceTimeoutError) return { kind: "rate_limited", retryAfterSec: Math.max(1, error.retryAfter), code: "paced" };
  if (typeof error === "object" && error !== null && "code" in error) {
    const e = error as { code: string; retryAfter?: number; statusCode?: number; data?: { error?: string } };
    if (e.code === webApi.ErrorCode.RateLimitedError) {
      return { kind: "rate_limited", retryAfterSec: Math.max(1, e.retryAfter ?? 1), code: "ratelimited" };
    }
    if (e.code === webApi.ErrorCode.PlatformError) {
      const code = e.data?.error ?? "unknown_error";
      if (code === "ratelimited") return { kind: "rate_limited", retryAfterSec: 1, code };
      return PERMANENT.has(code) ? { kind: "permanent", code } : { kind: "transient", code };
    }
    if (e.code === webApi.ErrorCode.HTTPError) return { kind: "transient", code: `http_${e.statusCode ?? "error"}` };
    if (e.code === webApi.ErrorCode.RequestError) return { kind: "transient", code: "network_error" };
  }
  return { kind: "transient", code: error instanceof Error ? error.message.slice(0, 200) : "unknown_error" };
}

/** Metadata stamped on every scheduled message, so a resumed send can tell it already went out. */
export const OUTBOX_EVENT_TYPE = "ae_outbox_delivery";

/**
 * The only place that sends messages on behalf of jobs. Its Web API client neither retries nor
 * waits on 429s by itself: every call goes through one `SendPace` (a 429 pauses that method for
 * Retry-After and narrows how many calls run at once), and the outbox decides when the refused row
 * is tried again, so one slow recipient cannot hold up the batch and every attempt is counted.
 */
export class Notifier {
  readonly client: webApi.WebClient;
  readonly pace: SendPace;

  constructor(token: string, opts: { slackApiUrl?: string; timeoutMs?: number; logger?: webApi.Logger; pace?: SendPace } = {}) {
    this.pace = opts.pace ?? new SendPace();
    this.client = new PacedWebClient(
      token,
      {
        slackApiUrl: opts.slackApiUrl,
        // Exactly once to the pace: no retry inside the client, and a 429 is thrown, not waited out.
        retryConfig: { retries: 0 },
        rejectRateLimitedCalls: true,
        timeout: opts.timeoutMs ?? 10_000,
        logger: opts.logger,
        logLevel: webApi.LogLevel.ERROR,
      },
      this.pace,
    );
  }

  private async call<T>(fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (error) {
      throw new DeliveryError(classify(error));
    }
  }

  /** The DM channel with a user. */
  async openDm(userId: string): Promise<string> {
    const res = await this.call(() => this.client.conversations.open({ users: userId }));
    const id = res.channel?.id;
    if (!id) throw new DeliveryError({ kind: "transient", code: "no_channel_returned" });
    return id;
  }

  async post(channel: string, message: OutgoingMessage, outboxId?: number): Promise<{ channel: string; ts: string }> {
    // Blocks and metadata go as the JSON strings the client would send anyway (same bytes on the
    // wire): WebClient deep-copies every object argument for a debug line it builds even when not
    // logging, and JSON-encodes it again; a string is passed through. About 25 kB less garbage per message.
    const res = await this.call(() =>
      this.client.apiCall("chat.postMessage", {
        channel,
        text: message.text,
        ...(message.blocks ? { blocks: JSON.stringify(message.blocks) } : {}),
        unfurl_links: false,
        unfurl_media: false,
        ...(outboxId !== undefined
          ? { metadata: JSON.stringify({ event_type: OUTBOX_EVENT_TYPE, event_payload: { outbox_id: outboxId } }) }
          : {}),
      }),
    );
    const ts = "ts" in res ? res.ts : undefined;
    const posted = "channel" in res ? res.channel : undefined;
    if (typeof ts !== "string" || ts === "") throw new DeliveryError({ kind: "transient", code: "no_ts_returned" });
    return { channel: typeof posted === "string" ? posted : channel, ts };
  }

  /**
   * Looks for a message this outbox row already delivered (an earlier attempt that crashed after
   * Slack accepted it). Returns its ts, or null. If the history cannot be read, returns null and the
   * send goes ahead: a rare duplicate is better than a lost reminder.
   */
  async findDelivered(channel: string, outboxId: number, sinceEpochSec: number): Promise<string | null> {
    try {
      const res = await this.client.conversations.history({
        channel,
        oldest: String(Math.max(0, sinceEpochSec - 60)),
        include_all_metadata: true,
        limit: 50,
      });
      for (const m of res.messages ?? []) {
        const meta = (m as { metadata?: { event_type?: string; event_payload?: { outbox_id?: unknown } } }).metadata;
        if (meta?.event_type === OUTBOX_EVENT_TYPE && Number(meta.event_payload?.outbox_id) === outboxId && m.ts) return m.ts;
      }
      return null;
    } catch {
      return null;
    }
  }

  async update(channel: string, ts: string, message: OutgoingMessage): Promise<void> {
    await this.call(() => this.client.chat.update({ channel, ts, text: message.text, blocks: message.blocks }));
  }
}
