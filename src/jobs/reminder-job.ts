import type { LineLogger } from "../logger.js";
import type { User } from "../db/repositories/user-repository.js";
import type { OutboxMessage } from "../db/repositories/outbox-repository.js";
import { OUTBOX_KIND, SKIPPED_PAYLOAD, outboxPayload } from "../services/outbox-kinds.js";
import { isDigestEmpty } from "../domain/digest.js";
import { reminderStatus } from "../domain/reminder-schedule.js";
import { translator } from "../i18n/translate.js";
import { scheduleOf, type DigestTarget } from "../services/digest-service.js";
import type { Services } from "../services/services.js";
import { digestMessage } from "../slack/blocks/digest-blocks.js";
import { formatFor } from "../slack/blocks/reminder-format.js";
import type { ScheduledJob } from "./scheduler.js";

/** @deprecated The outbox kind of the daily reminder: use `OUTBOX_KIND.reminder` (kept while test/ still imports it). */
export const DIGEST_KIND = OUTBOX_KIND.reminder;
/** Users looked at (and digests built) per batch: a few queries per batch, whatever its size. */
export const REMINDER_BATCH_SIZE = 200;

export interface ReminderJobDeps {
  services: Services;
  logger: Pick<LineLogger, "error" | "warn" | "info">;
  batchSize?: number;
}

/**
 * Plans the daily reminders: every tick it pages through active, unpaused users, keeps those whose
 * reminder is due now (see domain/reminder-schedule.ts: their zone, days, skip dates, catch-up
 * window) and who have no outbox row yet for (user, local date, `OUTBOX_KIND.reminder`), builds their reminders in
 * one batch, and enqueues one row each: "pending" with the rendered DM, or "skipped" when there is
 * nothing to say (so it is not recomputed every minute, and the decision is auditable). The
 * outbox's unique row makes a second plan, or a second replica, enqueue nothing.
 */
export class ReminderJob implements ScheduledJob {
  readonly name = "reminders";
  readonly kinds: string[] = [OUTBOX_KIND.reminder];

  constructor(private readonly deps: ReminderJobDeps) {}

  async plan(now: Date): Promise<{ enqueued: number }> {
    const { services, logger } = this.deps;
    const repo = services.repos.digest;
    const size = this.deps.batchSize ?? REMINDER_BATCH_SIZE;
    let enqueued = 0;
    let after = 0;
    for (;;) {
      const users = await repo.reminderUsersPage(after, size);
      if (users.length === 0) break;
      after = users[users.length - 1].id;
      try {
        enqueued += await this.planBatch(users, now);
      } catch (error) {
        // A failed batch is planned again on the next tick (its users have no row yet).
        logger.error(`reminders: a batch of ${users.length} users could not be planned`, error);
      }
      if (users.length < size) break;
    }
    return { enqueued };
  }

  private async planBatch(users: User[], now: Date): Promise<number> {
    const { services, logger } = this.deps;
    const targets = await services.digest.targetsFor(users);
    const due = targets.flatMap((t) => {
      const status = reminderStatus(scheduleOf(t.user, t.zone), now);
      return status.due ? [{ target: t, localDate: status.localDate }] : [];
    });
    const fresh = await withoutRows(services, due, OUTBOX_KIND.reminder);
    if (fresh.length === 0) return 0;
    const built = await services.digest.buildMany(fresh.map((d) => d.target), now);
    const messages: OutboxMessage[] = [];
    for (const { target, localDate } of fresh) {
      try {
        const digest = built.get(target.user.id);
        if (!digest) continue;
        const empty = isDigestEmpty(digest.view);
        const payload = empty ? SKIPPED_PAYLOAD : outboxPayload(OUTBOX_KIND.reminder, digestMessage(digest.view, formatFor(target, translator(target.language))));
        messages.push({ recipientType: "user", recipient: target.user.slackUserId, localDate, kind: OUTBOX_KIND.reminder, payload, status: empty ? "skipped" : "pending" });
      } catch (error) {
        // One user's bad data never stops the batch.
        logger.error(`reminders: the digest of user ${target.user.id} could not be built`, error);
      }
    }
    return services.repos.outbox.enqueue(messages, now);
  }
}

/** Drops the targets that already have an outbox row for their local date and this kind (one query). */
export async function withoutRows(services: Services, due: { target: DigestTarget; localDate: string }[], kind: string): Promise<{ target: DigestTarget; localDate: string }[]> {
  if (due.length === 0) return [];
  const existing = await services.repos.outbox.existingRecipients(
    [...new Set(due.map((d) => d.localDate))],
    kind,
    due.map((d) => d.target.user.slackUserId),
  );
  // Two users with the same Slack id (two workspaces) get one row: the outbox key is per Slack id.
  const seen = new Set<string>();
  return due.filter((d) => {
    const key = `${d.target.user.slackUserId}|${d.localDate}`;
    if (existing.has(key) || seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
