import { canAccess, type Denial, type Principal } from "../domain/authorization.js";
import { isLocalDate, localDateOf, startOfLocalDate, type LocalDate } from "../domain/time.js";
import type { Account } from "../db/repositories/account-repository.js";
import type { FollowUp, FollowUpRepository } from "../db/repositories/followup-repository.js";
import { cleanText, type AccountService } from "./account-service.js";
import type { Actor } from "./actor-service.js";

export const MAX_FOLLOWUP_TITLE = 500;

export type FollowUpField = "title" | "due";
export type FollowUpProblem = "title_empty" | "title_too_long" | "due_invalid" | "due_past";

export type CreateFollowUpResult =
  | { kind: "created"; followUp: FollowUp; account: Account }
  | { kind: "not_found" }
  | { kind: "denied"; reason: Denial }
  | { kind: "invalid"; field: FollowUpField; problem: FollowUpProblem };

export interface FollowUpItem {
  id: number;
  title: string;
  dueAt: Date;
  /** The due day in the actor's zone. */
  dueDate: LocalDate;
  overdue: boolean;
  dueToday: boolean;
  snoozedUntil: Date | null;
  account: { id: number; name: string };
}

export interface FollowUpPage {
  items: FollowUpItem[];
  total: number;
  offset: number;
}

export type CompleteFollowUpResult =
  | { kind: "done"; followUp: FollowUp; accountName: string }
  | { kind: "already_closed"; followUp: FollowUp; accountName: string }
  | { kind: "not_found" }
  | { kind: "denied"; reason: Denial };

export class FollowUpService {
  constructor(
    private readonly followUps: FollowUpRepository,
    private readonly accounts: AccountService,
    private readonly now: () => Date,
  ) {}

  /** The first problem with a follow-up's fields, or null (no database needed). */
  validate(actor: Actor, input: { title: string; dueDate: string }): { field: FollowUpField; problem: FollowUpProblem } | null {
    const title = cleanText(input.title);
    if (title === "") return { field: "title", problem: "title_empty" };
    if (Array.from(title).length > MAX_FOLLOWUP_TITLE) return { field: "title", problem: "title_too_long" };
    if (!isLocalDate(input.dueDate)) return { field: "due", problem: "due_invalid" };
    if (input.dueDate < localDateOf(this.now(), actor.zone)) return { field: "due", problem: "due_past" };
    return null;
  }

  /** A follow-up for the actor on an account they may see, due at the start of `dueDate` in their zone. */
  async create(actor: Actor, principal: Principal, input: { accountId: number; title: string; dueDate: LocalDate }): Promise<CreateFollowUpResult> {
    const invalid = this.validate(actor, input);
    if (invalid) return { kind: "invalid", ...invalid };
    const access = await this.accounts.access(actor, principal, input.accountId);
    if (access.kind !== "ok") return access;
    const followUp = await this.followUps.create({
      accountId: access.account.id,
      userId: actor.user.id,
      title: cleanText(input.title),
      dueAt: startOfLocalDate(input.dueDate, actor.zone),
    });
    return { kind: "created", followUp, account: access.account };
  }

  /** The actor's open follow-ups, overdue first, then by due date. */
  listOpen(actor: Actor, opts: { offset: number; limit: number }): Promise<FollowUpPage> {
    return this.listOpenOf(actor, actor.user.id, opts);
  }

  /** Someone's open follow-ups, dated in the actor's zone (callers check access). */
  async listOpenOf(actor: Actor, userId: number, opts: { offset: number; limit: number }): Promise<FollowUpPage> {
    const offset = Math.max(0, opts.offset);
    const { items, total } = await this.followUps.openForUser(userId, offset, opts.limit);
    const today = localDateOf(this.now(), actor.zone);
    return {
      total,
      offset,
      items: items.map((f) => {
        const dueDate = localDateOf(f.dueAt, actor.zone);
        return {
          id: f.id,
          title: f.title,
          dueAt: f.dueAt,
          dueDate,
          overdue: dueDate < today,
          dueToday: dueDate === today,
          snoozedUntil: f.snoozedUntil,
          account: { id: f.account.id, name: f.account.name },
        };
      }),
    };
  }

  /** How many of someone's open follow-ups are overdue, as of today in the actor's zone. */
  countOverdueOf(actor: Actor, userId: number): Promise<number> {
    return this.followUps.countOverdue(userId, startOfLocalDate(localDateOf(this.now(), actor.zone), actor.zone));
  }

  /** Marks a follow-up done; the actor must own it (managers: their team's; admins: any). */
  async complete(actor: Actor, principal: Principal, id: number): Promise<CompleteFollowUpResult> {
    const followUp = await this.followUps.findById(id);
    if (!followUp) return { kind: "not_found" };
    // Another workspace's (or an archived account's) follow-up does not exist for this actor.
    const account = await this.accounts.access(actor, principal, followUp.accountId);
    if (account.kind === "not_found") return { kind: "not_found" };
    const decision = canAccess(principal, followUp.userId);
    if (!decision.allowed) return { kind: "denied", reason: decision.reason };
    if (followUp.status !== "open") return { kind: "already_closed", followUp, accountName: followUp.account.name };
    const done = await this.followUps.complete(id, this.now());
    const latest = (await this.followUps.findById(id)) ?? followUp;
    return done
      ? { kind: "done", followUp: latest, accountName: followUp.account.name }
      : { kind: "already_closed", followUp: latest, accountName: followUp.account.name };
  }
}
