import type { Db } from "../client.js";
import type { GiftKind, PriorGift } from "../../domain/gifts.js";
import type { LocalDate } from "../../domain/time.js";
import { normalizeName } from "../../domain/names.js";
import { sql, type Sql } from "../sql.js";

/**
 * The gifts every view, list, total and export shows: not restricted (an erased recipient inside
 * retention: only the compliance export shows those), and not corrected (a correction replaces
 * the entry it corrects everywhere but in the compliance export and the audit trail).
 */
export const SHOWN_GIFTS = { restrictedAt: null, correctedBy: { is: null } } as const;

/** SHOWN_GIFTS in hand-written SQL over the table "Gift". */
export const SHOWN_GIFTS_SQL: Sql = sql`"Gift"."restrictedAt" IS NULL AND NOT EXISTS (SELECT 1 FROM "Gift" "corrections" WHERE "corrections"."correctsId" = "Gift"."id")`;

/** A logged gift or entertainment, money as number cents, with the names a list needs. */
export interface GiftRecord {
  id: number;
  workspaceId: number;
  accountId: number;
  accountName: string;
  contactId: number | null;
  userId: number;
  userName: string | null;
  userSlackId: string;
  kind: GiftKind;
  recipientName: string;
  recipientKey: string;
  amountCents: number;
  givenOn: LocalDate;
  description: string;
  overLimit: boolean;
  overrideReason: string | null;
  /** The entry this one corrects (null for an original entry). */
  correctsId: number | null;
  correctionReason: string | null;
  /** Set when the recipient's data was erased inside retention (see SHOWN_GIFTS). */
  restrictedAt: Date | null;
  restrictionReason: string | null;
  createdAt: Date;
}

export interface NewGift {
  workspaceId: number;
  accountId: number;
  contactId: number | null;
  userId: number;
  kind: GiftKind;
  recipientName: string;
  amountCents: number;
  givenOn: LocalDate;
  description: string;
  overLimit: boolean;
  overrideReason: string | null;
  /** A correction: the entry it corrects, and why. */
  correction?: { correctsId: number; reason: string };
  /** When it was recorded (the app's clock): its retention counts from the later of this and givenOn. */
  createdAt?: Date;
}

export interface GiftListFilter {
  workspaceId: number;
  /** Dates [fromDate, toDateExclusive). */
  fromDate: LocalDate;
  toDateExclusive: LocalDate;
  /** Only gifts logged by these users or given on accounts they own (a rep's or manager's scope); undefined = everyone. */
  userIds?: number[];
  accountId?: number;
  /** Normalized recipient name prefix. */
  recipientKeyPrefix?: string;
}

const INCLUDE = {
  account: { select: { name: true } },
  user: { select: { name: true, slackUserId: true } },
} as const;

type Row = {
  id: number;
  workspaceId: number;
  accountId: number;
  contactId: number | null;
  userId: number;
  kind: string;
  recipientName: string;
  recipientKey: string;
  amountCents: bigint;
  givenOn: string;
  description: string;
  overLimit: boolean;
  overrideReason: string | null;
  correctsId: number | null;
  correctionReason: string | null;
  restrictedAt: Date | null;
  restrictionReason: string | null;
  createdAt: Date;
  account: { name: string };
  user: { name: string | null; slackUserId: string };
};

function toRecord(r: Row): GiftRecord {
  return {
    id: r.id,
    workspaceId: r.workspaceId,
    accountId: r.accountId,
    accountName: r.account.name,
    contactId: r.contactId,
    userId: r.userId,
    userName: r.user.name,
    userSlackId: r.user.slackUserId,
    kind: r.kind === "entertainment" ? "entertainment" : "gift",
    recipientName: r.recipientName,
    recipientKey: r.recipientKey,
    amountCents: Number(r.amountCents),
    givenOn: r.givenOn,
    description: r.description,
    overLimit: r.overLimit,
    overrideReason: r.overrideReason,
    correctsId: r.correctsId,
    correctionReason: r.correctionReason,
    restrictedAt: r.restrictedAt,
    restrictionReason: r.restrictionReason,
    createdAt: r.createdAt,
  };
}

/** An entry with the entry that corrects it, if any (the compliance export, privacy requests). */
export type GiftEntry = GiftRecord & { correctedById: number | null };

export const GIFT_ENTRY_INCLUDE = { ...INCLUDE, correctedBy: { select: { id: true } } } as const;

export function toGiftEntry(r: Row & { correctedBy: { id: number } | null }): GiftEntry {
  return { ...toRecord(r), correctedById: r.correctedBy?.id ?? null };
}

export class GiftRepository {
  constructor(private readonly db: Db) {}

  /**
   * The contact on `accountId` whose normalized name equals `name`'s; created when there is none.
   * Returns its id and stored name (the recipient is recorded under the contact's spelling).
   */
  async findOrCreateContact(accountId: number, name: string): Promise<{ id: number; name: string; created: boolean }> {
    const nameKey = normalizeName(name);
    const existing = await this.db.contact.findFirst({ where: { accountId, nameKey }, orderBy: { id: "asc" } });
    if (existing) return { id: existing.id, name: existing.name, created: false };
    const created = await this.db.contact.create({ data: { accountId, name: name.trim(), nameKey } });
    return { id: created.id, name: created.name, created: true };
  }

  async create(g: NewGift): Promise<GiftRecord> {
    const row = await this.db.gift.create({
      data: {
        workspaceId: g.workspaceId,
        accountId: g.accountId,
        contactId: g.contactId,
        userId: g.userId,
        kind: g.kind,
        recipientName: g.recipientName,
        recipientKey: normalizeName(g.recipientName),
        amountCents: BigInt(g.amountCents),
        givenOn: g.givenOn,
        description: g.description,
        overLimit: g.overLimit,
        overrideReason: g.overrideReason,
        correctsId: g.correction?.correctsId ?? null,
        correctionReason: g.correction?.reason ?? null,
        ...(g.createdAt ? { createdAt: g.createdAt } : {}),
      },
      include: INCLUDE,
    });
    return toRecord(row);
  }

  /** One entry with the names a view needs; null when there is none in the workspace. */
  async findById(workspaceId: number, id: number): Promise<GiftEntry | null> {
    const row = await this.db.gift.findFirst({ where: { id, workspaceId }, include: GIFT_ENTRY_INCLUDE });
    return row ? toGiftEntry(row) : null;
  }

  /** Restricted entries of an account (left out of its history, as of every view). */
  async hiddenIdsOfAccount(accountId: number): Promise<number[]> {
    return (await this.db.gift.findMany({ where: { accountId, restrictedAt: { not: null } }, select: { id: true } })).map((g) => g.id);
  }

  /**
   * Everything given to one recipient (by anyone in the workspace) on dates in
   * [fromDate, toDateExclusive), as the limit check needs it. Uses the (workspace, key, date) index.
   * A corrected entry counts through its correction only (once). Restricted entries count: the
   * limit is the compliance purpose they are kept for. `except`: an entry about to be corrected.
   */
  async priorForRecipient(workspaceId: number, recipientKey: string, fromDate: LocalDate, toDateExclusive: LocalDate, except?: number): Promise<PriorGift[]> {
    const rows = await this.db.gift.findMany({
      where: { workspaceId, recipientKey, givenOn: { gte: fromDate, lt: toDateExclusive }, correctedBy: { is: null }, ...(except !== undefined ? { id: { not: except } } : {}) },
      select: { amountCents: true, givenOn: true, kind: true },
    });
    return rows.map((r) => ({ amountCents: Number(r.amountCents), givenOn: r.givenOn, kind: r.kind === "entertainment" ? "entertainment" : "gift" }));
  }

  /** Kind "gift" totals per recipient key in [fromDate, toDateExclusive), workspace-wide: one GROUP BY. */
  async giftTotalsByRecipient(workspaceId: number, recipientKeys: string[], fromDate: LocalDate, toDateExclusive: LocalDate): Promise<Map<string, number>> {
    const totals = new Map<string, number>();
    if (recipientKeys.length === 0) return totals;
    const rows = await this.db.gift.groupBy({
      by: ["recipientKey"],
      where: { workspaceId, kind: "gift", recipientKey: { in: recipientKeys }, givenOn: { gte: fromDate, lt: toDateExclusive }, ...SHOWN_GIFTS },
      _sum: { amountCents: true },
    });
    for (const r of rows) totals.set(r.recipientKey, Number(r._sum.amountCents ?? 0n));
    return totals;
  }

  /** Gifts and entertainment matching the filter, newest first (bounded). */
  async list(f: GiftListFilter, limit = 1000): Promise<GiftRecord[]> {
    const rows = await this.db.gift.findMany({
      where: {
        workspaceId: f.workspaceId,
        givenOn: { gte: f.fromDate, lt: f.toDateExclusive },
        ...SHOWN_GIFTS,
        ...(f.userIds ? { OR: [{ userId: { in: f.userIds } }, { account: { ownerId: { in: f.userIds } } }] } : {}),
        ...(f.accountId !== undefined ? { accountId: f.accountId } : {}),
        ...(f.recipientKeyPrefix ? { recipientKey: { startsWith: f.recipientKeyPrefix } } : {}),
      },
      orderBy: [{ givenOn: "desc" }, { id: "desc" }],
      take: limit,
      include: INCLUDE,
    });
    return rows.map(toRecord);
  }

  /**
   * Every gift and entertainment given in [fromDate, toDateExclusive), oldest first, for the
   * compliance export: corrected and correcting entries both, restricted ones too.
   */
  async forExport(
    fromDate: LocalDate,
    toDateExclusive: LocalDate,
    workspaceId?: number,
  ): Promise<(GiftEntry & { currency: string; timezone: string; retentionGiftYears: number })[]> {
    const rows = await this.db.gift.findMany({
      where: { givenOn: { gte: fromDate, lt: toDateExclusive }, ...(workspaceId !== undefined ? { workspaceId } : {}) },
      orderBy: [{ givenOn: "asc" }, { id: "asc" }],
      include: { ...GIFT_ENTRY_INCLUDE, workspace: { select: { currency: true, timezone: true, retentionGiftYears: true } } },
    });
    return rows.map((r) => ({ ...toGiftEntry(r), currency: r.workspace.currency, timezone: r.workspace.timezone, retentionGiftYears: r.workspace.retentionGiftYears }));
  }
}
