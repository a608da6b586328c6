import type { Db } from "../client.js";
import type { CrmConnection, CrmSyncState } from "../../generated/sqlite/client.js";
import type { AccountDealRow } from "./account-detail-repository.js";
import { join, sql } from "../sql.js";

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

const ACCOUNT_SELECT = { id: true, externalId: true, name: true, industry: true, annualValueCents: true, ownerId: true, archived: true } as const;
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
const CONTACT_SELECT = { id: true, externalId: true, accountId: true, name: true, email: true, title: true, phone: true, archived: true } as const;

/** Ids per IN (…) list: SQLite through Prisma's adapter refuses more bound parameters than about 1,000. */
const IN_LIST_MAX = 500;

/** Runs `read` over `ids` in slices of IN_LIST_MAX and concatenates the rows. */
async function inSlices<T>(ids: string[], read: (slice: string[]) => Promise<T[]>): Promise<T[]> {
  const out: T[] = [];
  for (let i = 0; i < ids.length; i += IN_LIST_MAX) out.push(...(await read(ids.slice(i, i + IN_LIST_MAX))));
  return out;
}

function keyed<T extends { externalId: string | null }>(rows: T[]): Map<string, T & { externalId: string }> {
  const out = new Map<string, T & { externalId: string }>();
  for (const r of rows) if (r.externalId !== null) out.set(r.externalId, r as T & { externalId: string });
  return out;
}

function bigCents<T extends { amountCents?: number; annualValueCents?: number }>(data: T): Omit<T, "amountCents" | "annualValueCents"> & { amountCents?: bigint; annualValueCents?: bigint } {
  const { amountCents, annualValueCents, ...rest } = data;
  return {
    ...rest,
    ...(amountCents !== undefined ? { amountCents: BigInt(amountCents) } : {}),
    ...(annualValueCents !== undefined ? { annualValueCents: BigInt(annualValueCents) } : {}),
  };
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
  async finishObject(key: StateKey, at: Date, problems: string[]): Promise<void> {
    const data = { phase: "incremental", lastPullAt: at, lastError: null, lastErrorAt: null, problems: JSON.stringify(problems) };
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
    const rows = await inSlices(externalIds, (ids) => this.db.account.findMany({ where: { workspaceId, externalId: { in: ids } }, select: ACCOUNT_SELECT }));
    return keyed(rows.map((r) => ({ ...r, annualValueCents: Number(r.annualValueCents) })));
  }

  async dealsByExternalIds(workspaceId: number, externalIds: string[]): Promise<Map<string, SyncedDeal>> {
    if (externalIds.length === 0) return new Map();
    const rows = await inSlices(externalIds, (ids) => this.db.deal.findMany({ where: { externalId: { in: ids }, account: { workspaceId } }, select: DEAL_SELECT }));
    return keyed(rows.map((r) => ({ ...r, amountCents: Number(r.amountCents) })));
  }

  /** Deals of the workspace by our id that have no CRM id yet (made by our push, id not yet recorded). */
  async unlinkedDeals(workspaceId: number, ids: number[]): Promise<Map<number, SyncedDeal>> {
    if (ids.length === 0) return new Map();
    const rows = await this.db.deal.findMany({ where: { id: { in: ids }, externalId: null, account: { workspaceId } }, select: DEAL_SELECT });
    return new Map(rows.map((r) => [r.id, { ...r, externalId: "", amountCents: Number(r.amountCents) }]));
  }

  /**
   * Of these deals, those with a change waiting to be pushed to the CRM, with the CRM stamp the
   * deal has now: the pull leaves such a deal alone while the CRM's record still has that stamp
   * (the CRM has not changed; our change is on its way).
   */
  async dealsWaitingForPush(dealIds: number[]): Promise<Map<number, Date | null>> {
    if (dealIds.length === 0) return new Map();
    const rows = await inSlices(dealIds.map(String), (ids) =>
      this.db.$queryRaw<{ id: number; crmModifiedAt: Date | null }[]>(
        sql`SELECT d."id", d."crmModifiedAt" FROM "Deal" d WHERE d."id" IN (${join(ids.map(Number))})
          AND EXISTS (SELECT 1 FROM "CrmOutbox" q WHERE q."entity" = ${"deal"} AND q."entityId" = d."id" AND q."status" IN (${"pending"}, ${"sending"}))`,
      ),
    );
    return new Map(rows.map((r) => [Number(r.id), r.crmModifiedAt === null ? null : new Date(r.crmModifiedAt)]));
  }

  async contactsByExternalIds(workspaceId: number, externalIds: string[]): Promise<Map<string, SyncedContact>> {
    if (externalIds.length === 0) return new Map();
    const rows = await inSlices(externalIds, (ids) => this.db.contact.findMany({ where: { externalId: { in: ids }, account: { workspaceId } }, select: CONTACT_SELECT }));
    return keyed(rows);
  }

  /** One page: its writes, the cursor after its last record, and the totals, in one transaction. */
  async applyPage(key: StateKey, writes: PageWrites, cursor: { at: Date; id: string }, counts: PageCounts): Promise<void> {
    await this.db.$transaction(
      async (tx) => {
        switch (writes.object) {
          case "accounts":
            if (writes.create.length > 0) await tx.account.createMany({ data: writes.create.map((a) => ({ ...a, annualValueCents: BigInt(a.annualValueCents), workspaceId: key.workspaceId })) });
            for (const u of writes.update) await tx.account.update({ where: { id: u.id }, data: bigCents(u.data) });
            break;
          case "deals":
            if (writes.create.length > 0) await tx.deal.createMany({ data: writes.create.map((d) => ({ ...d, amountCents: BigInt(d.amountCents) })) });
            for (const u of writes.update) await tx.deal.update({ where: { id: u.id }, data: bigCents(u.data) });
            break;
          case "contacts":
            if (writes.create.length > 0) await tx.contact.createMany({ data: writes.create });
            for (const u of writes.update) await tx.contact.update({ where: { id: u.id }, data: u.data });
            break;
        }
        const totals = {
          pulled: { increment: counts.pulled },
          created: { increment: counts.created },
          updated: { increment: counts.updated },
          archived: { increment: counts.archived },
          skipped: { increment: counts.skipped },
        };
        await tx.crmSyncState.upsert({
          where: { workspaceId_provider_object: key },
          create: { ...key, cursorAt: cursor.at, cursorId: cursor.id, ...counts },
          update: { cursorAt: cursor.at, cursorId: cursor.id, ...totals },
        });
      },
      { timeout: 120_000, maxWait: 60_000 },
    );
  }
}
