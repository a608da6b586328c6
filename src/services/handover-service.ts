import { canReassign, type Denial, type Principal } from "../domain/authorization.js";
import { countsOf, handoverProblem, isEmptyPlan, planFingerprint, type HandoverCounts, type HandoverScope } from "../domain/handover.js";
import type { HandoverRepository } from "../db/repositories/handover-repository.js";
import type { User, UserRepository } from "../db/repositories/user-repository.js";
import type { Workspace } from "../db/repositories/workspace-repository.js";
import type { SlackProfileLookup } from "./actor-service.js";
import type { EventBus } from "./domain-events.js";
import type { TeamService } from "./team-service.js";

/** Who is named in a handover: a Slack user id (the command) or an e-mail address (the CLI). */
export type PersonRef = { slackUserId: string } | { email: string };

export type HandoverRefusal =
  | { kind: "denied"; reason: Denial }
  | { kind: "same_person" }
  | { kind: "unknown_user"; ref: PersonRef }
  /** The taker is deactivated in Slack: a book handed to them would be orphaned again. */
  | { kind: "inactive"; user: User };

/** What a confirmation shows, and what its button carries back. */
export interface HandoverProposal {
  from: User;
  to: User;
  scope: HandoverScope;
  counts: HandoverCounts;
  /** Of the exact rows; the move refuses if they are no longer these. */
  fingerprint: string;
}

export type HandoverPreview = ({ kind: "preview" } & HandoverProposal) | { kind: "nothing"; from: User; to: User; scope: HandoverScope } | HandoverRefusal;

export type HandoverOutcome =
  | { kind: "moved"; from: User; to: User; scope: HandoverScope; counts: HandoverCounts }
  /** The rows changed since the confirmation: nothing moved; `now` is the fresh preview. */
  | { kind: "changed"; now: HandoverPreview }
  | HandoverRefusal;

/** A confirmed handover, as the confirmation's button carries it. */
export interface HandoverConfirmation {
  fromUserId: number;
  toUserId: number;
  scope: HandoverScope;
  fingerprint: string;
}

/**
 * Handing a book from one person to another (see domain/handover.ts for what moves). Two steps:
 * `preview` names what would move; `confirm` moves exactly that, in one transaction, or nothing.
 * Admins may hand over between anyone; managers within their teams; reps not at all. Both people
 * (and the Home tabs) are told through the "book.handed_over" and "user.changed" events.
 */
export class HandoverService {
  constructor(
    private readonly handovers: HandoverRepository,
    private readonly users: UserRepository,
    private readonly teams: TeamService,
    private readonly events: EventBus,
    private readonly now: () => Date,
  ) {}

  /**
   * What a handover from `from` to `to` would move. Refuses before looking anything up when the
   * same person is named twice or a rep asks. An admin may name a taker who never used the app
   * (a new hire): they are registered from their Slack profile (`lookup`).
   */
  async preview(workspace: Workspace, principal: Principal, from: PersonRef, to: PersonRef, scope: HandoverScope, lookup?: SlackProfileLookup): Promise<HandoverPreview> {
    if (sameRef(from, to)) return { kind: "same_person" };
    if (principal.role === "rep") return { kind: "denied", reason: "manager_only" };
    const giver = await this.find(workspace, from);
    if (!giver) return { kind: "unknown_user", ref: from };
    let taker = await this.find(workspace, to);
    if (!taker && principal.role === "admin" && "slackUserId" in to && lookup) {
      taker = (await this.teams.ensureUsers(workspace, [to.slackUserId], lookup)).users[0] ?? null;
    }
    if (!taker) return { kind: "unknown_user", ref: to };
    return this.previewUsers(workspace, principal, giver, taker, scope);
  }

  /**
   * Moves what a confirmation showed, checking the rights of whoever confirms again. Nothing moves
   * when the rows are no longer exactly those (the fresh preview comes back instead).
   */
  async confirm(workspace: Workspace, principal: Principal, c: HandoverConfirmation, by: User | null): Promise<HandoverOutcome> {
    const [giver, taker] = await Promise.all([this.users.findById(c.fromUserId), this.users.findById(c.toUserId)]);
    if (!giver || giver.workspaceId !== workspace.id) return { kind: "unknown_user", ref: { slackUserId: "" } };
    if (!taker || taker.workspaceId !== workspace.id) return { kind: "unknown_user", ref: { slackUserId: "" } };
    const refusal = this.refusal(principal, giver, taker);
    if (refusal) return refusal;
    const move = await this.handovers.move({ workspaceId: workspace.id, fromUserId: giver.id, toUserId: taker.id, scope: c.scope }, c.fingerprint);
    if (move.kind === "changed") return { kind: "changed", now: await this.previewUsers(workspace, principal, giver, taker, c.scope) };
    const counts = countsOf(move.plan);
    await this.events.emit("book.handed_over", {
      workspaceId: workspace.id,
      fromUserId: giver.id,
      toUserId: taker.id,
      byUserId: by?.id ?? null,
      scope: c.scope,
      counts,
      at: this.now().getTime(),
    });
    for (const u of [giver, taker]) await this.events.emit("user.changed", { workspaceId: workspace.id, userId: u.id, slackUserId: u.slackUserId });
    return { kind: "moved", from: giver, to: taker, scope: c.scope, counts };
  }

  private async previewUsers(workspace: Workspace, principal: Principal, giver: User, taker: User, scope: HandoverScope): Promise<HandoverPreview> {
    const refusal = this.refusal(principal, giver, taker);
    if (refusal) return refusal;
    const plan = await this.handovers.plan({ workspaceId: workspace.id, fromUserId: giver.id, scope });
    if (isEmptyPlan(plan)) return { kind: "nothing", from: giver, to: taker, scope };
    return { kind: "preview", from: giver, to: taker, scope, counts: countsOf(plan), fingerprint: planFingerprint(plan) };
  }

  private refusal(principal: Principal, giver: User, taker: User): HandoverRefusal | null {
    if (handoverProblem(giver.id, taker.id)) return { kind: "same_person" };
    const decision = canReassign(principal, giver.id, taker.id);
    if (!decision.allowed) return { kind: "denied", reason: decision.reason };
    if (taker.inactive) return { kind: "inactive", user: taker };
    return null;
  }

  private find(workspace: Workspace, ref: PersonRef): Promise<User | null> {
    return "slackUserId" in ref ? this.users.findBySlackId(workspace.id, ref.slackUserId) : this.users.findByEmail(workspace.id, ref.email);
  }
}

function sameRef(a: PersonRef, b: PersonRef): boolean {
  if ("slackUserId" in a && "slackUserId" in b) return a.slackUserId === b.slackUserId;
  if ("email" in a && "email" in b) return a.email.trim().toLowerCase() === b.email.trim().toLowerCase();
  return false;
}
