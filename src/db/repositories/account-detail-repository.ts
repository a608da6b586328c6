import type { Db } from "../client.js";

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

  /** Open deals first (by expected close), then closed ones, newest first; at most `limit`. */
  async deals(accountId: number, limit: number): Promise<{ items: AccountDealRow[]; total: number }> {
    const [open, closed, total] = await Promise.all([
      this.db.deal.findMany({ where: { accountId, status: "open" }, orderBy: [{ expectedCloseAt: "asc" }, { id: "asc" }], take: limit }),
      this.db.deal.findMany({ where: { accountId, status: { not: "open" } }, orderBy: [{ updatedAt: "desc" }, { id: "desc" }], take: limit }),
      this.db.deal.count({ where: { accountId } }),
    ]);
    const items = [...open, ...closed].slice(0, limit).map((d) => ({
      id: d.id,
      title: d.title,
      amountCents: Number(d.amountCents),
      stage: d.stage,
      status: d.status,
      expectedCloseAt: d.expectedCloseAt,
      wonAt: d.wonAt,
      lostAt: d.lostAt,
    }));
    return { items, total };
  }

  /** Gifts given on local dates within [from, to] (inclusive, YYYY-MM-DD), newest first, and their total. */
  async gifts(accountId: number, from: string, to: string, limit: number): Promise<{ items: AccountGiftRow[]; total: number; totalCents: number }> {
    const where = { accountId, givenOn: { gte: from, lte: to } };
    const [rows, sums] = await Promise.all([
      this.db.gift.findMany({ where, orderBy: [{ givenOn: "desc" }, { id: "desc" }], take: limit }),
      this.db.gift.aggregate({ where, _sum: { amountCents: true }, _count: { _all: true } }),
    ]);
    const total = sums._count._all;
    const totalCents = Number(sums._sum.amountCents ?? 0n);
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
