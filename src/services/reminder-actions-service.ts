import type { ReminderRepository } from "../db/repositories/reminder-repository.js";
import type { UserRepository } from "../db/repositories/user-repository.js";
import type { Principal } from "../domain/authorization.js";
import type { ReminderSettings } from "../domain/reminder-settings.js";
import { addLocalDays, localDateOf, startOfLocalDate } from "../domain/time.js";
import type { TouchKind } from "../domain/touch-args.js";
import type { Actor } from "./actor-service.js";
import type { CompleteFollowUpResult, FollowUpService } from "./followup-service.js";
import type { LogTouchResult, TouchService } from "./touch-service.js";

/** Why a digest button was refused: the clicker must own what it acts on. */
export type NotYours = { kind: "not_found" } | { kind: "denied"; reason: "not_owner" };

export type SnoozeAccountResult = { kind: "snoozed"; accountName: string; until: Date } | NotYours;
export type SnoozeFollowUpResult = { kind: "snoozed"; title: string; accountName: string; until: Date } | NotYours;

/**
 * Snoozing for N days hides the item until the start of the user's local day N days from today:
 * "1 day" brings it back in tomorrow's digest, "1 week" on the same weekday next week.
 */
export function snoozeUntil(now: Date, zone: string, days: number): Date {
  return startOfLocalDate(addLocalDays(localDateOf(now, zone), days), zone);
}

/**
 * What the digest's buttons and the settings modal do. Every write is refused unless the actor
 * owns the record (a digest only ever shows the recipient's own accounts and follow-ups).
 */
export class ReminderActionsService {
  constructor(
    private readonly repo: ReminderRepository,
    private readonly users: UserRepository,
    private readonly touches: TouchService,
    private readonly followUps: FollowUpService,
    private readonly now: () => Date,
  ) {}

  async snoozeAccount(actor: Actor, accountId: number, days: number): Promise<SnoozeAccountResult> {
    const owned = await this.ownAccount(actor, accountId);
    if (owned.kind !== "ok") return owned;
    const until = snoozeUntil(this.now(), actor.zone, days);
    await this.repo.snoozeAccount(accountId, until);
    return { kind: "snoozed", accountName: owned.name, until };
  }

  async snoozeFollowUp(actor: Actor, followUpId: number): Promise<SnoozeFollowUpResult> {
    const f = await this.repo.findFollowUp(followUpId);
    if (!f || f.status !== "open") return { kind: "not_found" };
    const owned = await this.ownAccount(actor, f.accountId, true);
    if (owned.kind === "not_found") return owned;
    if (f.userId !== actor.user.id) return { kind: "denied", reason: "not_owner" };
    const until = snoozeUntil(this.now(), actor.zone, 1);
    await this.repo.snoozeFollowUp(followUpId, until);
    return { kind: "snoozed", title: f.title, accountName: f.accountName, until };
  }

  async completeFollowUp(actor: Actor, principal: Principal, followUpId: number): Promise<CompleteFollowUpResult | NotYours> {
    const f = await this.repo.findFollowUp(followUpId);
    if (!f) return { kind: "not_found" };
    const owned = await this.ownAccount(actor, f.accountId, true);
    if (owned.kind === "not_found") return owned;
    if (f.userId !== actor.user.id) return { kind: "denied", reason: "not_owner" };
    return this.followUps.complete(actor, principal, followUpId);
  }

  async logTouch(actor: Actor, principal: Principal, input: { accountId: number; kind: TouchKind; note: string | null }): Promise<LogTouchResult | NotYours> {
    const owned = await this.ownAccount(actor, input.accountId);
    if (owned.kind !== "ok") return owned;
    return this.touches.log(actor, principal, { accountId: input.accountId, kind: input.kind, note: input.note, participants: [], source: "modal" });
  }

  /** Saves validated reminder settings. */
  async saveSettings(actor: Actor, s: ReminderSettings): Promise<void> {
    await this.users.update(actor.user.id, {
      reminderTime: s.reminderTime,
      reminderDays: s.reminderDays.join(","),
      language: s.language,
      timezoneOverride: s.timezoneOverride,
      remindersPaused: s.paused,
      reminderSkipDates: s.skipDates.join(","),
    });
  }

  /** The account's name when it is the actor's own live account. */
  ownedAccount(actor: Actor, accountId: number): Promise<{ kind: "ok"; name: string } | NotYours> {
    return this.ownAccount(actor, accountId);
  }

  /**
   * The account, when it is the actor's own live account. `anyOwner` only checks it exists in the
   * actor's workspace (follow-ups are owned by their own user field).
   */
  private async ownAccount(actor: Actor, accountId: number, anyOwner = false): Promise<{ kind: "ok"; name: string } | NotYours> {
    const a = await this.repo.findAccount(accountId);
    if (!a || a.archived || a.workspaceId !== actor.workspace.id) return { kind: "not_found" };
    if (!anyOwner && a.ownerId !== actor.user.id) return { kind: "denied", reason: "not_owner" };
    return { kind: "ok", name: a.name };
  }
}
