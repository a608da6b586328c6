import { canAccess, scopeOf, type Denial, type Principal } from "../domain/authorization.js";
import { checkGift, effectiveLimitCents, giftWindow, type GiftCheck, type GiftKind, type GiftWindow, type GiftYearMode } from "../domain/gifts.js";
import { normalizeName } from "../domain/names.js";
import { centsToDecimal } from "../domain/csv.js";
import { localDateOf, type LocalDate } from "../domain/time.js";
import { chainPurgeOn } from "../domain/retention.js";
import type { Account, AccountRepository } from "../db/repositories/account-repository.js";
import type { KeyedLock } from "../db/keyed-lock.js";
import type { GiftRecord, GiftRepository } from "../db/repositories/gift-repository.js";
import type { Workspace, WorkspaceRepository } from "../db/repositories/workspace-repository.js";
import type { Actor } from "./actor-service.js";

/** A gift or entertainment as typed, before it is saved (also what the override button carries). */
export interface GiftDraft {
  accountId: number;
  kind: GiftKind;
  recipientName: string;
  amountCents: number;
  givenOn: LocalDate;
  description: string;
}

export const MAX_RECIPIENT_LENGTH = 100;
export const MAX_GIFT_DESCRIPTION_LENGTH = 500;
export const MAX_OVERRIDE_REASON_LENGTH = 1000;

export type LogGiftResult =
  | { kind: "saved"; gift: GiftRecord; check: GiftCheck; contactCreated: boolean }
  /** Not saved: the gift would take the recipient over the limit and no reason was given. */
  | { kind: "over_limit"; check: GiftCheck }
  | { kind: "denied"; reason: Denial }
  /** The account no longer exists (or is archived) — e.g. between the warning and the confirmation. */
  | { kind: "account_gone" };

/** What a correction changes; the rest is taken from the entry it corrects. */
export interface GiftCorrectionChanges {
  kind?: GiftKind;
  recipientName?: string;
  amountCents?: number;
  givenOn?: LocalDate;
  description?: string;
}

export type CorrectGiftResult =
  | { kind: "saved"; gift: GiftRecord; corrected: GiftRecord; check: GiftCheck }
  | { kind: "over_limit"; check: GiftCheck }
  | { kind: "not_found" }
  /** Only the latest entry of a chain is corrected: `latestId` is the one to correct. */
  | { kind: "already_corrected"; latestId: number }
  /** Restricted records (an erased recipient) are kept unchanged until they are purged. */
  | { kind: "restricted" }
  | { kind: "no_change" }
  | { kind: "reason_missing" }
  | { kind: "denied"; reason: Denial };

export interface GiftSettings {
  /** Firm limit in cents; null = the FINRA limit only. */
  firmLimitCents: number | null;
  yearMode: GiftYearMode;
}

export interface RecipientSummary {
  recipientKey: string;
  recipientName: string;
  /** Gifts (kind "gift") to this recipient in the window by anyone in the workspace. */
  countedCents: number;
  limitCents: number;
  remainingCents: number;
  overLimit: boolean;
  /** The gifts and entertainment in the actor's scope, newest first. */
  entries: GiftRecord[];
}

export interface GiftListView {
  today: LocalDate;
  window: GiftWindow;
  yearMode: GiftYearMode;
  /** The limit in force today (FINRA, or the stricter firm limit). */
  limitCents: number;
  currency: string;
  /** Closest to (or furthest over) the limit first. */
  recipients: RecipientSummary[];
}

export function settingsOf(ws: Pick<Workspace, "giftLimitCents" | "giftYearMode">): GiftSettings {
  return {
    firmLimitCents: ws.giftLimitCents === null ? null : Number(ws.giftLimitCents),
    yearMode: ws.giftYearMode === "rolling" ? "rolling" : "calendar",
  };
}

/**
 * CSV columns of the compliance export, in order. Every entry is listed, corrected ones too: a
 * correction names the entry it corrects, a corrected entry the one that corrects it. Restricted
 * records (the recipient's data was erased while FINRA requires the record) are listed with the
 * date they will be purged; no other export or view shows them.
 */
export const GIFT_EXPORT_HEADER = [
  "date",
  "rep",
  "account",
  "recipient",
  "kind",
  "amount",
  "currency",
  "description",
  "over_limit",
  "override_reason",
  "entry",
  "corrects_entry",
  "corrected_by_entry",
  "correction_reason",
  "restricted",
  "restriction_reason",
  "purge_on",
] as const;

/** Gifts and entertainment under FINRA Rule 3220 (limits in src/domain/gifts.ts). */
export class GiftService {
  constructor(
    private readonly gifts: GiftRepository,
    private readonly accounts: AccountRepository,
    private readonly workspaces: WorkspaceRepository,
    private readonly now: () => Date,
    /** Serializes check-and-save per recipient, so two gifts logged at once cannot both pass the limit. */
    private readonly lock?: KeyedLock,
  ) {}

  /**
   * The workspace's gift settings, read from the database rather than the workspace cache:
   * an admin may have changed them with the CLI in another process.
   */
  async settings(workspaceId: number): Promise<GiftSettings> {
    const ws = await this.workspaces.findById(workspaceId);
    if (!ws) throw new Error(`workspace ${workspaceId} not found`);
    return settingsOf(ws);
  }

  async updateSettings(workspaceId: number, change: { firmLimitCents?: number | null; yearMode?: GiftYearMode }): Promise<GiftSettings> {
    const ws = await this.workspaces.update(workspaceId, {
      ...(change.firmLimitCents !== undefined ? { giftLimitCents: change.firmLimitCents === null ? null : BigInt(change.firmLimitCents) } : {}),
      ...(change.yearMode !== undefined ? { giftYearMode: change.yearMode } : {}),
    });
    return settingsOf(ws);
  }

  /** How the draft stands against the recipient's limit (nothing is saved). */
  async check(workspaceId: number, draft: Pick<GiftDraft, "recipientName" | "amountCents" | "givenOn" | "kind">, replacing?: number): Promise<GiftCheck> {
    const settings = await this.settings(workspaceId);
    const window = giftWindow(draft.givenOn, settings.yearMode);
    const prior = await this.gifts.priorForRecipient(workspaceId, normalizeName(draft.recipientName), window.fromDate, window.toDateExclusive, replacing);
    return checkGift({
      newAmountCents: draft.amountCents,
      givenOn: draft.givenOn,
      newKind: draft.kind,
      priorGifts: prior,
      mode: settings.yearMode,
      firmLimitCents: settings.firmLimitCents,
    });
  }

  /**
   * Logs a gift or entertainment. A gift that would exceed the limit is NOT saved unless
   * `overrideReason` is given; the limit is checked again here, at save time, so a confirmation
   * reflects what was given meanwhile. The recipient is linked to the account's contact with the
   * same normalized name, or a new contact is created.
   */
  async log(actor: Actor, principal: Principal, draft: GiftDraft, overrideReason?: string): Promise<LogGiftResult> {
    const account = await this.accounts.findById(draft.accountId);
    if (!account || account.archived || account.workspaceId !== actor.workspace.id) return { kind: "account_gone" };
    const decision = canAccess(principal, account.ownerId);
    if (!decision.allowed) return { kind: "denied", reason: decision.reason };
    const key = `gift:${actor.workspace.id}:${normalizeName(draft.recipientName)}`;
    return this.lock ? this.lock.run(key, () => this.checkAndSave(actor, account, draft, overrideReason)) : this.checkAndSave(actor, account, draft, overrideReason);
  }

  private async checkAndSave(actor: Actor, account: Account, draft: GiftDraft, overrideReason?: string): Promise<LogGiftResult> {
    const check = await this.check(actor.workspace.id, draft);
    const reason = overrideReason?.trim() ?? "";
    if (check.exceeds && reason === "") return { kind: "over_limit", check };
    const { gift, contactCreated } = await this.saveEntry(actor.workspace.id, actor.user.id, { ...draft, accountId: account.id }, check, reason);
    return { kind: "saved", gift, check, contactCreated };
  }

  /**
   * Corrects an entry: a new entry with the corrected values that points at it (entries are never
   * edited in place). Only the latest entry of a chain can be corrected; restricted ones cannot.
   * The limit is checked again for the corrected values, counting the corrected entry once (its
   * correction replaces it); over the limit the correction needs `overrideReason`.
   */
  async correct(
    actor: Actor,
    principal: Principal,
    giftId: number,
    changes: GiftCorrectionChanges,
    reason: string,
    overrideReason?: string,
  ): Promise<CorrectGiftResult> {
    if (reason.trim() === "") return { kind: "reason_missing" };
    const original = await this.gifts.findById(actor.workspace.id, giftId);
    if (!original) return { kind: "not_found" };
    const decision = canAccess(principal, original.userId);
    if (!decision.allowed) return { kind: "denied", reason: decision.reason };
    if (original.restrictedAt) return { kind: "restricted" };
    if (original.correctedById !== null) return { kind: "already_corrected", latestId: await this.latestOf(actor.workspace.id, original.correctedById) };
    const draft: GiftDraft = {
      accountId: original.accountId,
      kind: changes.kind ?? original.kind,
      recipientName: changes.recipientName?.trim() || original.recipientName,
      amountCents: changes.amountCents ?? original.amountCents,
      givenOn: changes.givenOn ?? original.givenOn,
      description: changes.description?.trim() || original.description,
    };
    const same =
      draft.kind === original.kind &&
      normalizeName(draft.recipientName) === original.recipientKey &&
      draft.amountCents === original.amountCents &&
      draft.givenOn === original.givenOn &&
      draft.description === original.description;
    if (same) return { kind: "no_change" };
    const key = `gift:${actor.workspace.id}:${normalizeName(draft.recipientName)}`;
    const run = async (): Promise<CorrectGiftResult> => {
      const check = await this.check(actor.workspace.id, draft, original.id);
      const override = overrideReason?.trim() ?? "";
      if (check.exceeds && override === "") return { kind: "over_limit", check };
      try {
        const { gift } = await this.saveEntry(actor.workspace.id, original.userId, draft, check, override, { correctsId: original.id, reason: reason.trim() });
        return { kind: "saved", gift, corrected: original, check };
      } catch (error) {
        // Someone corrected the same entry meanwhile (Gift.correctsId is unique).
        const again = await this.gifts.findById(actor.workspace.id, original.id);
        if (again?.correctedById != null) return { kind: "already_corrected", latestId: await this.latestOf(actor.workspace.id, again.correctedById) };
        throw error;
      }
    };
    return this.lock ? this.lock.run(key, run) : run();
  }

  /**
   * Stores an entry (a new one, or a correction) given by `userId`: the recipient linked to the
   * account's contact of that name (created when there is none), over the limit only with a reason.
   */
  private async saveEntry(
    workspaceId: number,
    userId: number,
    draft: GiftDraft,
    check: GiftCheck,
    overrideReason: string,
    correction?: { correctsId: number; reason: string },
  ): Promise<{ gift: GiftRecord; contactCreated: boolean }> {
    const contact = await this.gifts.findOrCreateContact(draft.accountId, draft.recipientName);
    const gift = await this.gifts.create({
      workspaceId,
      accountId: draft.accountId,
      contactId: contact.id,
      userId,
      kind: draft.kind,
      recipientName: contact.name,
      amountCents: draft.amountCents,
      givenOn: draft.givenOn,
      description: draft.description,
      overLimit: check.exceeds,
      overrideReason: check.exceeds ? overrideReason : null,
      ...(correction ? { correction } : {}),
      createdAt: this.now(),
    });
    return { gift, contactCreated: contact.created };
  }

  /** The newest entry of the chain `id` belongs to. */
  private async latestOf(workspaceId: number, id: number): Promise<number> {
    let current = id;
    for (let i = 0; i < 1000; i++) {
      const g = await this.gifts.findById(workspaceId, current);
      if (!g || g.correctedById === null) return current;
      current = g.correctedById;
    }
    return current;
  }

  /**
   * This year's gifts and entertainment in the actor's scope (their own, their accounts'; a
   * manager's team; everything for admins), per recipient, with each recipient's counted total —
   * workspace-wide, because the limit is per recipient whoever gave — against today's limit.
   */
  async list(actor: Actor, principal: Principal, filter: { accountId?: number; recipient?: string } = {}): Promise<GiftListView> {
    const settings = await this.settings(actor.workspace.id);
    const today = localDateOf(this.now(), actor.zone);
    const window = giftWindow(today, settings.yearMode);
    const scope = scopeOf(principal);
    const entries = await this.gifts.list({
      workspaceId: actor.workspace.id,
      fromDate: window.fromDate,
      toDateExclusive: window.toDateExclusive,
      ...(scope.kind === "owners" ? { userIds: scope.ownerIds } : {}),
      ...(filter.accountId !== undefined ? { accountId: filter.accountId } : {}),
      ...(filter.recipient ? { recipientKeyPrefix: normalizeName(filter.recipient) } : {}),
    });
    const byKey = new Map<string, GiftRecord[]>();
    for (const e of entries) byKey.set(e.recipientKey, [...(byKey.get(e.recipientKey) ?? []), e]);
    const totals = await this.gifts.giftTotalsByRecipient(actor.workspace.id, [...byKey.keys()], window.fromDate, window.toDateExclusive);
    const limitCents = effectiveLimitCents(today, settings.firmLimitCents);
    const recipients: RecipientSummary[] = [...byKey.entries()].map(([key, list]) => {
      const counted = totals.get(key) ?? 0;
      return {
        recipientKey: key,
        recipientName: list[0]!.recipientName,
        countedCents: counted,
        limitCents,
        remainingCents: Math.max(0, limitCents - counted),
        overLimit: counted > limitCents,
        entries: list,
      };
    });
    recipients.sort((a, b) => b.countedCents - a.countedCents || a.recipientName.localeCompare(b.recipientName));
    return { today, window, yearMode: settings.yearMode, limitCents, currency: actor.workspace.currency, recipients };
  }

  /**
   * Compliance export rows (header first) for gifts given in calendar year `year`, all
   * workspaces or one. Amounts are decimal major units ("150.00"), dates YYYY-MM-DD.
   */
  async exportRows(year: number, workspaceId?: number): Promise<string[][]> {
    const rows = await this.gifts.forExport(`${year}-01-01`, `${year + 1}-01-01`, workspaceId);
    const purgeOn = chainPurgeDates(rows.map((g) => ({ id: g.id, correctsId: g.correctsId, givenOn: g.givenOn, recordedOn: localDateOf(g.createdAt, g.timezone), giftYears: g.retentionGiftYears })));
    return [
      [...GIFT_EXPORT_HEADER],
      ...rows.map((g) => [
        g.givenOn,
        g.userName ? `${g.userName} (${g.userSlackId})` : g.userSlackId,
        g.accountName,
        g.recipientName,
        g.kind,
        centsToDecimal(g.amountCents),
        g.currency,
        g.description,
        g.overLimit ? "yes" : "no",
        g.overrideReason ?? "",
        String(g.id),
        g.correctsId === null ? "" : String(g.correctsId),
        g.correctedById === null ? "" : String(g.correctedById),
        g.correctionReason ?? "",
        g.restrictedAt ? "yes" : "no",
        g.restrictionReason ?? "",
        purgeOn.get(g.id) ?? "",
      ]),
    ];
  }
}

/**
 * Each entry's purge date: its correction chain's (entries linked by correctsId), which the
 * retention job purges as one on the latest of its entries' dates.
 */
export function chainPurgeDates(entries: readonly { id: number; correctsId: number | null; givenOn: LocalDate; recordedOn: LocalDate; giftYears: number }[]): Map<number, LocalDate> {
  const byId = new Map(entries.map((e) => [e.id, e]));
  const rootOf = (id: number): number => {
    let current = id;
    for (let i = 0; i < entries.length; i++) {
      const next = byId.get(current)?.correctsId;
      if (next === null || next === undefined || !byId.has(next)) return current;
      current = next;
    }
    return current;
  };
  const chains = new Map<number, (typeof entries)[number][]>();
  for (const e of entries) chains.set(rootOf(e.id), [...(chains.get(rootOf(e.id)) ?? []), e]);
  const out = new Map<number, LocalDate>();
  for (const chain of chains.values()) {
    const date = chainPurgeOn(chain, chain[0]!.giftYears);
    for (const e of chain) out.set(e.id, date);
  }
  return out;
}
