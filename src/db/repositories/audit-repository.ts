import type { AuditChanges } from "../../domain/audit.js";
import type { Db } from "../client.js";
import type { AuditEvent } from "../../generated/sqlite/client.js";
import { decryptValues } from "../audit/audit-crypto.js";
import { currentAuditScope } from "../audit/audit-scope.js";
import { recordOperationNow, shredKeys, type OperationEvent } from "../audit/audit-writer.js";
import { join, sql } from "../sql.js";

/**
 * Reads the audit trail (values decrypted where their key still exists) and records operations.
 * Row changes are never recorded here: the audited client does that for every write
 * (src/db/audit/audited-client.ts). The trail has no update or delete path.
 */

export interface AuditEventRecord {
  id: number;
  at: Date;
  workspaceId: number | null;
  actorKind: string;
  actorUserId: number | null;
  actorDetail: string | null;
  entity: string;
  entityId: string | null;
  accountId: number | null;
  action: string;
  fields: string[];
  /** The values before and after; null when not recorded or no longer readable (see `values`). */
  changes: AuditChanges | null;
  /**
   * "recorded": readable; "erased": recorded under a data key that was deleted (an erasure or a
   * purge); "omitted": deliberately not recorded (the write was an erasure or a purge itself).
   */
  values: "recorded" | "erased" | "omitted";
  note: string | null;
}

export interface AuditPageFilter {
  workspaceId?: number;
  /** Events at or after this instant. */
  since?: Date;
  entity?: string;
  /** Keyset paging: events with a larger id. */
  afterId?: number;
}

type Row = AuditEvent;

function parseChanges(json: string): AuditChanges | null {
  try {
    const v: unknown = JSON.parse(json);
    return typeof v === "object" && v !== null && !Array.isArray(v) ? (v as AuditChanges) : null;
  } catch {
    return null;
  }
}

export class AuditRepository {
  constructor(private readonly db: Db) {}

  /** Records an operation's own event, in the current transaction when there is one, as the current actor. */
  record(e: OperationEvent): Promise<void> {
    return recordOperationNow(this.db, e);
  }

  /** The newest events of one account's records (the account, its contacts, deals and gifts), newest first. */
  async forAccount(accountId: number, opts: { beforeId?: number; limit: number }): Promise<AuditEventRecord[]> {
    const rows = await this.db.auditEvent.findMany({
      where: { accountId, ...(opts.beforeId !== undefined ? { id: { lt: opts.beforeId } } : {}) },
      orderBy: { id: "desc" },
      take: opts.limit,
    });
    return this.readable(rows);
  }

  /** How many events of the account are older than `beforeId`, not counting those of `exceptGiftIds`. */
  countForAccount(accountId: number, beforeId: number, exceptGiftIds: readonly string[]): Promise<number> {
    return this.db.auditEvent.count({
      where: { accountId, id: { lt: beforeId }, ...(exceptGiftIds.length > 0 ? { NOT: { entity: "gift", entityId: { in: [...exceptGiftIds] } } } : {}) },
    });
  }

  /** One page of events in id order, for the export. */
  async page(filter: AuditPageFilter, limit: number): Promise<AuditEventRecord[]> {
    const rows = await this.db.auditEvent.findMany({
      where: {
        ...(filter.workspaceId !== undefined ? { workspaceId: filter.workspaceId } : {}),
        ...(filter.since ? { at: { gte: filter.since } } : {}),
        ...(filter.entity ? { entity: filter.entity } : {}),
        ...(filter.afterId !== undefined ? { id: { gt: filter.afterId } } : {}),
      },
      orderBy: { id: "asc" },
      take: limit,
    });
    return this.readable(rows);
  }

  /** Events about some records (entity + ids), oldest first (a person's data export). */
  async forEntities(entity: string, ids: readonly string[]): Promise<AuditEventRecord[]> {
    if (ids.length === 0) return [];
    const rows = await this.db.auditEvent.findMany({ where: { entity, entityId: { in: [...ids] } }, orderBy: { id: "asc" } });
    return this.readable(rows);
  }

  /** Events where a person acted (their user id), oldest first. */
  async byActor(userId: number): Promise<AuditEventRecord[]> {
    return this.readable(await this.db.auditEvent.findMany({ where: { actorUserId: userId }, orderBy: { id: "asc" } }));
  }

  /** Deletes data keys: every value recorded under them becomes unreadable. Returns how many existed. */
  async shred(subjects: readonly string[]): Promise<number> {
    const scope = currentAuditScope();
    return shredKeys(scope?.tx ?? this.db, subjects);
  }

  /** How many events there are of `entity` (tests, the coverage check). */
  count(where: { entity?: string; actions?: string[] } = {}): Promise<number> {
    return this.db.auditEvent.count({ where: { ...(where.entity ? { entity: where.entity } : {}), ...(where.actions ? { action: { in: where.actions } } : {}) } });
  }

  private async readable(rows: Row[]): Promise<AuditEventRecord[]> {
    const subjects = [...new Set(rows.map((r) => r.subject).filter((s): s is string => s !== null))];
    const keys = new Map<string, Buffer>();
    for (let i = 0; i < subjects.length; i += 500) {
      const found = await this.db.$queryRaw<{ subject: string; key: string }[]>(
        sql`SELECT "subject", "key" FROM "AuditKey" WHERE "subject" IN (${join(subjects.slice(i, i + 500))})`,
      );
      for (const k of found) keys.set(k.subject, Buffer.from(k.key, "base64"));
    }
    return rows.map((r) => {
      let changes: AuditChanges | null = null;
      let values: AuditEventRecord["values"] = "omitted";
      if (r.changes !== null) {
        const key = r.subject ? keys.get(r.subject) : undefined;
        const json = r.subject === null ? r.changes : key ? decryptValues(key, r.changes) : null;
        changes = json === null ? null : parseChanges(json);
        values = changes ? "recorded" : "erased";
      }
      return {
        id: r.id,
        at: r.at,
        workspaceId: r.workspaceId,
        actorKind: r.actorKind,
        actorUserId: r.actorUserId,
        actorDetail: r.actorDetail,
        entity: r.entity,
        entityId: r.entityId,
        accountId: r.accountId,
        action: r.action,
        fields: r.fields === "" ? [] : r.fields.split(","),
        changes,
        values,
        note: r.note,
      };
    });
  }
}
