import { DateTime } from "luxon";
import type { Denial, Principal } from "../domain/authorization.js";
import { localDateOf, type LocalDate } from "../domain/time.js";
import type { TouchKind } from "../domain/touch-args.js";
import type { Account } from "../db/repositories/account-repository.js";
import type { Touch, TouchRepository } from "../db/repositories/touch-repository.js";
import type { UserRepository } from "../db/repositories/user-repository.js";
import type { AccountService } from "./account-service.js";
import type { Actor } from "./actor-service.js";

export const MAX_NOTE = 3000;
export const MAX_PARTICIPANTS = 20;
/** Clocks drift; a touch up to this far "in the future" is taken as now. */
const FUTURE_TOLERANCE_MS = 5 * 60_000;

export interface LogTouchInput {
  accountId: number;
  kind: TouchKind;
  note: string | null;
  /** Slack user ids of colleagues who were there. */
  participants: string[];
  /** Default: now. */
  occurredAt?: Date;
  source: "command" | "modal" | "message";
  /** The permalink of the message it was logged from. */
  sourceRef?: string | null;
}

export type TouchProblem = "note_too_long" | "in_future" | "too_many_participants";

export type LogTouchResult =
  | { kind: "logged"; touch: Touch; account: Account; participants: string[] }
  | { kind: "not_found" }
  | { kind: "denied"; reason: Denial }
  | { kind: "invalid"; problem: TouchProblem };

export class TouchService {
  constructor(
    private readonly touches: TouchRepository,
    private readonly users: UserRepository,
    private readonly accounts: AccountService,
    private readonly now: () => Date,
  ) {}

  /** The first problem with a touch's fields, or null (no database needed). */
  validate(input: Pick<LogTouchInput, "note" | "participants" | "occurredAt">): TouchProblem | null {
    if (input.note !== null && input.note.length > MAX_NOTE) return "note_too_long";
    if (input.participants.length > MAX_PARTICIPANTS) return "too_many_participants";
    if (input.occurredAt && input.occurredAt.getTime() > this.now().getTime() + FUTURE_TOLERANCE_MS) return "in_future";
    return null;
  }

  /** Logs a touch on an account the actor may see; the account's lastTouchAt moves with it. */
  async log(actor: Actor, principal: Principal, input: LogTouchInput): Promise<LogTouchResult> {
    const problem = this.validate(input);
    if (problem) return { kind: "invalid", problem };
    const access = await this.accounts.access(actor, principal, input.accountId);
    if (access.kind !== "ok") return access;
    const ids = [...new Set(input.participants)].filter((id) => id !== actor.user.slackUserId);
    const known = ids.length > 0 ? await this.users.findManyBySlackIds(actor.workspace.id, ids) : [];
    const byId = new Map(known.map((u) => [u.slackUserId, u.id]));
    const now = this.now();
    const occurredAt = input.occurredAt && input.occurredAt.getTime() < now.getTime() ? input.occurredAt : now;
    const note = input.note?.trim() ? input.note.trim() : null;
    const touch = await this.touches.create({
      accountId: access.account.id,
      userId: actor.user.id,
      kind: input.kind,
      occurredAt,
      note,
      source: input.source,
      sourceRef: input.sourceRef ?? null,
      participants: ids.map((slackUserId) => ({ slackUserId, userId: byId.get(slackUserId) ?? null })),
    });
    return { kind: "logged", touch, account: access.account, participants: ids };
  }
}

/**
 * When a touch picked by calendar day happened: now for today, else noon of that local day (so the
 * instant lands on the right day in the user's zone whatever DST does).
 */
export function occurredAtOn(date: LocalDate, zone: string, now: Date): Date {
  if (date === localDateOf(now, zone)) return now;
  return DateTime.fromISO(date, { zone }).set({ hour: 12 }).toJSDate();
}
