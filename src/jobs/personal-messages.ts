import type { LineLogger } from "../logger.js";
import type { User } from "../db/repositories/user-repository.js";
import type { OutboxMessage } from "../db/repositories/outbox-repository.js";
import { SKIPPED_PAYLOAD, outboxPayload } from "../services/outbox-kinds.js";
import type { ReminderTarget } from "../services/reminder-service.js";
import type { Services } from "../services/services.js";

/**
 * Users looked at (and messages built) per batch: a few queries per batch, whatever its size. 100
 * rather than 200: a batch's rows and rendered messages are what the run's memory peaks on (as
 * deployed, 1,000 reps: 241–257 MB at 100, 274–289 MB at 200), for about a tenth of a second more.
 */
export const REMINDER_BATCH_SIZE = 100;

export interface PersonalJobDeps {
  services: Services;
  logger: Pick<LineLogger, "error" | "warn" | "info">;
  batchSize?: number;
}

/** A DM planned per person and local date (the daily reminder, the manager's weekly digest). */
export interface PersonalMessageSpec<V> {
  /** For log lines: "reminders", "manager digest". */
  what: string;
  kind: "digest" | "manager_digest";
  /** The next page of people after user id `after`. */
  page(after: number, size: number): Promise<User[]>;
  /** Whether the person's message is due at `now`, and the local date it belongs to. */
  dueOf(target: ReminderTarget, now: Date): { due: boolean; localDate: string };
  /** The messages' content for many people at once (by user id). */
  build(targets: ReminderTarget[], now: Date): Promise<Map<number, V>>;
  isEmpty(content: V): boolean;
  render(content: V, target: ReminderTarget): { text: string; blocks?: readonly { type: string }[] };
}

/**
 * Pages through the people, keeps those whose message is due and who have no outbox row yet for
 * (person, local date, kind), builds their messages in one batch, and enqueues a row each:
 * "pending" with the rendered DM, or "skipped" when there is nothing to say (so it is not
 * recomputed every minute, and the decision is auditable). The outbox's unique row makes a second
 * plan, or a second replica, enqueue nothing. One person's bad data never stops the batch; a
 * failed batch is planned again on the next tick (its people have no row yet).
 */
export async function planPersonalMessages<V>(deps: PersonalJobDeps, spec: PersonalMessageSpec<V>, now: Date): Promise<{ enqueued: number }> {
  const size = deps.batchSize ?? REMINDER_BATCH_SIZE;
  let enqueued = 0;
  let after = 0;
  for (;;) {
    const people = await spec.page(after, size);
    if (people.length === 0) break;
    after = people[people.length - 1]!.id;
    try {
      enqueued += await planBatch(deps, spec, people, now);
    } catch (error) {
      deps.logger.error(`${spec.what}: a batch of ${people.length} people could not be planned`, error);
    }
    if (people.length < size) break;
  }
  return { enqueued };
}

async function planBatch<V>(deps: PersonalJobDeps, spec: PersonalMessageSpec<V>, people: User[], now: Date): Promise<number> {
  const { services, logger } = deps;
  const targets = await services.reminders.targetsFor(people);
  const due = targets.flatMap((target) => {
    const status = spec.dueOf(target, now);
    return status.due ? [{ target, localDate: status.localDate }] : [];
  });
  const fresh = await withoutRows(services, due, spec.kind);
  if (fresh.length === 0) return 0;
  const built = await spec.build(fresh.map((d) => d.target), now);
  const messages: OutboxMessage[] = [];
  for (const { target, localDate } of fresh) {
    try {
      const content = built.get(target.user.id);
      if (content === undefined) continue;
      const empty = spec.isEmpty(content);
      const payload = empty ? SKIPPED_PAYLOAD : outboxPayload(spec.kind, spec.render(content, target));
      messages.push({ recipientType: "user", recipient: target.user.slackUserId, localDate, kind: spec.kind, payload, status: empty ? "skipped" : "pending", channelId: target.user.dmChannelId });
    } catch (error) {
      logger.error(`${spec.what}: the message of user ${target.user.id} could not be built`, error);
    }
  }
  return services.repos.outbox.enqueue(messages, now);
}

/** Drops the targets that already have an outbox row for their local date and this kind (one query). */
export async function withoutRows(services: Services, due: { target: ReminderTarget; localDate: string }[], kind: string): Promise<{ target: ReminderTarget; localDate: string }[]> {
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
