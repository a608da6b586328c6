import type { AnyMiddlewareArgs, AllMiddlewareArgs, Middleware } from "@slack/bolt";
import type { AppDeps } from "../deps.js";

/**
 * The key that identifies one delivery across Slack's retries: the event_id of an Events API
 * callback, the trigger_id (or action_ts / view hash) of an interaction. Slash commands are never
 * retried by Slack, so they get none.
 */
export function deliveryKey(body: unknown): string | undefined {
  if (typeof body !== "object" || body === null) return undefined;
  const b = body as Record<string, unknown>;
  if (b.type === "event_callback" && typeof b.event_id === "string") return `event:${b.event_id}`;
  if (typeof b.type === "string" && typeof b.trigger_id === "string" && b.command === undefined) return `${b.type}:${b.trigger_id}`;
  const actions = b.actions;
  if (Array.isArray(actions) && actions.length > 0) {
    const a = actions[0] as Record<string, unknown>;
    if (typeof a.action_ts === "string") return `action:${a.action_id as string}:${a.action_ts}`;
  }
  return undefined;
}

/**
 * Global middleware: the first delivery of an event or interaction is recorded; a retry of one
 * already recorded (Slack sends x-slack-retry-num when it thinks we timed out) is acked and
 * dropped, so nothing runs twice.
 */
export function dedupeRetries(deps: AppDeps): Middleware<AnyMiddlewareArgs> {
  return async (args: AnyMiddlewareArgs & AllMiddlewareArgs) => {
    const key = deliveryKey(args.body);
    if (key && !(await deps.services.claimDelivery(key).catch(() => true))) {
      deps.logger.info(`dropping a repeated Slack delivery (${key}, retry ${String(args.context.retryNum ?? "?")})`);
      if ("ack" in args && typeof args.ack === "function") await (args.ack as () => Promise<void>)();
      return;
    }
    await args.next();
  };
}
