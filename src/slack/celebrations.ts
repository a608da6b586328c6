import { hostname } from "node:os";
import type { AppLogger } from "../logger.js";
import type { DomainEvents } from "../services/domain-events.js";
import { voiceOf } from "../services/leaderboard-service.js";
import type { Services } from "../services/services.js";
import { celebrationMessage } from "./blocks/leaderboard-blocks.js";
import type { Notifier } from "./notifier.js";
import { translator } from "../i18n/translate.js";
import { OutboxSender } from "./outbox-sender.js";
import { OUTBOX_KIND, outboxPayload } from "../services/outbox-kinds.js";

/** The outbox date key of a deal's celebration: one per deal and channel, however often the event fires. */
export function celebrationKey(dealId: number): string {
  return `deal-${dealId}`;
}

/**
 * Enqueues a celebration for each team of the deal's owner that has celebrations on and a channel.
 * Goes through the outbox (unique per channel, deal and kind), so a repeated or retried "deal.won"
 * never posts twice, and two teams sharing a channel celebrate once. Returns how many rows are new.
 */
export async function planCelebrations(services: Services, event: DomainEvents["deal.won"], now: Date): Promise<number> {
  const teams = (await services.repos.teams.memberOf(event.ownerId)).filter(
    (t) => t.workspaceId === event.workspaceId && t.celebrateWins && t.channelId,
  );
  const rows = teams.map((team) => {
    const voice = voiceOf(team);
    const message = celebrationMessage(translator(voice.language), {
      slackUserId: event.ownerSlackUserId,
      accountName: event.accountName,
      amountCents: event.amountCents,
      currency: event.currency,
      showAmount: team.celebrateShowAmount,
      locale: voice.locale,
    });
    return {
      recipientType: "channel" as const,
      recipient: team.channelId as string,
      localDate: celebrationKey(event.dealId),
      kind: OUTBOX_KIND.celebration,
      payload: outboxPayload(OUTBOX_KIND.celebration, message),
    };
  });
  // One row per channel: the first team's wording wins when teams share a channel.
  const unique = rows.filter((r, i) => rows.findIndex((o) => o.recipient === r.recipient) === i);
  let fresh = 0;
  for (const row of unique) {
    if (await services.repos.outbox.find(row.recipient, row.localDate, row.kind)) continue;
    fresh += await services.repos.outbox.enqueue([row], now);
  }
  return fresh;
}

export interface CelebrationDeps {
  services: Services;
  notifier: Notifier;
  logger: AppLogger;
  now: () => Date;
}

/**
 * Celebrates won deals in team channels: the row is stored before the use case returns; delivery
 * starts right away in the background (a failed send is retried by the scheduler's sender).
 */
export function subscribeCelebrations(deps: CelebrationDeps): void {
  const sender = new OutboxSender(deps.services.repos.outbox, deps.notifier, deps.logger, {
    workerId: `celebrations:${hostname()}:${process.pid}`,
  });
  deps.services.events.on("deal.won", async (event) => {
    const fresh = await planCelebrations(deps.services, event, deps.now());
    if (fresh === 0) return;
    void sender.deliverDue(deps.now(), [OUTBOX_KIND.celebration]).catch((error: unknown) => deps.logger.warn("celebration delivery failed", error));
  });
}
