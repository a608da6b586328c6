import type { Db } from "../client.js";
import type { Account, CompPlan, Contact, Deal, FollowUp, Quota, Touch, User } from "../../generated/sqlite/client.js";
import { sql } from "../sql.js";
import { shredKeys } from "../audit/audit-writer.js";
import { currentAuditScope } from "../audit/audit-scope.js";
import { GIFT_ENTRY_INCLUDE, toGiftEntry, type GiftEntry } from "./gift-repository.js";

/**
 * The reads and writes of the privacy operations (README → Data protection): finding everything
 * stored about one person, erasing or restricting it, and the retention purges. Every write to
 * an audited model goes through the audited client like any other (the service runs them in an
 * "omit values" scope, so the trail records what was erased without copying it); data keys of
 * erased records are deleted so their earlier values in the trail become unreadable.
 */

export type ContactRow = Contact & { account: { id: number; name: string; kind: string; ownerId: number } };

/** A gift entry as privacy requests see it (with its correction link). */
export type GiftRow = GiftEntry;

export interface TextMatch {
  kind: "touch_note" | "follow_up" | "deal_title" | "deal_lost_reason";
  id: number;
  accountId: number;
  accountName: string;
  at: Date;
  text: string;
}

export interface ParticipationRow {
  touchId: number;
  occurredAt: Date;
  kind: string;
  accountId: number;
  accountName: string;
  loggedBySlackId: string;
}

/** Everything stored about one rep (a user of the bot). */
export interface UserData {
  user: User;
  quotas: Quota[];
  compPlans: CompPlan[];
  teams: { id: number; name: string; role: "member" | "manager" }[];
  accountsOwned: { id: number; name: string; archived: boolean }[];
  touchesLogged: (Touch & { accountName: string })[];
  followUps: (FollowUp & { accountName: string })[];
  deals: (Deal & { accountName: string })[];
  participations: ParticipationRow[];
}

/** `LIKE` pattern for "contains `needle`", case-insensitive on both databases (with LOWER), `!` escaping. */
function containsPattern(needle: string): string {
  return `%${needle.toLowerCase().replace(/[!%_]/g, (c) => `!${c}`)}%`;
}

/** A transaction client: the model API without $transaction and friends. */
type Tx = Parameters<Parameters<Db["$transaction"]>[0]>[0];

export class PrivacyRepository {
  constructor(
    private readonly db: Db | Tx,
    /** The client that opens transactions (the same as `db` outside one). */
    private readonly root?: Db,
  ) {}

  /** Runs `fn` with a repository bound to one transaction: an erasure commits as a whole or not at all. */
  transaction<T>(fn: (repo: PrivacyRepository) => Promise<T>): Promise<T> {
    const root = this.root;
    if (!root) throw new Error("PrivacyRepository.transaction: already inside a transaction");
    return root.$transaction((tx) => fn(new PrivacyRepository(tx)), { timeout: 120_000, maxWait: 30_000 });
  }

  // ── Finding a person ──────────────────────────────────────────────────────────────────────

  contactsByName(workspaceId: number, nameKey: string): Promise<ContactRow[]> {
    return this.db.contact.findMany({ where: { nameKey, account: { workspaceId } }, include: { account: { select: { id: true, name: true, kind: true, ownerId: true } } }, orderBy: { id: "asc" } });
  }

  async contactsByEmail(workspaceId: number, email: string): Promise<ContactRow[]> {
    const ids = await this.db.$queryRaw<{ id: number }[]>(
      sql`SELECT c."id" FROM "Contact" c JOIN "Account" a ON a."id" = c."accountId" WHERE a."workspaceId" = ${workspaceId} AND LOWER(c."email") = ${email.trim().toLowerCase()}`,
    );
    if (ids.length === 0) return [];
    return this.db.contact.findMany({ where: { id: { in: ids.map((r) => r.id) } }, include: { account: { select: { id: true, name: true, kind: true, ownerId: true } } }, orderBy: { id: "asc" } });
  }

  async usersByEmail(workspaceId: number, email: string): Promise<User[]> {
    const ids = await this.db.$queryRaw<{ id: number }[]>(sql`SELECT "id" FROM "User" WHERE "workspaceId" = ${workspaceId} AND LOWER("email") = ${email.trim().toLowerCase()}`);
    return ids.length === 0 ? [] : this.db.user.findMany({ where: { id: { in: ids.map((r) => r.id) } }, orderBy: { id: "asc" } });
  }

  userBySlackId(workspaceId: number, slackUserId: string): Promise<User | null> {
    return this.db.user.findUnique({ where: { workspaceId_slackUserId: { workspaceId, slackUserId } } });
  }

  /**
   * Gift and entertainment entries given to the person (linked to one of their contacts, or to
   * their name), with every entry of their correction chains.
   */
  async giftsTo(workspaceId: number, contactIds: readonly number[], nameKeys: readonly string[]): Promise<GiftRow[]> {
    const or = [...(contactIds.length > 0 ? [{ contactId: { in: [...contactIds] } }] : []), ...(nameKeys.length > 0 ? [{ recipientKey: { in: [...nameKeys] } }] : [])];
    if (or.length === 0) return [];
    const found = await this.db.gift.findMany({ where: { workspaceId, OR: or }, include: GIFT_ENTRY_INCLUDE, orderBy: { id: "asc" } });
    const rows = new Map(found.map((g) => [g.id, toGiftEntry(g)]));
    // Chains: the entries they correct and the entries correcting them (a correction may have
    // changed the recipient's spelling).
    for (let round = 0; round < 50; round++) {
      const linked = [...rows.values()].flatMap((g) => [g.correctsId, g.correctedById]).filter((id): id is number => id !== null && !rows.has(id));
      if (linked.length === 0) break;
      for (const g of await this.db.gift.findMany({ where: { id: { in: linked } }, include: GIFT_ENTRY_INCLUDE })) rows.set(g.id, toGiftEntry(g));
    }
    return [...rows.values()].sort((a, b) => a.id - b.id);
  }

  giftsGivenBy(userId: number): Promise<GiftRow[]> {
    return this.db.gift.findMany({ where: { userId }, include: GIFT_ENTRY_INCLUDE, orderBy: { id: "asc" } }).then((rows) => rows.map(toGiftEntry));
  }

  /** Individual (private client) accounts that are the person: named like them, or holding one of their contacts. */
  individualAccounts(workspaceId: number, nameKeys: readonly string[], accountIds: readonly number[]): Promise<Account[]> {
    return this.db.account.findMany({
      where: { workspaceId, kind: "individual", OR: [{ nameKey: { in: [...nameKeys] } }, { id: { in: [...accountIds] } }] },
      orderBy: { id: "asc" },
    });
  }

  async activityOn(accountIds: readonly number[]): Promise<{ touches: Touch[]; followUps: FollowUp[]; deals: Deal[] }> {
    if (accountIds.length === 0) return { touches: [], followUps: [], deals: [] };
    const where = { accountId: { in: [...accountIds] } };
    const [touches, followUps, deals] = await Promise.all([
      this.db.touch.findMany({ where, orderBy: { id: "asc" } }),
      this.db.followUp.findMany({ where, orderBy: { id: "asc" } }),
      this.db.deal.findMany({ where, orderBy: { id: "asc" } }),
    ]);
    return { touches, followUps, deals };
  }

  /**
   * Free text that contains one of `needles` (a name, an e-mail address), case-insensitive:
   * touch notes, follow-up titles, deal titles and lost reasons. Possible matches only — the
   * same words may be about someone else.
   */
  async textMatches(workspaceId: number, needles: readonly string[]): Promise<TextMatch[]> {
    const out = new Map<string, TextMatch>();
    for (const needle of needles.filter((n) => n.trim().length >= 3)) {
      const p = containsPattern(needle.trim());
      const [touches, followUps, deals] = await Promise.all([
        this.db.$queryRaw<{ id: number; accountId: number; accountName: string; at: Date; text: string }[]>(
          sql`SELECT t."id", t."accountId", a."name" AS "accountName", t."occurredAt" AS "at", t."note" AS "text" FROM "Touch" t JOIN "Account" a ON a."id" = t."accountId"
              WHERE a."workspaceId" = ${workspaceId} AND t."note" IS NOT NULL AND LOWER(t."note") LIKE ${p} ESCAPE '!' ORDER BY t."id"`,
        ),
        this.db.$queryRaw<{ id: number; accountId: number; accountName: string; at: Date; text: string }[]>(
          sql`SELECT f."id", f."accountId", a."name" AS "accountName", f."dueAt" AS "at", f."title" AS "text" FROM "FollowUp" f JOIN "Account" a ON a."id" = f."accountId"
              WHERE a."workspaceId" = ${workspaceId} AND LOWER(f."title") LIKE ${p} ESCAPE '!' ORDER BY f."id"`,
        ),
        this.db.$queryRaw<{ id: number; accountId: number; accountName: string; at: Date; title: string | null; lostReason: string | null }[]>(
          sql`SELECT d."id", d."accountId", a."name" AS "accountName", d."createdAt" AS "at", d."title", d."lostReason" FROM "Deal" d JOIN "Account" a ON a."id" = d."accountId"
              WHERE a."workspaceId" = ${workspaceId} AND (LOWER(d."title") LIKE ${p} ESCAPE '!' OR LOWER(d."lostReason") LIKE ${p} ESCAPE '!') ORDER BY d."id"`,
        ),
      ]);
      for (const r of touches) out.set(`touch_note:${r.id}`, { kind: "touch_note", ...r });
      for (const r of followUps) out.set(`follow_up:${r.id}`, { kind: "follow_up", ...r });
      for (const d of deals) {
        const lower = needle.trim().toLowerCase();
        if (d.title?.toLowerCase().includes(lower)) out.set(`deal_title:${d.id}`, { kind: "deal_title", id: d.id, accountId: d.accountId, accountName: d.accountName, at: d.at, text: d.title });
        if (d.lostReason?.toLowerCase().includes(lower)) out.set(`deal_lost_reason:${d.id}`, { kind: "deal_lost_reason", id: d.id, accountId: d.accountId, accountName: d.accountName, at: d.at, text: d.lostReason });
      }
    }
    return [...out.values()].sort((a, b) => a.kind.localeCompare(b.kind) || a.id - b.id);
  }

  async userData(user: User): Promise<UserData> {
    const accountName = { account: { select: { name: true } } } as const;
    const [quotas, compPlans, memberships, managed, accountsOwned, touches, followUps, deals, participations] = await Promise.all([
      this.db.quota.findMany({ where: { userId: user.id }, orderBy: { periodStart: "asc" } }),
      this.db.compPlan.findMany({ where: { userId: user.id }, orderBy: { effectiveFrom: "asc" } }),
      this.db.teamMember.findMany({ where: { userId: user.id }, include: { team: { select: { id: true, name: true } } } }),
      this.db.team.findMany({ where: { managerId: user.id }, select: { id: true, name: true } }),
      this.db.account.findMany({ where: { ownerId: user.id }, select: { id: true, name: true, archived: true }, orderBy: { id: "asc" } }),
      this.db.touch.findMany({ where: { userId: user.id }, include: accountName, orderBy: { id: "asc" } }),
      this.db.followUp.findMany({ where: { userId: user.id }, include: accountName, orderBy: { id: "asc" } }),
      this.db.deal.findMany({ where: { ownerId: user.id }, include: accountName, orderBy: { id: "asc" } }),
      this.participations(user),
    ]);
    const flat = <T extends { account: { name: string } }>(rows: T[]) => rows.map(({ account, ...rest }) => ({ ...rest, accountName: account.name }));
    return {
      user,
      quotas,
      compPlans,
      teams: [...memberships.map((m) => ({ id: m.team.id, name: m.team.name, role: "member" as const })), ...managed.map((t) => ({ id: t.id, name: t.name, role: "manager" as const }))],
      accountsOwned,
      touchesLogged: flat(touches),
      followUps: flat(followUps),
      deals: flat(deals),
      participations,
    };
  }

  /** Touches where the user was named as a participant (`/ae log … with @them`). */
  participations(user: Pick<User, "id" | "slackUserId" | "workspaceId">): Promise<ParticipationRow[]> {
    return this.db.$queryRaw<ParticipationRow[]>(
      sql`SELECT t."id" AS "touchId", t."occurredAt", t."kind", a."id" AS "accountId", a."name" AS "accountName", u."slackUserId" AS "loggedBySlackId"
          FROM "TouchParticipant" p JOIN "Touch" t ON t."id" = p."touchId" JOIN "Account" a ON a."id" = t."accountId" JOIN "User" u ON u."id" = t."userId"
          WHERE a."workspaceId" = ${user.workspaceId} AND (p."userId" = ${user.id} OR p."slackUserId" = ${user.slackUserId}) ORDER BY t."id"`,
    );
  }

  // ── Erasing ──────────────────────────────────────────────────────────────────────────────

  async deleteContacts(ids: readonly number[]): Promise<void> {
    if (ids.length === 0) return;
    await this.db.contact.deleteMany({ where: { id: { in: [...ids] } } });
    await this.shred(ids.map((id) => `contact:${id}`));
  }

  /** Restricts gift entries (kept for the regulator, hidden everywhere else until purged). */
  async restrictGifts(ids: readonly number[], at: Date, reason: string): Promise<void> {
    if (ids.length === 0) return;
    await this.db.gift.updateMany({ where: { id: { in: [...ids] }, restrictedAt: null }, data: { restrictedAt: at, restrictionReason: reason } });
  }

  /** Deletes gift entries, corrections before the entries they correct, and their data keys. */
  async deleteGifts(ids: readonly number[]): Promise<void> {
    const remaining = new Set(ids);
    while (remaining.size > 0) {
      // An entry may go once nothing left corrects it.
      const blocked = new Set((await this.db.gift.findMany({ where: { correctsId: { in: [...remaining] } }, select: { correctsId: true } })).map((g) => g.correctsId));
      const now = [...remaining].filter((id) => !blocked.has(id));
      if (now.length === 0) throw new Error(`gift entries ${[...remaining].join(", ")} are corrected by entries not being deleted`);
      await this.db.gift.deleteMany({ where: { id: { in: now } } });
      for (const id of now) remaining.delete(id);
    }
    await this.shred(ids.map((id) => `gift:${id}`));
  }

  /**
   * Makes individual accounts anonymous: the name becomes "Erased client #id", and the notes,
   * follow-up titles and deal titles on them (all about that person) are cleared. The accounts
   * stay, with their amounts: revenue, quota and the gift records that must be kept refer to them.
   */
  async anonymiseAccounts(ids: readonly number[], label: (id: number) => string): Promise<void> {
    for (const id of ids) {
      const name = label(id);
      await this.db.account.update({ where: { id }, data: { name, nameKey: name.toLowerCase(), industry: null } });
    }
    if (ids.length === 0) return;
    const where = { accountId: { in: [...ids] } };
    await this.db.touch.updateMany({ where, data: { note: null, sourceRef: null } });
    await this.db.followUp.updateMany({ where, data: { title: "—" } });
    await this.db.deal.updateMany({ where: { ...where, OR: [{ title: { not: null } }, { lostReason: { not: null } }] }, data: { title: null, lostReason: null } });
    const deals = await this.db.deal.findMany({ where, select: { id: true } });
    await this.shred([...ids.map((id) => `account:${id}`), ...deals.map((d) => `deal:${d.id}`)]);
  }

  /** Replaces every occurrence of `needles` in the matched texts with `[erased]`. */
  async redact(matches: readonly TextMatch[], needles: readonly string[]): Promise<number> {
    const pattern = new RegExp(needles.filter((n) => n.trim().length >= 3).map((n) => n.trim().replace(/[.*+?^${}()|[\]\\]/g, "\\$&")).join("|"), "gi");
    let n = 0;
    for (const m of matches) {
      const text = m.text.replace(pattern, "[erased]");
      if (text === m.text) continue;
      n++;
      if (m.kind === "touch_note") await this.db.touch.update({ where: { id: m.id }, data: { note: text } });
      else if (m.kind === "follow_up") await this.db.followUp.update({ where: { id: m.id }, data: { title: text } });
      else if (m.kind === "deal_title") await this.db.deal.update({ where: { id: m.id }, data: { title: text } });
      else await this.db.deal.update({ where: { id: m.id }, data: { lostReason: text } });
    }
    return n;
  }

  /**
   * Erases a rep's personal data. Their quotas and comp plans are deleted, team memberships and
   * participations removed, the teams they managed left without a manager, messages waiting for
   * them dropped, and their profile cleared. `keepIdentity`: their name and Slack id stay because
   * gift records inside retention name them as the giver (FINRA Rule 3220); cleared later.
   */
  async eraseUser(user: User, at: Date, keepIdentity: boolean): Promise<void> {
    await this.db.quota.deleteMany({ where: { userId: user.id } });
    await this.db.compPlan.deleteMany({ where: { userId: user.id } });
    await this.db.teamMember.deleteMany({ where: { userId: user.id } });
    for (const team of await this.db.team.findMany({ where: { managerId: user.id }, select: { id: true } })) {
      await this.db.team.update({ where: { id: team.id }, data: { managerId: null } });
    }
    await this.db.touchParticipant.deleteMany({ where: { OR: [{ userId: user.id }, { slackUserId: user.slackUserId }] } });
    await this.db.outbox.deleteMany({ where: { recipientType: "user", recipient: user.slackUserId, status: { in: ["pending", "failed", "skipped"] } } });
    await this.db.user.update({
      where: { id: user.id },
      data: {
        ...(keepIdentity ? {} : { name: null, slackUserId: `erased-${user.id}` }),
        email: null,
        // The bot's DM channel with them (a Slack id that points at the person).
        dmChannelId: null,
        timezoneOverride: null,
        language: null,
        hiredOn: null,
        reminderSkipDates: "",
        remindersPaused: true,
        inactive: true,
        erasedAt: user.erasedAt ?? at,
      },
    });
    await this.shred([`user:${user.id}`]);
  }

  /** Erased users whose name was kept for gift records, and who no longer give any. */
  async erasedIdentitiesNoLongerNeeded(workspaceId: number): Promise<User[]> {
    return this.db.user.findMany({ where: { workspaceId, erasedAt: { not: null }, name: { not: null }, gifts: { none: {} } } });
  }

  async clearIdentity(user: User): Promise<void> {
    await this.db.user.update({ where: { id: user.id }, data: { name: null, slackUserId: `erased-${user.id}` } });
  }

  // ── Retention ────────────────────────────────────────────────────────────────────────────

  /** Touches before `before` that still have a note (or a message link). */
  async touchNotesBefore(workspaceId: number, before: Date): Promise<number> {
    const [row] = await this.db.$queryRaw<{ n: bigint | number }[]>(
      sql`SELECT COUNT(*) AS "n" FROM "Touch" t WHERE t."occurredAt" < ${before} AND (t."note" IS NOT NULL OR t."sourceRef" IS NOT NULL) AND t."accountId" IN (SELECT a."id" FROM "Account" a WHERE a."workspaceId" = ${workspaceId})`,
    );
    return Number(row?.n ?? 0);
  }

  /** Clears the notes (and message links) of touches before `before`. Touch is not audited: the purge's own event says it. */
  async clearTouchNotes(workspaceId: number, before: Date): Promise<number> {
    return this.db.$executeRaw(
      sql`UPDATE "Touch" SET "note" = NULL, "sourceRef" = NULL WHERE "occurredAt" < ${before} AND ("note" IS NOT NULL OR "sourceRef" IS NOT NULL) AND "accountId" IN (SELECT a."id" FROM "Account" a WHERE a."workspaceId" = ${workspaceId})`,
    );
  }

  /** Won or lost deals that closed before `before`. */
  async closedDealsBefore(workspaceId: number, before: Date): Promise<number[]> {
    const rows = await this.db.deal.findMany({
      where: { account: { workspaceId }, OR: [{ status: "won", wonAt: { lt: before } }, { status: "lost", lostAt: { lt: before } }] },
      select: { id: true },
      orderBy: { id: "asc" },
    });
    return rows.map((r) => r.id);
  }

  async deleteDeals(ids: readonly number[]): Promise<void> {
    if (ids.length === 0) return;
    await this.db.deal.deleteMany({ where: { id: { in: [...ids] } } });
    await this.shred(ids.map((id) => `deal:${id}`));
  }

  /** Gift entries given before `givenBefore` (candidates for the purge), with their chains. */
  async giftsGivenBefore(workspaceId: number, givenBefore: string): Promise<GiftRow[]> {
    const found = await this.db.gift.findMany({ where: { workspaceId, givenOn: { lt: givenBefore } }, select: { id: true, recipientKey: true, contactId: true } });
    if (found.length === 0) return [];
    const rows = await this.db.gift.findMany({ where: { id: { in: found.map((g) => g.id) } }, include: GIFT_ENTRY_INCLUDE });
    const byId = new Map(rows.map((g) => [g.id, toGiftEntry(g)]));
    for (let round = 0; round < 50; round++) {
      const linked = [...byId.values()].flatMap((g) => [g.correctsId, g.correctedById]).filter((id): id is number => id !== null && !byId.has(id));
      if (linked.length === 0) break;
      for (const g of await this.db.gift.findMany({ where: { id: { in: linked } }, include: GIFT_ENTRY_INCLUDE })) byId.set(g.id, toGiftEntry(g));
    }
    return [...byId.values()];
  }

  /** Delivered, skipped or failed outbox rows made before `before` (every workspace's). */
  async purgeOutbox(before: Date): Promise<number> {
    return this.db.$executeRaw(sql`DELETE FROM "Outbox" WHERE "createdAt" < ${before} AND "status" IN (${"sent"}, ${"skipped"}, ${"failed"})`);
  }

  /** Reps Slack reported gone before `before`, not yet erased. */
  departedBefore(workspaceId: number, before: Date): Promise<User[]> {
    return this.db.user.findMany({ where: { workspaceId, inactive: true, erasedAt: null, inactiveSince: { lt: before } }, orderBy: { id: "asc" } });
  }

  private async shred(subjects: readonly string[]): Promise<void> {
    await shredKeys(currentAuditScope()?.tx ?? this.db, subjects);
  }
}
