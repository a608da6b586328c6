import { z } from "zod";

/**
 * Every kind of outbox row and the payload it carries, in one place: the planners (jobs, the
 * deal-won celebration) write payloads with `outboxPayload(kind, …)`, the sender reads them with
 * `parseOutboxPayload(kind, raw)`. A new kind is a line in `OUTBOX_KIND` and one in `PAYLOADS`.
 *
 * The strings are stored in `Outbox.kind` and are part of each row's unique key, so they never
 * change: the daily reminder DM is stored as "digest", the name it had before "reminder" was
 * picked for it in code. Renaming a stored string would make the planners enqueue a second
 * reminder for a day that already has one under the old name.
 */
export const OUTBOX_KIND = {
  /** The daily reminder DM (stored as "digest"). */
  reminder: "digest",
  /** A manager's weekly digest DM (Mondays). */
  managerDigest: "manager_digest",
  /** Team leaderboard posts in the team's channel, one kind per period type. */
  leaderboardWeek: "leaderboard_week",
  leaderboardMonth: "leaderboard_month",
  leaderboardQuarter: "leaderboard_quarter",
  /** A deal-won celebration in a team channel (one per deal and channel). */
  celebration: "celebration",
  /** A DM to each of the two people a book was handed between (one per person and handover). */
  handover: "handover",
  /** A DM to a rep whose changes the CRM refused or overruled (one per batch of refused pushes). */
  crmRep: "crm_rep",
  /** A DM to each workspace admin when the CRM connection breaks or works again (one per breakage). */
  crmAdmin: "crm_admin",
} as const;

export type OutboxKind = (typeof OUTBOX_KIND)[keyof typeof OUTBOX_KIND];

/** The leaderboard kind of each period type that is posted. */
export const LEADERBOARD_KIND = {
  week: OUTBOX_KIND.leaderboardWeek,
  month: OUTBOX_KIND.leaderboardMonth,
  quarter: OUTBOX_KIND.leaderboardQuarter,
} as const;

/** Block Kit blocks are checked for shape only here (an object with a `type`); Slack checks the rest. */
const block = z.looseObject({ type: z.string() });
/** A message as the planners render it: `chat.postMessage`'s text and blocks. */
const message = z.object({ text: z.string(), blocks: z.array(block).optional() });
/**
 * A leaderboard post and its chart spec. The chart is checked when it is rendered
 * (`slack/chart-upload.ts`), so a bad chart only ever costs the chart, never the post.
 */
const leaderboardPost = message.extend({ chart: z.unknown().optional() });

const PAYLOADS = {
  digest: message,
  manager_digest: message,
  leaderboard_week: leaderboardPost,
  leaderboard_month: leaderboardPost,
  leaderboard_quarter: leaderboardPost,
  celebration: message,
  handover: message,
  crm_rep: message,
  crm_admin: message,
} as const satisfies Record<OutboxKind, z.ZodType>;

export type OutboxPayload<K extends OutboxKind = OutboxKind> = z.infer<(typeof PAYLOADS)[K]>;

/** What a planner hands in: blocks from the builders (`KnownBlock[]`) fit `{ type: string }[]`. */
type PayloadInput<K extends OutboxKind> = Omit<OutboxPayload<K>, "blocks"> & { blocks?: readonly { type: string }[] };

/** The payload of a "skipped" row: no message, only why (for audits). Skipped rows are never sent. */
export const SKIPPED_PAYLOAD = JSON.stringify({ text: "", skipped: "nothing to report" });

export class OutboxPayloadError extends Error {
  override name = "OutboxPayloadError";
}

export function isOutboxKind(kind: string): kind is OutboxKind {
  return Object.hasOwn(PAYLOADS, kind);
}

/** Serializes a planner's payload for `kind`, checking it against the kind's schema first. */
export function outboxPayload<K extends OutboxKind>(kind: K, payload: PayloadInput<K>): string {
  const checked = PAYLOADS[kind].safeParse(payload);
  if (!checked.success) throw new OutboxPayloadError(`outbox payload for "${kind}" is invalid: ${z.prettifyError(checked.error)}`);
  return JSON.stringify(payload);
}

/** Reads a stored payload: throws OutboxPayloadError for an unknown kind, bad JSON or the wrong shape. */
export function parseOutboxPayload<K extends OutboxKind>(kind: K, raw: string): OutboxPayload<K>;
export function parseOutboxPayload(kind: string, raw: string): OutboxPayload;
export function parseOutboxPayload(kind: string, raw: string): OutboxPayload {
  if (!isOutboxKind(kind)) throw new OutboxPayloadError(`unknown outbox kind "${kind}"`);
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    throw new OutboxPayloadError(`outbox payload for "${kind}" is not JSON`);
  }
  const parsed = PAYLOADS[kind].safeParse(json);
  if (!parsed.success) throw new OutboxPayloadError(`outbox payload for "${kind}" is invalid: ${z.prettifyError(parsed.error)}`);
  return parsed.data;
}
