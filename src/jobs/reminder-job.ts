import { OUTBOX_KIND } from "../services/outbox-kinds.js";
import { isDigestEmpty } from "../domain/digest.js";
import { reminderStatus } from "../domain/reminder-schedule.js";
import { translator } from "../i18n/translate.js";
import { scheduleOf } from "../services/digest-service.js";
import { digestMessage } from "../slack/blocks/digest-blocks.js";
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
        page: (after, size) => services.repos.digest.reminderUsersPage(after, size),
        dueOf: (target, at) => reminderStatus(scheduleOf(target.user, target.zone), at),
        build: (targets, at) => services.digest.buildMany(targets, at),
        isEmpty: (digest) => isDigestEmpty(digest.view),
        render: (digest, target) => digestMessage(digest.view, formatFor(target, translator(target.language))),
      },
      now,
    );
  }
}
