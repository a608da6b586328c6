import type { Db } from "../client.js";
import type { Account } from "../../generated/sqlite/client.js";
import type { Scope } from "../../domain/authorization.js";
import { normalizeName } from "../../domain/names.js";
import type { Tier } from "../../domain/account-tiers.js";
import { empty, join, sql, type Sql } from "../sql.js";

export type { Account };

export type AccountWithOwner = Account & { owner: { id: number; name: string | null; slackUserId: string } };

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

/** The SQL condition for "accounts the scope can see" (hand-written queries); null = nothing visible. */
function ownerCondition(scope: Scope): Sql | null {
  if (scope.kind === "all") return empty;
  return scope.ownerIds.length === 0 ? null : sql` AND a."ownerId" IN (${join(scope.ownerIds)})`;
}

type AccountOwnerRow = Account & { ownerName: string | null; ownerSlackUserId: string };

function withOwner(row: AccountOwnerRow): AccountWithOwner {
  const { ownerName, ownerSlackUserId, ...account } = row;
  return { ...account, owner: { id: account.ownerId, name: ownerName, slackUserId: ownerSlackUserId } };
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

  /**
   * Live accounts in scope whose normalized name is exactly `nameKey`, by id: an equality on the
   * (workspaceId, nameKey) index (a prefix LIKE cannot use it, and reads the whole workspace).
   */
  async findByNameKey(workspaceId: number, scope: Scope, nameKey: string, limit = 50): Promise<Account[]> {
    const owners = ownerCondition(scope);
    if (!owners) return [];
    return this.db.$queryRaw<Account[]>(
      sql`SELECT a.* FROM "Account" a WHERE a."workspaceId" = ${workspaceId} AND a."nameKey" = ${nameKey} AND a."archived" = ${false}${owners}
        ORDER BY a."nameKey" ASC, a."id" ASC LIMIT ${limit}`,
    );
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
  async listInScope(workspaceId: number, scope: Scope, limit = 5000): Promise<AccountWithOwner[]> {
    // Runs on every `/ae accounts`: one hand-written join instead of a query plus an include query.
    const owners = ownerCondition(scope);
    if (!owners) return [];
    const rows = await this.db.$queryRaw<AccountOwnerRow[]>(
      sql`SELECT a.*, u."name" AS "ownerName", u."slackUserId" AS "ownerSlackUserId" FROM "Account" a JOIN "User" u ON u."id" = a."ownerId"
        WHERE a."workspaceId" = ${workspaceId} AND a."archived" = ${false}${owners} ORDER BY a."id" ASC LIMIT ${limit}`,
    );
    return rows.map(withOwner);
  }

  async findByIdWithOwner(id: number): Promise<AccountWithOwner | null> {
    const rows = await this.db.$queryRaw<AccountOwnerRow[]>(
      sql`SELECT a.*, u."name" AS "ownerName", u."slackUserId" AS "ownerSlackUserId" FROM "Account" a JOIN "User" u ON u."id" = a."ownerId" WHERE a."id" = ${id}`,
    );
    return rows[0] ? withOwner(rows[0]) : null;
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
