import { canAccess, type Denial, type Principal } from "../domain/authorization.js";
import type { Account } from "../db/repositories/account-repository.js";
import type { Deal, DealRepository, StageChangeBy } from "../db/repositories/deal-repository.js";
import { localDateOf, startOfLocalDate, type LocalDate } from "../domain/time.js";
import { pushedCloseDate } from "../domain/deal-attention.js";
import type { OpenStage } from "../domain/deal-stages.js";
import type { ForecastCategory } from "../domain/forecast.js";
import type { UserRepository } from "../db/repositories/user-repository.js";
import type { AccountResolution, AccountResolver } from "./account-resolver.js";
import type { Actor } from "./actor-service.js";
import type { EventBus } from "./domain-events.js";
import type { QuotaService, WinImpact } from "./quota-service.js";

/** What the user typed for `<deal>`: a deal number (`42`, `#42`) or an account name. */
export type DealRef = { kind: "number"; id: number } | { kind: "account"; query: string };

const DEAL_NUMBER = /^#?(\d{1,12})$/;

/** Longest reason a lost deal keeps (`/ae lost` and the reminder's Lost modal). */
export const MAX_LOST_REASON = 500;

export function parseDealRef(text: string): DealRef {
  const trimmed = text.trim();
  const m = DEAL_NUMBER.exec(trimmed);
  return m ? { kind: "number", id: Number(m[1]) } : { kind: "account", query: trimmed };
}

/** How a `<deal>` reference resolved to one open deal the actor may change. */
export type DealLookup =
  | { kind: "found"; deal: Deal }
  | { kind: "not_found"; id: number }
  | { kind: "closed"; deal: Deal }
  | { kind: "denied"; reason: Denial }
  /** The account part did not resolve to one account (ambiguous, unknown, not visible). */
  | { kind: "account"; resolution: Exclude<AccountResolution, { kind: "found" }> }
  | { kind: "no_open_deals"; account: Account }
  /** The account has several open deals: the user must pick one (never guessed). */
  | { kind: "several"; account: Account; deals: Deal[] };

export type WinResult = { kind: "won"; deal: Deal; impact: WinImpact } | { kind: "closed"; deal: Deal };
export type SetStageResult = { kind: "moved"; deal: Deal; from: string } | { kind: "unchanged"; deal: Deal } | { kind: "closed"; deal: Deal };
export type PushCloseResult = { kind: "pushed"; deal: Deal; date: LocalDate } | { kind: "past"; date: LocalDate } | { kind: "closed"; deal: Deal };
export type LoseResult = { kind: "lost"; deal: Deal } | { kind: "closed"; deal: Deal };
export type SetForecastResult = { kind: "set"; deal: Deal; from: string | null } | { kind: "unchanged"; deal: Deal } | { kind: "closed"; deal: Deal };

export interface NewDealInput {
  amountCents: number;
  stage: OpenStage;
  expectedCloseAt: Date | null;
  /** The rep's forecast call; null or absent = implied by the stage. */
  forecastCategory?: ForecastCategory | null;
}

/** A change made in Slack is recorded as the acting user's. */
function byActor(actor: Actor): StageChangeBy {
  return { userId: actor.user.id };
}

export class DealService {
  constructor(
    private readonly deals: DealRepository,
    private readonly users: UserRepository,
    private readonly accountResolver: AccountResolver,
    private readonly quota: QuotaService,
    private readonly events: EventBus,
    private readonly now: () => Date,
  ) {}

  /**
   * Opens a deal on an account the actor may see. The deal belongs to the account's owner, so a
   * manager adding a deal to a rep's account adds to the rep's pipeline and quota.
   */
  async create(
    actor: Actor,
    principal: Principal,
    account: Account,
    input: NewDealInput,
  ): Promise<{ kind: "created"; deal: Deal } | { kind: "denied"; reason: Denial }> {
    if (account.workspaceId !== actor.workspace.id) return { kind: "denied", reason: "not_owner" };
    const decision = canAccess(principal, account.ownerId);
    if (!decision.allowed) return { kind: "denied", reason: decision.reason };
    const deal = await this.deals.create({ accountId: account.id, ownerId: account.ownerId, ...input }, byActor(actor), this.now());
    await this.ownerChanged(actor, deal.ownerId);
    return { kind: "created", deal };
  }

  /** Resolves `<deal>` to one open deal the actor may change; never guesses between several. */
  async find(actor: Actor, principal: Principal, ref: DealRef): Promise<DealLookup> {
    if (ref.kind === "number") {
      const deal = await this.deals.findById(ref.id);
      if (!deal || deal.workspaceId !== actor.workspace.id) return { kind: "not_found", id: ref.id };
      const decision = canAccess(principal, deal.ownerId);
      if (!decision.allowed) return { kind: "denied", reason: decision.reason };
      return deal.status === "open" ? { kind: "found", deal } : { kind: "closed", deal };
    }
    const resolution = await this.accountResolver.resolve(actor, principal, ref.query);
    if (resolution.kind !== "found") return { kind: "account", resolution };
    const open = (await this.deals.openForAccount(resolution.account.id)).filter((d) => canAccess(principal, d.ownerId).allowed);
    if (open.length === 0) return { kind: "no_open_deals", account: resolution.account };
    if (open.length > 1) return { kind: "several", account: resolution.account, deals: open };
    return { kind: "found", deal: open[0]! };
  }

  /**
   * Marks the deal won now (with its final amount, if given), emits "deal.won", and reports what
   * it did to the owner's attainment — and, when the actor is the owner, to their commission.
   */
  async win(actor: Actor, deal: Deal, finalAmountCents?: number): Promise<WinResult> {
    const won = await this.deals.markWon(deal.id, this.now(), byActor(actor), finalAmountCents);
    if (!won) return { kind: "closed", deal: (await this.deals.findById(deal.id)) ?? deal };
    const owner = won.ownerId === actor.user.id ? actor.user : await this.users.findById(won.ownerId);
    await this.events.emit("deal.won", {
      workspaceId: won.workspaceId,
      dealId: won.id,
      ownerId: won.ownerId,
      ownerSlackUserId: owner?.slackUserId ?? "",
      accountName: won.accountName,
      amountCents: won.amountCents,
      currency: actor.workspace.currency,
    });
    const impact = await this.quota.winImpact(actor.workspace, won.ownerId, won.amountCents, {
      withCommission: won.ownerId === actor.user.id,
    });
    if (owner && owner.id !== actor.user.id) await this.ownerChanged(actor, owner.id, owner.slackUserId);
    return { kind: "won", deal: won, impact };
  }

  async lose(actor: Actor, deal: Deal, reason: string | null): Promise<LoseResult> {
    const lost = await this.deals.markLost(deal.id, this.now(), reason, byActor(actor));
    if (!lost) return { kind: "closed", deal: (await this.deals.findById(deal.id)) ?? deal };
    await this.ownerChanged(actor, lost.ownerId);
    return { kind: "lost", deal: lost };
  }

  /** Moves an open deal to another open stage (recorded in its stage history). */
  async setStage(actor: Actor, deal: Deal, stage: OpenStage): Promise<SetStageResult> {
    if (deal.stage === stage) return { kind: "unchanged", deal };
    const moved = await this.deals.setStage(deal.id, stage, byActor(actor), this.now());
    if (!moved) return { kind: "closed", deal: (await this.deals.findById(deal.id)) ?? deal };
    await this.ownerChanged(actor, moved.ownerId);
    return { kind: "moved", deal: moved, from: deal.stage };
  }

  /**
   * Sets an open deal's forecast category; null clears it, so the stage implies it again. Not a
   * stage change: the stage history is untouched.
   */
  async setForecastCategory(actor: Actor, deal: Deal, category: ForecastCategory | null): Promise<SetForecastResult> {
    if (deal.forecastCategory === category) return { kind: "unchanged", deal };
    const changed = await this.deals.setForecastCategory(deal.id, category);
    if (!changed) return { kind: "closed", deal: (await this.deals.findById(deal.id)) ?? deal };
    await this.ownerChanged(actor, changed.ownerId);
    return { kind: "set", deal: changed, from: deal.forecastCategory };
  }

  /** Where "push a week" moves the deal: a week after the later of its close date and today. */
  pushTarget(actor: Actor, deal: Deal): LocalDate {
    return pushedCloseDate(deal.expectedCloseAt ? localDateOf(deal.expectedCloseAt, actor.zone) : null, localDateOf(this.now(), actor.zone));
  }

  /**
   * Moves an open deal's expected close date to the start of `date` in the actor's zone. A date
   * before the actor's today is refused: pushing a deal into the past would hide nothing.
   */
  async pushCloseDate(actor: Actor, deal: Deal, date: LocalDate | "week"): Promise<PushCloseResult> {
    if (date === "week") return this.pushCloseDate(actor, deal, this.pushTarget(actor, deal));
    if (date < localDateOf(this.now(), actor.zone)) return { kind: "past", date };
    const moved = await this.deals.setCloseDate(deal.id, startOfLocalDate(date, actor.zone));
    if (!moved) return { kind: "closed", deal: (await this.deals.findById(deal.id)) ?? deal };
    await this.ownerChanged(actor, moved.ownerId);
    return { kind: "pushed", deal: moved, date };
  }

  /** The owner's Home tab changes too when someone else (their manager) changed their deal. */
  private async ownerChanged(actor: Actor, ownerId: number, slackUserId?: string): Promise<void> {
    if (ownerId === actor.user.id) return; // the command listener refreshes the actor's own views
    const slackId = slackUserId ?? (await this.users.findById(ownerId))?.slackUserId;
    if (slackId) await this.events.emit("user.changed", { workspaceId: actor.workspace.id, userId: ownerId, slackUserId: slackId });
  }
}
