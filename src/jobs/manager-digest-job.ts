import type { User } from "../db/repositories/user-repository.js";
import { isManagerDigestEmpty } from "../domain/reminder.js";
import { mondayOf, reminderStatus, type ReminderStatus } from "../domain/reminder-schedule.js";
import { isoWeekday } from "../domain/time.js";
import { translator } from "../i18n/translate.js";
import { scheduleOf } from "../services/reminder-service.js";
import { managerDigestMessage } from "../slack/blocks/manager-digest-blocks.js";
import { formatFor } from "../slack/blocks/reminder-format.js";
import { OUTBOX_KIND } from "../services/outbox-kinds.js";
import { planPersonalMessages, type PersonalJobDeps } from "./personal-messages.js";
import type { ScheduledJob } from "./scheduler.js";

/**
 * Whether a manager's weekly digest is due: Mondays (their local date) at their reminder time, with
 * the same catch-up window, pause and skip dates as the daily reminder (their reminder days do not
 * apply: the weekly digest always belongs to Monday). The outbox date is that Monday.
 */
export function managerDigestStatus(user: User, zone: string, now: Date): ReminderStatus {
  const schedule = scheduleOf(user, zone);
  const daily = reminderStatus({ ...schedule, days: new Set([1, 2, 3, 4, 5, 6, 7]) }, now);
  if (isoWeekday(daily.localDate) !== 1) return { due: false, localDate: mondayOf(daily.localDate), reason: "not_a_reminder_day" };
  return daily;
}

/**
 * Plans each team manager's weekly digest (`OUTBOX_KIND.managerDigest`, one per manager per week): the
 * reps behind linear pace and the team's neglected key accounts. Empty → a "skipped" row.
 */
export class ManagerDigestJob implements ScheduledJob {
  readonly name = "manager-digest";
  readonly kinds: string[] = [OUTBOX_KIND.managerDigest];

  constructor(private readonly deps: PersonalJobDeps) {}

  plan(now: Date): Promise<{ enqueued: number }> {
    const { services } = this.deps;
    return planPersonalMessages(
      this.deps,
      {
        what: "manager digest",
        kind: OUTBOX_KIND.managerDigest,
        page: (after, size) => services.repos.reminders.managersPage(after, size),
        dueOf: (target, at) => managerDigestStatus(target.user, target.zone, at),
        build: (targets, at) => services.reminders.managerDigests(targets, at),
        isEmpty: (view) => isManagerDigestEmpty(view),
        render: (view, target) => managerDigestMessage(view, formatFor(target, translator(target.language))),
      },
      now,
    );
  }
}
