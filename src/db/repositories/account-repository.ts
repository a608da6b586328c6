import type { Db } from "../client.js";
import type { Account } from "../../generated/sqlite/client.js";
import type { Scope } from "../../domain/authorization.js";
import { normalizeName } from "../../domain/names.js";

export type { Account };

export type Tier = "key" | "growth" | "standard";

export type AccountWithOwner = Account & { owner: { id: number; name: string | null; slackUserId: string } };

export function isTier(value: string): value is Tier {
  return value === "key" || value === "growth" || value === "standard";
}

export type AccountKind = "company" | "individual";

export interface NewAccount {
  workspaceId: number;
  ownerId: number;
  name: string;
  kind?: AccountKind;
  tier?: Tier;
  annualValueCents?: number;
  industry?: string | null;
  externalId?: string | null;
}

/** The Prisma filter for "accounts the scope can see". */
export function ownerFilter(scope: Scope): { ownerId?: { in: number[] } } {
  return scope.kind === "all" ? {} : { ownerId: { in: scope.ownerIds } };
}

export class AccountRepository {
  constructor(private readonly db: Db) {}

  create(a: NewAccount): Promise<Account> {
    return this.db.account.create({
      data: {
        workspaceId: a.workspaceId,
        ownerId: a.ownerId,
        name: a.name,
        nameKey: normalizeName(a.name),
        kind: a.kind ?? "company",
        tier: a.tier ?? "standard",
        annualValueCents: BigInt(a.annualValueCents ?? 0),
        industry: a.industry ?? null,
        externalId: a.externalId ?? null,
      },
    });
  }

  findById(id: number): Promise<Account | null> {
    return this.db.account.findUnique({ where: { id } });
  }

  /** Accounts in scope whose normalized name equals or starts with `key` (index on nameKey). */
  findByNamePrefix(workspaceId: number, scope: Scope, key: string, limit = 50): Promise<Account[]> {
    return this.db.account.findMany({
      where: { workspaceId, archived: false, ...ownerFilter(scope), nameKey: { startsWith: key } },
      orderBy: [{ nameKey: "asc" }],
      take: limit,
    });
  }

  /** Id and name of every live account in scope, for fuzzy matching (bounded). */
  namesInScope(workspaceId: number, scope: Scope, limit = 5000): Promise<Pick<Account, "id" | "name" | "nameKey" | "ownerId">[]> {
    return this.db.account.findMany({
      where: { workspaceId, archived: false, ...ownerFilter(scope) },
      select: { id: true, name: true, nameKey: true, ownerId: true },
      take: limit,
    });
  }

  findManyByIds(ids: number[]): Promise<Account[]> {
    return this.db.account.findMany({ where: { id: { in: ids } } });
  }

  /** An account with this exact name already owned by the user (to refuse duplicates). */
  findOwnedByNameKey(ownerId: number, nameKey: string): Promise<Account | null> {
    return this.db.account.findFirst({ where: { ownerId, nameKey, archived: false } });
  }

  /**
   * Every live account in scope with its owner, for listing and ranking (bounded: ranking needs
   * them all, and a book of business is far below the bound).
   */
  listInScope(workspaceId: number, scope: Scope, limit = 5000): Promise<AccountWithOwner[]> {
    return this.db.account.findMany({
      where: { workspaceId, archived: false, ...ownerFilter(scope) },
      include: { owner: { select: { id: true, name: true, slackUserId: true } } },
      orderBy: [{ id: "asc" }],
      take: limit,
    });
  }

  findByIdWithOwner(id: number): Promise<AccountWithOwner | null> {
    return this.db.account.findUnique({ where: { id }, include: { owner: { select: { id: true, name: true, slackUserId: true } } } });
  }

  update(id: number, data: Partial<Pick<Account, "name" | "tier" | "kind" | "industry" | "archived" | "snoozedUntil" | "ownerId">> & { annualValueCents?: number }): Promise<Account> {
    const { annualValueCents, ...rest } = data;
    return this.db.account.update({
      where: { id },
      data: {
        ...rest,
        ...(rest.name !== undefined ? { nameKey: normalizeName(rest.name) } : {}),
        ...(annualValueCents !== undefined ? { annualValueCents: BigInt(annualValueCents) } : {}),
      },
    });
  }
}
