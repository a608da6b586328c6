import { canAccess, scopeOf, type Denial, type Principal } from "../domain/authorization.js";
import { rankAccounts } from "../domain/account-ranking.js";
import { normalizeName } from "../domain/names.js";
import type { NeglectThresholds } from "../domain/neglect.js";
import { localDateOf, startOfLocalDate } from "../domain/time.js";
import type { AccountDetailRepository, AccountGiftRow, AccountPageDeal } from "../db/repositories/account-detail-repository.js";
import type { Account, AccountKind, AccountRepository, AccountWithOwner } from "../db/repositories/account-repository.js";
import { isTier, type Tier } from "../domain/account-tiers.js";
import type { FollowUpRepository } from "../db/repositories/followup-repository.js";
import type { TouchRepository } from "../db/repositories/touch-repository.js";
import type { Workspace } from "../db/repositories/workspace-repository.js";
import type { Actor } from "./actor-service.js";

export const MAX_ACCOUNT_NAME = 200;
export const MAX_INDUSTRY = 100;

export interface NewAccountInput {
  name: string;
  tier: Tier;
  annualValueCents: number;
  industry: string | null;
  kind: AccountKind;
}

export type AccountField = "name" | "industry";
export type AccountProblem = "name_empty" | "name_too_long" | "industry_too_long";

export type AddAccountResult =
  | { kind: "created"; account: Account }
  | { kind: "invalid"; field: AccountField; problem: AccountProblem }
  | { kind: "duplicate"; existing: Account };

/** One account as lists show it: its data, its owner and how long since it was touched. */
export interface AccountSummary {
  id: number;
  name: string;
  tier: Tier;
  kind: AccountKind;
  annualValueCents: number;
  industry: string | null;
  owner: { id: number; name: string | null; slackUserId: string };
  lastTouchAt: Date | null;
  daysSinceTouch: number;
  thresholdDays: number;
  /** Days past the tier's touch threshold; null when not neglected (or snoozed). */
  overdueDays: number | null;
  snoozedUntil: Date | null;
}

export interface AccountPage {
  items: AccountSummary[];
  /** Accounts matching the search, on all pages. */
  total: number;
  offset: number;
  search: string;
}

export interface AccountOption {
  id: number;
  name: string;
  ownerName: string | null;
  mine: boolean;
}

export interface TouchLine {
  id: number;
  kind: string;
  occurredAt: Date;
  note: string | null;
  byName: string | null;
  bySlackUserId: string;
  participantSlackUserIds: string[];
  source: string;
  sourceRef: string | null;
}

export interface AccountDetail {
  account: AccountSummary;
  touches: TouchLine[];
  touchCount: number;
  followUps: { id: number; title: string; dueAt: Date; overdue: boolean }[];
  deals: AccountPageDeal[];
  dealCount: number;
  gifts: AccountGiftRow[];
  giftCount: number;
  giftTotalCents: number;
  /** The calendar year the gifts are counted in (the actor's local year). */
  year: string;
}

export type AccountDetailResult =
  | { kind: "found"; detail: AccountDetail }
  | { kind: "not_found" }
  | { kind: "denied"; reason: Denial };

export type AccessResult = { kind: "ok"; account: Account } | { kind: "not_found" } | { kind: "denied"; reason: Denial };

/** Control and format characters (zero-width joiners, bidi overrides, NUL …) never belong in a name. */
const INVISIBLE = /[\p{Cc}\p{Cf}\p{Co}\p{Cn}]/gu;

/** Trims, folds whitespace runs to one space and drops invisible characters. */
export function cleanText(text: string): string {
  return text.replace(INVISIBLE, "").replace(/\s+/gu, " ").trim();
}

export function thresholdsOf(workspace: Workspace): NeglectThresholds {
  return { key: workspace.neglectKeyDays, growth: workspace.neglectGrowthDays, standard: workspace.neglectStandardDays };
}

export class AccountService {
  constructor(
    private readonly accounts: AccountRepository,
    private readonly details: AccountDetailRepository,
    private readonly touches: TouchRepository,
    private readonly followUps: FollowUpRepository,
    private readonly now: () => Date,
  ) {}

  /** The first problem with a new account's fields, or null (no database needed). */
  validate(input: Pick<NewAccountInput, "name" | "industry">): { field: AccountField; problem: AccountProblem } | null {
    const name = cleanText(input.name);
    if (name === "" || normalizeName(name) === "") return { field: "name", problem: "name_empty" };
    if (Array.from(name).length > MAX_ACCOUNT_NAME) return { field: "name", problem: "name_too_long" };
    if (input.industry !== null && Array.from(cleanText(input.industry)).length > MAX_INDUSTRY) {
      return { field: "industry", problem: "industry_too_long" };
    }
    return null;
  }

  /** Adds an account owned by the actor; refuses a second live account with the same normalized name. */
  async add(actor: Actor, input: NewAccountInput): Promise<AddAccountResult> {
    const invalid = this.validate(input);
    if (invalid) return { kind: "invalid", ...invalid };
    const name = cleanText(input.name);
    const industry = input.industry === null ? null : cleanText(input.industry) || null;
    const existing = await this.accounts.findOwnedByNameKey(actor.user.id, normalizeName(name));
    if (existing) return { kind: "duplicate", existing };
    const account = await this.accounts.create({
      workspaceId: actor.workspace.id,
      ownerId: actor.user.id,
      name,
      tier: input.tier,
      kind: input.kind,
      annualValueCents: input.annualValueCents,
      industry,
    });
    return { kind: "created", account };
  }

  /** Whether the actor may see and change this account (it exists, is live, is in their workspace). */
  async access(actor: Actor, principal: Principal, accountId: number): Promise<AccessResult> {
    const account = await this.accounts.findById(accountId);
    if (!account || account.workspaceId !== actor.workspace.id || account.archived) return { kind: "not_found" };
    const decision = canAccess(principal, account.ownerId);
    return decision.allowed ? { kind: "ok", account } : { kind: "denied", reason: decision.reason };
  }

  /**
   * The actor's accounts (managers: their teams' too; admins: all), most at-risk first, then most
   * valuable; `search` filters by name or industry (case- and accent-insensitive).
   */
  async list(actor: Actor, principal: Principal, opts: { search: string; offset: number; limit: number }): Promise<AccountPage> {
    const ranked = await this.ranked(actor, principal);
    const q = normalizeName(cleanText(opts.search)).slice(0, 100);
    const matching = q === "" ? ranked : ranked.filter((a) => normalizeName(a.name).includes(q) || normalizeName(a.industry ?? "").includes(q));
    const offset = Math.max(0, Math.min(opts.offset, matching.length));
    return { items: matching.slice(offset, offset + opts.limit), total: matching.length, offset, search: opts.search };
  }

  /**
   * Accounts to offer in a modal's picker, in list order, at most `limit` (Slack allows 100
   * options). `include` is put first when given and visible, so a preselected account is always there.
   */
  async options(actor: Actor, principal: Principal, limit: number, include?: number): Promise<AccountOption[]> {
    const ranked = await this.ranked(actor, principal);
    const mine = ranked.filter((a) => a.owner.id === actor.user.id);
    const others = ranked.filter((a) => a.owner.id !== actor.user.id);
    let ordered = [...mine, ...others];
    if (include !== undefined) {
      const pick = ordered.find((a) => a.id === include);
      if (pick) ordered = [pick, ...ordered.filter((a) => a.id !== include)];
    }
    return ordered.slice(0, limit).map((a) => ({ id: a.id, name: a.name, ownerName: a.owner.name, mine: a.owner.id === actor.user.id }));
  }

  /** One account: its summary, latest touches, open follow-ups, deals and this year's gifts. */
  async detail(actor: Actor, principal: Principal, accountId: number): Promise<AccountDetailResult> {
    // One read of the account with its owner serves both the access check (as in `access`) and the page.
    const row = await this.accounts.findByIdWithOwner(accountId);
    if (!row || row.workspaceId !== actor.workspace.id || row.archived) return { kind: "not_found" };
    const decision = canAccess(principal, row.ownerId);
    if (!decision.allowed) return { kind: "denied", reason: decision.reason };
    const now = this.now();
    const year = localDateOf(now, actor.zone).slice(0, 4);
    const today = startOfLocalDate(localDateOf(now, actor.zone), actor.zone);
    const [touches, touchCount, followUps, deals, gifts] = await Promise.all([
      this.touches.recentForAccount(accountId, 5),
      this.touches.countForAccount(accountId),
      this.followUps.openForAccount(accountId, 10),
      this.details.deals(accountId, 10),
      this.details.gifts(accountId, `${year}-01-01`, `${year}-12-31`, 5),
    ]);
    const [summary] = rankAccounts([toRankable(row)], thresholdsOf(actor.workspace), now).map((r) => toSummary(r.account.row, r));
    if (!summary) return { kind: "not_found" };
    return {
      kind: "found",
      detail: {
        account: summary,
        touches: touches.map((t) => ({
          id: t.id,
          kind: t.kind,
          occurredAt: t.occurredAt,
          note: t.note,
          byName: t.user.name,
          bySlackUserId: t.user.slackUserId,
          participantSlackUserIds: t.participants.map((p) => p.slackUserId),
          source: t.source,
          sourceRef: t.sourceRef,
        })),
        touchCount,
        followUps: followUps.map((f) => ({ id: f.id, title: f.title, dueAt: f.dueAt, overdue: f.dueAt.getTime() < today.getTime() })),
        deals: deals.items,
        dealCount: deals.total,
        gifts: gifts.items,
        giftCount: gifts.total,
        giftTotalCents: gifts.totalCents,
        year,
      },
    };
  }

  private async ranked(actor: Actor, principal: Principal): Promise<AccountSummary[]> {
    const rows = await this.accounts.listInScope(actor.workspace.id, scopeOf(principal));
    return rankAccounts(rows.map(toRankable), thresholdsOf(actor.workspace), this.now()).map((r) => toSummary(r.account.row, r));
  }
}

type Rankable = ReturnType<typeof toRankable>;

function toRankable(row: AccountWithOwner) {
  return {
    id: row.id,
    name: row.name,
    tier: isTier(row.tier) ? row.tier : ("standard" as Tier),
    annualValueCents: Number(row.annualValueCents),
    createdAt: row.createdAt,
    lastTouchAt: row.lastTouchAt,
    snoozedUntil: row.snoozedUntil,
    archived: row.archived,
    row,
  };
}

function toSummary(row: AccountWithOwner, r: { account: Rankable; daysSinceTouch: number; thresholdDays: number; overdueDays: number | null }): AccountSummary {
  return {
    id: row.id,
    name: row.name,
    tier: r.account.tier,
    kind: row.kind === "individual" ? "individual" : "company",
    annualValueCents: r.account.annualValueCents,
    industry: row.industry,
    owner: row.owner,
    lastTouchAt: row.lastTouchAt,
    daysSinceTouch: r.daysSinceTouch,
    thresholdDays: r.thresholdDays,
    overdueDays: r.overdueDays,
    snoozedUntil: row.snoozedUntil,
  };
}
