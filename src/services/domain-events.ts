import type { LineLogger } from "../logger.js";
import type { HandoverCounts, HandoverScope } from "../domain/handover.js";

/**
 * In-process events between features, so a use case never needs to know who reacts to it
 * (the Home tab refresh, the deal-won celebration). Handlers run after the change is stored;
 * a failing handler is logged and never fails the use case.
 */
export interface DomainEvents {
  /** Something the user sees on their Home tab or digest changed. */
  "user.changed": { workspaceId: number; userId: number; slackUserId: string };
  "deal.won": {
    workspaceId: number;
    dealId: number;
    ownerId: number;
    ownerSlackUserId: string;
    accountName: string;
    amountCents: number;
    currency: string;
  };
  /** A book moved from one person to another (`/ae reassign`, `ae-assistant reassign`): both are told. */
  "book.handed_over": {
    workspaceId: number;
    fromUserId: number;
    toUserId: number;
    /** Who confirmed it; null from the CLI. */
    byUserId: number | null;
    scope: HandoverScope;
    counts: HandoverCounts;
    /** When it happened (ms): part of the notices' outbox key, so each handover is told once. */
    at: number;
  };
  /** A change was committed with a write for the CRM in its transaction: the push may start now. */
  "crm.queued": Record<string, never>;
}

export type BookHandedOver = DomainEvents["book.handed_over"];

type Handler<K extends keyof DomainEvents> = (payload: DomainEvents[K]) => Promise<void> | void;

export class EventBus {
  private readonly handlers: { [K in keyof DomainEvents]?: Handler<K>[] } = {};

  constructor(private readonly logger: Pick<LineLogger, "warn">) {}

  on<K extends keyof DomainEvents>(event: K, handler: Handler<K>): void {
    const list = (this.handlers[event] ??= []) as Handler<K>[];
    list.push(handler);
  }

  /** Runs every handler; resolves when all have finished, whatever they did. */
  async emit<K extends keyof DomainEvents>(event: K, payload: DomainEvents[K]): Promise<void> {
    const list = (this.handlers[event] ?? []) as Handler<K>[];
    await Promise.all(
      list.map(async (h) => {
        try {
          await h(payload);
        } catch (error) {
          this.logger.warn(`handler for ${event} failed`, error);
        }
      }),
    );
  }
}
