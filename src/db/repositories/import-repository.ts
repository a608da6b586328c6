import type { Db } from "../client.js";
import type { Prisma } from "../../generated/sqlite/client.js";

/**
 * Queries and writes of the CRM import (`ae-assistant import accounts`). Reads are batched (one
 * query per batch of rows); the writes of a batch go in one transaction. Only accounts and
 * contacts named in the file are ever touched, and only their CRM fields: touches, follow-ups,
 * deals, gifts, snoozes, archiving and last-touch times are never written here.
 */

/** The account fields an import compares and may change. */
export interface ImportedAccount {
  id: number;
  externalId: string | null;
  name: string;
  nameKey: string;
  kind: string;
  tier: string;
  annualValueCents: number;
  industry: string | null;
  ownerId: number;
  archived: boolean;
}

export interface ImportedContact {
  id: number;
  externalId: string | null;
  accountId: number;
  name: string;
  email: string | null;
  title: string | null;
  phone: string | null;
}

/** An account already in the database, or one created earlier in the same batch (by external id). */
export type AccountRef = { id: number } | { externalId: string };

export interface AccountCreate {
  workspaceId: number;
  ownerId: number;
  externalId: string;
  name: string;
  nameKey: string;
  kind: string;
  tier: string;
  annualValueCents: number;
  industry: string | null;
}

export interface AccountChange {
  id: number;
  data: Partial<Pick<ImportedAccount, "name" | "nameKey" | "kind" | "tier" | "annualValueCents" | "industry" | "ownerId" | "externalId">>;
}

export interface ContactCreate {
  account: AccountRef;
  externalId: string;
  name: string;
  nameKey: string;
  email: string | null;
  title: string | null;
  phone: string | null;
}

export interface ContactChange {
  id: number;
  account?: AccountRef;
  data: Partial<Pick<ImportedContact, "name" | "email" | "title" | "phone">> & { nameKey?: string };
}

export interface WriteBatch {
  createAccounts: AccountCreate[];
  updateAccounts: AccountChange[];
  createContacts: ContactCreate[];
  updateContacts: ContactChange[];
}

const ACCOUNT_SELECT = {
  id: true,
  externalId: true,
  name: true,
  nameKey: true,
  kind: true,
  tier: true,
  annualValueCents: true,
  industry: true,
  ownerId: true,
  archived: true,
} as const;

function toImported(a: Omit<ImportedAccount, "annualValueCents"> & { annualValueCents: bigint }): ImportedAccount {
  return { ...a, annualValueCents: Number(a.annualValueCents) };
}

export class ImportRepository {
  constructor(private readonly db: Db) {}

  async accountsByExternalIds(workspaceId: number, externalIds: string[]): Promise<ImportedAccount[]> {
    if (externalIds.length === 0) return [];
    const rows = await this.db.account.findMany({ where: { workspaceId, externalId: { in: externalIds } }, select: ACCOUNT_SELECT });
    return rows.map(toImported);
  }

  /** Live accounts with these normalized names; `unlinkedOnly` = created in the app, never imported. */
  async accountsByNameKeys(workspaceId: number, nameKeys: string[], unlinkedOnly: boolean): Promise<ImportedAccount[]> {
    if (nameKeys.length === 0) return [];
    const rows = await this.db.account.findMany({
      where: { workspaceId, archived: false, nameKey: { in: nameKeys }, ...(unlinkedOnly ? { externalId: null } : {}) },
      select: ACCOUNT_SELECT,
      orderBy: { id: "asc" },
    });
    return rows.map(toImported);
  }

  contactsByExternalIds(workspaceId: number, externalIds: string[]): Promise<ImportedContact[]> {
    if (externalIds.length === 0) return Promise.resolve([]);
    return this.db.contact.findMany({
      where: { externalId: { in: externalIds }, account: { workspaceId } },
      select: { id: true, externalId: true, accountId: true, name: true, email: true, title: true, phone: true },
      orderBy: { id: "asc" },
    });
  }

  /** Applies one batch atomically; returns the ids of the accounts it created, by external id. */
  async apply(batch: WriteBatch): Promise<Map<string, number>> {
    return this.db.$transaction(
      async (tx) => {
        const created = new Map<string, number>();
        if (batch.createAccounts.length > 0) {
          const rows = await tx.account.createManyAndReturn({
            data: batch.createAccounts.map((a) => ({ ...a, annualValueCents: BigInt(a.annualValueCents) })),
            select: { id: true, externalId: true },
          });
          for (const r of rows) if (r.externalId !== null) created.set(r.externalId, r.id);
        }
        const idOf = (ref: AccountRef): number => {
          if ("id" in ref) return ref.id;
          const id = created.get(ref.externalId);
          if (id === undefined) throw new Error(`import: account ${ref.externalId} was not created in this batch`);
          return id;
        };
        for (const u of batch.updateAccounts) {
          const { annualValueCents, ...rest } = u.data;
          const data: Prisma.AccountUncheckedUpdateInput = { ...rest, ...(annualValueCents !== undefined ? { annualValueCents: BigInt(annualValueCents) } : {}) };
          await tx.account.update({ where: { id: u.id }, data });
        }
        if (batch.createContacts.length > 0) {
          await tx.contact.createMany({
            data: batch.createContacts.map(({ account, ...c }) => ({ ...c, accountId: idOf(account) })),
          });
        }
        for (const u of batch.updateContacts) {
          await tx.contact.update({ where: { id: u.id }, data: { ...u.data, ...(u.account ? { accountId: idOf(u.account) } : {}) } });
        }
        return created;
      },
      { timeout: 120_000, maxWait: 60_000 },
    );
  }
}
