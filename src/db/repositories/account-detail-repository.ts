import type { Db } from "../client.js";
import type { Deal, Gift } from "../../generated/sqlite/client.js";
import { sql, toNumber } from "../sql.js";
import { SHOWN_GIFTS_SQL } from "./gift-repository.js";

/** A deal on the account, as the account page shows it (read straight from the Deal table). */
export interface AccountDealRow {
  id: number;
  title: string | null;
  amountCents: number;
  stage: string;
  status: string;
  expectedCloseAt: Date | null;
  wonAt: Date | null;
  lostAt: Date | null;
}

/** A deal as the account page lists it: with the rep's forecast call (null = implied by the stage). */
export interface AccountPageDeal extends AccountDealRow {
  forecastCategory: string | null;
}

/** A gift or entertainment given to someone at the account (read straight from the Gift table). */
export interface AccountGiftRow {
  id: number;
  kind: string;
  recipientName: string;
  amountCents: number;
  givenOn: string;
  description: string;
}

/**
 * The read side of the account page: deals and gifts. Those tables are written by the deal and
 * gift features; this only reads them.
 */
export class AccountDetailRepository {
  constructor(private readonly db: Db) {}

  /** Open deals first (by expected close), then closed ones, newest first; at most `limit`. Deals deleted in the CRM (archived) are left out. */
  async deals(accountId: number, limit: number): Promise<{ items: AccountPageDeal[]; total: number }> {
    // The account page: hand-written SQL (see db/sql.ts), the same rows and order as the model queries.
    const [open, closed, counted] = await Promise.all([
      this.db.$queryRaw<Deal[]>(sql`SELECT * FROM "Deal" WHERE "accountId" = ${accountId} AND "archived" = ${false} AND "status" = ${"open"} ORDER BY "expectedCloseAt" ASC, "id" ASC LIMIT ${limit}`),
      this.db.$queryRaw<Deal[]>(sql`SELECT * FROM "Deal" WHERE "accountId" = ${accountId} AND "archived" = ${false} AND "status" <> ${"open"} ORDER BY "updatedAt" DESC, "id" DESC LIMIT ${limit}`),
      this.db.$queryRaw<{ n: unknown }[]>(sql`SELECT COUNT(*) AS "n" FROM "Deal" WHERE "accountId" = ${accountId} AND "archived" = ${false}`),
    ]);
    const total = toNumber(counted[0]?.n);
    const items = [...open, ...closed].slice(0, limit).map((d) => ({
      id: d.id,
      title: d.title,
      amountCents: Number(d.amountCents),
      stage: d.stage,
      status: d.status,
      expectedCloseAt: d.expectedCloseAt,
      wonAt: d.wonAt,
      lostAt: d.lostAt,
      forecastCategory: d.forecastCategory,
    }));
    return { items, total };
  }

  /** Gifts given on local dates within [from, to] (inclusive, YYYY-MM-DD), newest first, and their total. */
  async gifts(accountId: number, from: string, to: string, limit: number): Promise<{ items: AccountGiftRow[]; total: number; totalCents: number }> {
    const where = sql`"accountId" = ${accountId} AND "givenOn" >= ${from} AND "givenOn" <= ${to} AND ${SHOWN_GIFTS_SQL}`;
    const [rows, sums] = await Promise.all([
      this.db.$queryRaw<Gift[]>(sql`SELECT * FROM "Gift" WHERE ${where} ORDER BY "givenOn" DESC, "id" DESC LIMIT ${limit}`),
      this.db.$queryRaw<{ total: unknown; n: unknown }[]>(sql`SELECT SUM("amountCents") AS "total", COUNT(*) AS "n" FROM "Gift" WHERE ${where}`),
    ]);
    const total = toNumber(sums[0]?.n);
    const totalCents = toNumber(sums[0]?.total);
    const items = rows.map((g) => ({
      id: g.id,
      kind: g.kind,
      recipientName: g.recipientName,
      amountCents: Number(g.amountCents),
      givenOn: g.givenOn,
      description: g.description,
    }));
    return { items, total, totalCents };
  }
}
