import { OUTBOX_KIND } from "../services/outbox-kinds.js";
import { isReminderEmpty } from "../domain/reminder.js";
import { reminderStatus } from "../domain/reminder-schedule.js";
import { translator } from "../i18n/translate.js";
import { scheduleOf } from "../services/reminder-service.js";
import { reminderMessage } from "../slack/blocks/reminder-blocks.js";
import { formatFor } from "../slack/blocks/reminder-format.js";
import { planPersonalMessages, type PersonalJobDeps } from "./personal-messages.js";
import type { ScheduledJob } from "./scheduler.js";

/**
 * Plans the daily reminders: every tick, the active, unpaused users whose reminder is due now
 * (see domain/reminder-schedule.ts: their zone, days, skip dates, catch-up window) get one outbox
 * row each for their local date (`planPersonalMessages`).
 */
export class ReminderJob implements ScheduledJob {
  readonly name = "reminders";
  readonly kinds: string[] = [OUTBOX_KIND.reminder];

  constructor(private readonly deps: PersonalJobDeps) {}

  plan(now: Date): Promise<{ enqueued: number }> {
    const { services } = this.deps;
    return planPersonalMessages(
      this.deps,
      {
        what: "reminders",
        kind: OUTBOX_KIND.reminder,
        page: (after, size) => services.repos.reminders.reminderUsersPage(after, size),
        dueOf: (target, at) => reminderStatus(scheduleOf(target.user, target.zone), at),
        build: (targets, at) => services.reminders.buildMany(targets, at),
        isEmpty: (digest) => isReminderEmpty(digest.view),
        render: (digest, target) => reminderMessage(digest.view, formatFor(target, translator(target.language))),
      },
      now,
    );
  }
}
