/**
 * What the audit trail records (README → Data protection, docs/DEVELOPING.md → "The audit trail").
 * Pure: which models are audited, which of their columns are bookkeeping, which data key a row's
 * values are encrypted under, and the field-by-field difference of two rows.
 *
 * Bookkeeping columns never make an audit row on their own and are left out of the values:
 * - `createdAt`, `updatedAt`: Prisma stamps them on every write; the event has its own time.
 * - `Account.lastTouchAt`: a copy of the newest touch (touches are not audited, and logging one is
 *   a hot path); `Account.snoozedUntil`: the owner's reminder preference, like a follow-up snooze.
 * - `crmModifiedAt`: the CRM's own modification stamp, stored to detect CRM-side changes.
 * - `Deal.stageChangedAt`: follows `stage`, whose change is recorded (and kept in DealStageChange).
 * - `Workspace.retentionRanOn`: the retention job's "done today" mark (its purge is an event).
 * - `User`: only the columns that decide what someone may do or whether they get messages are
 *   audited (role, Slack admin, deactivation, erasure); the rest mirrors Slack's profile or is a
 *   personal reminder preference.
 */

/** A database row as the audit sees it: column → value. */
export type AuditRow = Readonly<Record<string, unknown>>;

export type AuditEntity =
  | "account"
  | "contact"
  | "deal"
  | "quota"
  | "comp_plan"
  | "gift"
  | "team"
  | "team_member"
  | "workspace"
  | "holiday"
  | "user";

/** Operations that are audited as one event of their own (besides the row changes they cause). */
export type AuditOperation = "handover" | "privacy" | "retention" | "audit";

export interface AuditedModel {
  entity: AuditEntity;
  /** The Prisma model (and table) name. */
  model: string;
  /** Primary-key columns. */
  key: readonly string[];
  /** Whether a column's changes are recorded (false for bookkeeping). */
  audits(column: string): boolean;
  /**
   * The data key (AuditKey.subject) the values are encrypted under, so that deleting the key
   * erases them from the trail (crypto-shredding); null = stored as plain JSON (no personal data).
   */
  subjectOf(row: AuditRow): string | null;
  /** The account the row belongs to, for /ae history; null when none. */
  accountIdOf(row: AuditRow): number | null;
  /** The workspace, when the row says it (otherwise the acting scope's is used). */
  workspaceIdOf(row: AuditRow): number | null;
  /** Columns that are never updated once written (the database refuses it too); why, for the error. */
  frozen?: { columns: ReadonlySet<string>; reason: string };
}

const STAMPS = ["createdAt", "updatedAt"];

function except(...bookkeeping: string[]): (column: string) => boolean {
  const skip = new Set([...STAMPS, ...bookkeeping]);
  return (column) => !skip.has(column);
}

function only(...audited: string[]): (column: string) => boolean {
  const keep = new Set(audited);
  return (column) => keep.has(column);
}

const num = (v: unknown): number | null => (typeof v === "number" ? v : typeof v === "bigint" ? Number(v) : null);
const none = (): null => null;

export const AUDITED_MODELS: readonly AuditedModel[] = [
  {
    entity: "account",
    model: "Account",
    key: ["id"],
    audits: except("lastTouchAt", "snoozedUntil", "crmModifiedAt"),
    subjectOf: (r) => `account:${String(r.id)}`,
    accountIdOf: (r) => num(r.id),
    workspaceIdOf: (r) => num(r.workspaceId),
  },
  {
    entity: "contact",
    model: "Contact",
    key: ["id"],
    audits: except("crmModifiedAt"),
    subjectOf: (r) => `contact:${String(r.id)}`,
    accountIdOf: (r) => num(r.accountId),
    workspaceIdOf: none,
  },
  {
    entity: "deal",
    model: "Deal",
    key: ["id"],
    audits: except("crmModifiedAt", "stageChangedAt"),
    subjectOf: (r) => `deal:${String(r.id)}`,
    accountIdOf: (r) => num(r.accountId),
    workspaceIdOf: none,
  },
  {
    entity: "quota",
    model: "Quota",
    key: ["id"],
    audits: except(),
    subjectOf: (r) => `user:${String(r.userId)}`,
    accountIdOf: none,
    workspaceIdOf: none,
  },
  {
    entity: "comp_plan",
    model: "CompPlan",
    key: ["id"],
    audits: except(),
    subjectOf: (r) => `user:${String(r.userId)}`,
    accountIdOf: none,
    workspaceIdOf: none,
  },
  {
    entity: "gift",
    model: "Gift",
    key: ["id"],
    audits: except(),
    subjectOf: (r) => `gift:${String(r.id)}`,
    accountIdOf: (r) => num(r.accountId),
    workspaceIdOf: (r) => num(r.workspaceId),
    // FINRA Rule 3220 records: a correction is a new entry pointing at the one it corrects. Only
    // the restriction (after an erasure) and the contact link (the contact may be erased) change.
    frozen: {
      columns: new Set([
        "workspaceId", "accountId", "userId", "kind", "recipientName", "recipientKey", "amountCents", "givenOn",
        "description", "overLimit", "overrideReason", "correctsId", "correctionReason", "createdAt",
      ]),
      reason: "gift entries are never edited in place: log a correction (ae-assistant gifts correct)",
    },
  },
  { entity: "team", model: "Team", key: ["id"], audits: except(), subjectOf: none, accountIdOf: none, workspaceIdOf: (r) => num(r.workspaceId) },
  { entity: "team_member", model: "TeamMember", key: ["teamId", "userId"], audits: except(), subjectOf: none, accountIdOf: none, workspaceIdOf: none },
  { entity: "workspace", model: "Workspace", key: ["id"], audits: except("retentionRanOn"), subjectOf: none, accountIdOf: none, workspaceIdOf: (r) => num(r.id) },
  { entity: "holiday", model: "Holiday", key: ["id"], audits: except(), subjectOf: none, accountIdOf: none, workspaceIdOf: (r) => num(r.workspaceId) },
  {
    entity: "user",
    model: "User",
    key: ["id"],
    audits: only("role", "isSlackAdmin", "inactive", "inactiveSince", "erasedAt"),
    subjectOf: none,
    accountIdOf: none,
    workspaceIdOf: (r) => num(r.workspaceId),
  },
];

const BY_MODEL = new Map(AUDITED_MODELS.map((m) => [m.model, m]));
const BY_ENTITY = new Map(AUDITED_MODELS.map((m) => [m.entity, m]));

/** The audit configuration of a Prisma model; undefined when the model is not audited. */
export function auditedModel(model: string): AuditedModel | undefined {
  return BY_MODEL.get(model);
}

export function auditedEntity(entity: string): AuditedModel | undefined {
  return BY_ENTITY.get(entity as AuditEntity);
}

/** The entity id of a row: its key, joined with ":" for a composite key ("teamId:userId"). */
export function entityIdOf(model: AuditedModel, row: AuditRow): string {
  return model.key.map((k) => String(row[k])).join(":");
}

/** True when a write that sets these columns changes nothing the trail records. */
export function onlyBookkeeping(model: AuditedModel, columns: Iterable<string>): boolean {
  for (const c of columns) if (model.audits(c)) return false;
  return true;
}

/** A value as stored in the trail's JSON: BigInt as a number (or a string past 2^53), Dates as ISO 8601. */
export function jsonValue(v: unknown): string | number | boolean | null {
  if (v === null || v === undefined) return null;
  if (typeof v === "bigint") return Number.isSafeInteger(Number(v)) ? Number(v) : v.toString();
  if (v instanceof Date) return v.toISOString();
  if (typeof v === "number" || typeof v === "boolean" || typeof v === "string") return v;
  return JSON.stringify(v);
}

export type AuditChanges = Record<string, [before: string | number | boolean | null, after: string | number | boolean | null]>;

export interface AuditDiff {
  action: "create" | "update" | "delete";
  /** Audited fields written, in column order. */
  fields: string[];
  changes: AuditChanges;
}

/**
 * What changed between two versions of a row (null before = created, null after = deleted), in
 * the audited columns only. An update that changed none of them returns null (nothing to record).
 * A created row lists its non-null values; a deleted row the values it had.
 */
export function diffRows(model: AuditedModel, before: AuditRow | null, after: AuditRow | null): AuditDiff | null {
  if (!before && !after) return null;
  const action = !before ? "create" : !after ? "delete" : "update";
  const columns = Object.keys(after ?? before ?? {}).filter((c) => model.audits(c) && !model.key.includes(c));
  const changes: AuditChanges = {};
  for (const c of columns) {
    const b = before ? jsonValue(before[c]) : null;
    const a = after ? jsonValue(after[c]) : null;
    if (action === "update" ? b === a : b === null && a === null) continue;
    changes[c] = [b, a];
  }
  const fields = Object.keys(changes);
  if (action === "update" && fields.length === 0) return null;
  return { action, fields, changes };
}

/** Who acted, as the trail stores it. */
export type AuditActorKind = "slack" | "cli" | "sync" | "job" | "unknown";

export interface AuditActor {
  kind: AuditActorKind;
  /** The person (User.id): the Slack user, or the admin a CLI run names with --as. */
  userId?: number | null;
  /** The CLI command, the job's name, the CRM, the Slack event type. */
  detail?: string | null;
  /** The workspace acted in, when known (the Slack team's, the CLI's --team, the sync's). */
  workspaceId?: number | null;
}

/** The actor recorded when nothing said who was acting: visible as such in the trail. */
export const UNKNOWN_ACTOR: AuditActor = Object.freeze({ kind: "unknown" });
