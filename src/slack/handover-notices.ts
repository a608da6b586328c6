import { hostname } from "node:os";
import type { AppLogger } from "../logger.js";
import { toActor } from "../services/actor-service.js";
import type { BookHandedOver } from "../services/domain-events.js";
import { OUTBOX_KIND, outboxPayload } from "../services/outbox-kinds.js";
import type { Services } from "../services/services.js";
import { translator } from "../i18n/translate.js";
import { handoverNotice } from "./blocks/handover-blocks.js";
import type { Notifier } from "./notifier.js";
import { OutboxSender } from "./outbox-sender.js";

/** The outbox date key of a handover's notices: one per person and handover, however often planned. */
export function handoverKey(e: BookHandedOver): string {
  return `handover-${e.fromUserId}-${e.toUserId}-${e.at}`;
}

/**
 * Enqueues a DM to each of the two people a book moved between, each in their own language. Goes
 * through the outbox (unique per person, handover and kind), so it is delivered exactly once even
 * when the app restarts in between; the CLI enqueues the same rows for the running app to send.
 * Returns how many rows are new.
 */
export async function planHandoverNotices(services: Services, e: BookHandedOver, now: Date, defaultTimezone: string): Promise<number> {
  const [workspace, giver, taker, by] = await Promise.all([
    services.repos.workspaces.findById(e.workspaceId),
    services.repos.users.findById(e.fromUserId),
    services.repos.users.findById(e.toUserId),
    e.byUserId === null ? Promise.resolve(null) : services.repos.users.findById(e.byUserId),
  ]);
  if (!workspace || !giver || !taker) return 0;
  const rows = (["giver", "taker"] as const).flatMap((role) => {
    const user = role === "giver" ? giver : taker;
    if (user.inactive) return [];
    const t = translator(toActor(user, workspace, defaultTimezone).language);
    const message = handoverNotice(t, role, {
      by: by ? `<@${by.slackUserId}>` : t("reassign.byAdmin"),
      giver: giver.slackUserId,
      taker: taker.slackUserId,
      counts: e.counts,
    });
    return [{ recipientType: "user" as const, recipient: user.slackUserId, localDate: handoverKey(e), kind: OUTBOX_KIND.handover, payload: outboxPayload(OUTBOX_KIND.handover, message) }];
  });
  return services.repos.outbox.enqueue(rows, now);
}

export interface HandoverNoticeDeps {
  services: Services;
  notifier: Notifier;
  logger: AppLogger;
  now: () => Date;
  defaultTimezone: string;
}

/** Tells both people of every handover made in this process, at once (the scheduler retries failures). */
export function subscribeHandoverNotices(deps: HandoverNoticeDeps): void {
  const sender = new OutboxSender(deps.services.repos.outbox, deps.notifier, deps.logger, { workerId: `handover:${hostname()}:${process.pid}` });
  deps.services.events.on("book.handed_over", async (event) => {
    const fresh = await planHandoverNotices(deps.services, event, deps.now(), deps.defaultTimezone);
    if (fresh === 0) return;
    void sender.deliverDue(deps.now(), [OUTBOX_KIND.handover]).catch((error: unknown) => deps.logger.warn("handover notice delivery failed", error));
  });
}
