import type { Db } from "../client.js";
import { inChunks, join, raw, sql, type Sql } from "../sql.js";
import type { CrmConnection, CrmSyncState } from "../../generated/sqlite/client.js";
import type { AccountDealRow } from "./account-detail-repository.js";
import { writeSyncedDeals } from "./deal-repository.js";

export type { CrmConnection, CrmSyncState };

/**
 * Storage of the CRM pull: the state per object (cursor, totals, last error), the connection's
 * health, and the batched reads and writes of one page. A page's writes and its cursor move in one
 * transaction, so a crash resumes exactly after the last page applied.
 */

export interface SyncedAccount {
  id: number;
  externalId: string;
  name: string;
  industry: string | null;
  annualValueCents: number;
  ownerId: number;
  archived: boolean;
}

/** A deal as the sync compares it: what the account page shows, plus its links and CRM id. */
export interface SyncedDeal extends AccountDealRow {
  externalId: string;
  accountId: number;
  ownerId: number;
  archived: boolean;
}

export interface SyncedContact {
  id: number;
  externalId: string;
  accountId: number;
  name: string;
  email: string | null;
  title: string | null;
  phone: string | null;
  archived: boolean;
}

export interface SyncOwner {
  id: number;
  timezone: string;
}

type Fields<T> = Omit<T, "id" | "externalId">;
export type AccountWrite = Fields<SyncedAccount> & { nameKey: string };
export type DealWrite = Fields<SyncedDeal>;
export type ContactWrite = Fields<SyncedContact> & { nameKey: string };

interface Ops<T> {
  create: (T & { externalId: string; crmModifiedAt: Date })[];
  update: { id: number; data: Partial<T> & { crmModifiedAt: Date } }[];
}

export type PageWrites = ({ object: "accounts" } & Ops<AccountWrite>) | ({ object: "deals" } & Ops<DealWrite>) | ({ object: "contacts" } & Ops<ContactWrite>);

export interface StateKey {
  workspaceId: number;
  provider: string;
  object: string;
}

export interface PageCounts {
  pulled: number;
  created: number;
  updated: number;
  archived: number;
  skipped: number;
}

/** A deal's fields as the CRM sync reads them (the pull compares them; the push writes from them). */
export const DEAL_SELECT = {
  id: true,
  externalId: true,
  accountId: true,
  ownerId: true,
  title: true,
  amountCents: true,
  stage: true,
  status: true,
  expectedCloseAt: true,
  wonAt: true,
  lostAt: true,
  archived: true,
} as const;

/**
 * The columns the sync compares, per table: the page's reads are hand-written SQL (db/sql.ts), one
 * statement per 10,000 ids, because a pull reads and writes thousands of rows a page and Prisma's
 * model queries cost several microseconds a row more (its query compiler, row mapping).
 */
const ACCOUNT_COLUMNS = raw(`"id", "externalId", "name", "industry", "annualValueCents", "ownerId", "archived"`);
const DEAL_COLUMNS = raw(Object.keys(DEAL_SELECT).map((c) => `d."${c}"`).join(", "));
const CONTACT_COLUMNS = raw(`c."id", c."externalId", c."accountId", c."name", c."email", c."title", c."phone", c."archived"`);

/** Runs `read` over `ids` in chunks and concatenates the rows. */
async function inSlices<T>(ids: readonly (string | number)[], read: (slice: Sql) => Promise<T[]>): Promise<T[]> {
  const out: T[] = [];
  for (const chunk of inChunks(ids)) out.push(...(await read(join(chunk))));
  return out;
}

/** Money columns as the database takes them (BigInt cents). */
function bigCents<T extends { amountCents?: number; annualValueCents?: number }>(data: T): Omit<T, "amountCents" | "annualValueCents"> & { amountCents?: bigint; annualValueCents?: bigint } {
  const { amountCents, annualValueCents, ...rest } = data;
  return {
    ...rest,
    ...(amountCents !== undefined ? { amountCents: BigInt(amountCents) } : {}),
    ...(annualValueCents !== undefined ? { annualValueCents: BigInt(annualValueCents) } : {}),
  };
}

function keyed<T extends { externalId: string | null }>(rows: T[]): Map<string, T & { externalId: string }> {
  const out = new Map<string, T & { externalId: string }>();
  for (const r of rows) if (r.externalId !== null) out.set(r.externalId, r as T & { externalId: string });
  return out;
}

export class CrmSyncRepository {
  constructor(private readonly db: Db) {}

  /** Workspaces, oldest first (the CRM fills one; see `ae-assistant crm`). */
  workspaces(): Promise<{ id: number; slackTeamId: string }[]> {
    return this.db.workspace.findMany({ select: { id: true, slackTeamId: true }, orderBy: { id: "asc" }, take: 20 });
  }

  /** The Slack team of a workspace (part of every key the push writes). */
  async slackTeamIdOf(workspaceId: number): Promise<string | null> {
    return (await this.db.workspace.findUnique({ where: { id: workspaceId }, select: { slackTeamId: true } }))?.slackTeamId ?? null;
  }

  states(workspaceId: number, provider: string): Promise<CrmSyncState[]> {
    return this.db.crmSyncState.findMany({ where: { workspaceId, provider }, orderBy: { id: "asc" } });
  }

  state(key: StateKey): Promise<CrmSyncState | null> {
    return this.db.crmSyncState.findUnique({ where: { workspaceId_provider_object: key } });
  }

  connection(workspaceId: number, provider: string): Promise<CrmConnection | null> {
    return this.db.crmConnection.findUnique({ where: { workspaceId_provider: { workspaceId, provider } } });
  }

  async saveConnection(
    workspaceId: number,
    provider: string,
    data: Partial<Omit<CrmConnection, "id" | "workspaceId" | "provider" | "updatedAt">>,
  ): Promise<CrmConnection> {
    return this.db.crmConnection.upsert({
      where: { workspaceId_provider: { workspaceId, provider } },
      create: { workspaceId, provider, ...data },
      update: data,
    });
  }

  async recordError(key: StateKey, message: string, at: Date): Promise<void> {
    await this.db.crmSyncState.upsert({
      where: { workspaceId_provider_object: key },
      create: { ...key, lastError: message, lastErrorAt: at },
      update: { lastError: message, lastErrorAt: at },
    });
  }

  /** The object was read to the end: from now on incremental, and the last error is cleared. */
  async finishObject(key: StateKey, at: Date, problems: string[], reconciledAt?: Date): Promise<void> {
    const data = { phase: "incremental", lastPullAt: at, lastError: null, lastErrorAt: null, problems: JSON.stringify(problems), ...(reconciledAt ? { reconciledAt } : {}) };
    await this.db.crmSyncState.upsert({ where: { workspaceId_provider_object: key }, create: { ...key, ...data }, update: data });
  }

  /** The workspace's users by lowercased email (live ones win over deactivated ones); read once per pass. */
  async ownersByEmail(workspaceId: number): Promise<Map<string, SyncOwner>> {
    const out = new Map<string, SyncOwner>();
    // Emails are stored as Slack gives them; compared lowercased.
    const rows = await this.db.user.findMany({
      where: { workspaceId, email: { not: null } },
      select: { id: true, email: true, timezone: true, timezoneOverride: true, inactive: true },
      orderBy: [{ inactive: "asc" }, { id: "asc" }],
    });
    for (const r of rows) {
      const email = r.email?.toLowerCase();
      if (email && !out.has(email)) out.set(email, { id: r.id, timezone: r.timezoneOverride ?? r.timezone });
    }
    return out;
  }

  async accountsByExternalIds(workspaceId: number, externalIds: string[]): Promise<Map<string, SyncedAccount>> {
    if (externalIds.length === 0) return new Map();
    const rows = await inSlices(externalIds, (ids) =>
      this.db.$queryRaw<(Omit<SyncedAccount, "annualValueCents"> & { annualValueCents: bigint | number })[]>(sql`SELECT ${ACCOUNT_COLUMNS} FROM "Account" WHERE "workspaceId" = ${workspaceId} AND "externalId" IN (${ids})`),
    );
    return keyed(rows.map((r) => ({ ...r, annualValueCents: Number(r.annualValueCents) })));
  }

  async dealsByExternalIds(workspaceId: number, externalIds: string[]): Promise<Map<string, SyncedDeal>> {
    if (externalIds.length === 0) return new Map();
    const rows = await inSlices(externalIds, (ids) =>
      this.db.$queryRaw<(Omit<SyncedDeal, "amountCents"> & { amountCents: bigint | number })[]>(
        sql`SELECT ${DEAL_COLUMNS} FROM "Deal" d JOIN "Account" a ON a."id" = d."accountId" WHERE a."workspaceId" = ${workspaceId} AND d."externalId" IN (${ids})`,
      ),
    );
    return keyed(rows.map((r) => ({ ...r, amountCents: Number(r.amountCents) })));
  }

  /** Deals of the workspace by our id that have no CRM id yet (made by our push, id not yet recorded). */
  async unlinkedDeals(workspaceId: number, ids: number[]): Promise<Map<number, SyncedDeal>> {
    if (ids.length === 0) return new Map();
    const rows = await inSlices(ids, (slice) =>
      this.db.$queryRaw<(Omit<SyncedDeal, "amountCents" | "externalId"> & { amountCents: bigint | number })[]>(
        sql`SELECT ${DEAL_COLUMNS} FROM "Deal" d JOIN "Account" a ON a."id" = d."accountId" WHERE a."workspaceId" = ${workspaceId} AND d."externalId" IS NULL AND d."id" IN (${slice})`,
      ),
    );
    return new Map(rows.map((r) => [Number(r.id), { ...r, id: Number(r.id), externalId: "", amountCents: Number(r.amountCents) }]));
  }

  /**
   * Of these deals, those with a change waiting to be pushed to the CRM, with the CRM stamp the
   * deal has now: the pull leaves such a deal alone while the CRM's record still has that stamp
   * (the CRM has not changed; our change is on its way).
   */
  async dealsWaitingForPush(dealIds: number[]): Promise<Map<number, Date | null>> {
    if (dealIds.length === 0) return new Map();
    const rows = await inSlices(dealIds, (slice) =>
      this.db.$queryRaw<{ id: number; crmModifiedAt: Date | string | number | null }[]>(
        sql`SELECT d."id", d."crmModifiedAt" FROM "Deal" d WHERE d."id" IN (${slice})
          AND EXISTS (SELECT 1 FROM "CrmOutbox" q WHERE q."entity" = ${"deal"} AND q."entityId" = d."id" AND q."status" IN (${"pending"}, ${"sending"}))`,
      ),
    );
    return new Map(rows.map((r) => [Number(r.id), r.crmModifiedAt === null ? null : new Date(r.crmModifiedAt)]));
  }

  async contactsByExternalIds(workspaceId: number, externalIds: string[]): Promise<Map<string, SyncedContact>> {
    if (externalIds.length === 0) return new Map();
    const rows = await inSlices(externalIds, (ids) =>
      this.db.$queryRaw<SyncedContact[]>(sql`SELECT ${CONTACT_COLUMNS} FROM "Contact" c JOIN "Account" a ON a."id" = c."accountId" WHERE a."workspaceId" = ${workspaceId} AND c."externalId" IN (${ids})`),
    );
    return keyed(rows);
  }

  /** The live (not archived) rows of one object whose external id has this CRM's prefix. */
  async liveRowsOf(workspaceId: number, object: string, prefix: string): Promise<{ id: number; externalId: string }[]> {
    const like = `${prefix}%`;
    const rows =
      object === "accounts"
        ? await this.db.$queryRaw<{ id: number; externalId: string }[]>(sql`SELECT "id", "externalId" FROM "Account" WHERE "workspaceId" = ${workspaceId} AND "archived" = ${false} AND "externalId" LIKE ${like}`)
        : await this.db.$queryRaw<{ id: number; externalId: string }[]>(
            sql`SELECT t."id", t."externalId" FROM ${raw(object === "deals" ? `"Deal"` : `"Contact"`)} t JOIN "Account" a ON a."id" = t."accountId" WHERE a."workspaceId" = ${workspaceId} AND t."archived" = ${false} AND t."externalId" LIKE ${like}`,
          );
    return rows;
  }

  /** Archives rows the CRM no longer has (the reconcile), counted in the object's totals. */
  async archiveRows(key: StateKey, rows: { id: number }[], at: Date): Promise<void> {
    const model = key.object === "accounts" ? "Account" : key.object === "deals" ? "Deal" : "Contact";
    const table = raw(`"${model}"`);
    await this.db.$transaction(async (tx) => {
      for (const ids of inChunks(rows.map((r) => r.id))) {
        await tx.$auditedExecute(model, ids, sql`UPDATE ${table} SET "archived" = ${true}, "updatedAt" = ${at} WHERE "id" IN (${join(ids)})`);
      }
      await tx.crmSyncState.upsert({ where: { workspaceId_provider_object: key }, create: { ...key, archived: rows.length }, update: { archived: { increment: rows.length } } });
    });
  }

  /**
   * One page: its writes, the cursor after its last record (null: the cursor stays), and the
   * totals, in one transaction. Deals go through `writeSyncedDeals`, so a pulled stage change has
   * its history like any other (`source: "sync"`).
   */
  async applyPage(key: StateKey, writes: PageWrites, cursor: { at: Date; id: string } | null, counts: PageCounts, at: Date): Promise<void> {
    await this.db.$transaction(
      async (tx) => {
        const stamps = { createdAt: at, updatedAt: at };
        switch (writes.object) {
          // Recorded in the audit trail as the sync's (the pass runs as the actor "sync"), in bulk.
          case "accounts":
            await tx.$auditedInsert("Account", writes.create.map((a) => ({ ...bigCents(a), workspaceId: key.workspaceId, ...stamps })));
            await tx.$auditedUpdate("Account", writes.update.map((u) => ({ id: u.id, data: { ...bigCents(u.data), updatedAt: at } })));
            break;
          case "deals":
            await writeSyncedDeals(tx, writes, { source: "sync" }, at);
            break;
          case "contacts":
            await tx.$auditedInsert("Contact", writes.create.map((c) => ({ ...c, ...stamps })));
            await tx.$auditedUpdate("Contact", writes.update.map((u) => ({ id: u.id, data: { ...u.data, updatedAt: at } })));
            break;
        }
        const totals = {
          pulled: { increment: counts.pulled },
          created: { increment: counts.created },
          updated: { increment: counts.updated },
          archived: { increment: counts.archived },
          skipped: { increment: counts.skipped },
        };
        const moved = cursor ? { cursorAt: cursor.at, cursorId: cursor.id } : {};
        await tx.crmSyncState.upsert({
          where: { workspaceId_provider_object: key },
          create: { ...key, ...moved, ...counts },
          update: { ...moved, ...totals },
        });
      },
      { timeout: 120_000, maxWait: 60_000 },
    );
  }
}
