import type { User } from "../db/repositories/user-repository.js";
import type { OutboxMessage } from "../db/repositories/outbox-repository.js";
import { isManagerDigestEmpty } from "../domain/digest.js";
import { mondayOf, reminderStatus, type ReminderStatus } from "../domain/reminder-schedule.js";
import { isoWeekday } from "../domain/time.js";
import { translator } from "../i18n/translate.js";
import { scheduleOf } from "../services/digest-service.js";
import { managerDigestMessage } from "../slack/blocks/manager-digest-blocks.js";
import { formatFor } from "../slack/blocks/reminder-format.js";
import { REMINDER_BATCH_SIZE, withoutRows, type ReminderJobDeps } from "./reminder-job.js";
import { OUTBOX_KIND, SKIPPED_PAYLOAD, outboxPayload } from "../services/outbox-kinds.js";
import type { ScheduledJob } from "./scheduler.js";

/** @deprecated Use `OUTBOX_KIND.managerDigest` (kept while test/ still imports it). */
export const MANAGER_DIGEST_KIND = OUTBOX_KIND.managerDigest;

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

  constructor(private readonly deps: ReminderJobDeps) {}

  async plan(now: Date): Promise<{ enqueued: number }> {
    const { services, logger } = this.deps;
    const size = this.deps.batchSize ?? REMINDER_BATCH_SIZE;
    let enqueued = 0;
    let after = 0;
    for (;;) {
      const managers = await services.repos.digest.managersPage(after, size);
      if (managers.length === 0) break;
      after = managers[managers.length - 1].id;
      try {
        enqueued += await this.planBatch(managers, now);
      } catch (error) {
        logger.error(`manager digest: a batch of ${managers.length} managers could not be planned`, error);
      }
      if (managers.length < size) break;
    }
    return { enqueued };
  }

  private async planBatch(managers: User[], now: Date): Promise<number> {
    const { services, logger } = this.deps;
    const targets = await services.digest.targetsFor(managers);
    const due = targets.flatMap((t) => {
      const status = managerDigestStatus(t.user, t.zone, now);
      return status.due ? [{ target: t, localDate: status.localDate }] : [];
    });
    const fresh = await withoutRows(services, due, OUTBOX_KIND.managerDigest);
    if (fresh.length === 0) return 0;
    const views = await services.digest.managerDigests(fresh.map((d) => d.target), now);
    const messages: OutboxMessage[] = [];
    for (const { target, localDate } of fresh) {
      try {
        const view = views.get(target.user.id);
        if (!view) continue;
        const empty = isManagerDigestEmpty(view);
        const payload = empty ? SKIPPED_PAYLOAD : outboxPayload(OUTBOX_KIND.managerDigest, managerDigestMessage(view, formatFor(target, translator(target.language))));
        messages.push({ recipientType: "user", recipient: target.user.slackUserId, localDate, kind: OUTBOX_KIND.managerDigest, payload, status: empty ? "skipped" : "pending" });
      } catch (error) {
        logger.error(`manager digest: the digest of manager ${target.user.id} could not be built`, error);
      }
    }
    return services.repos.outbox.enqueue(messages, now);
  }
}
