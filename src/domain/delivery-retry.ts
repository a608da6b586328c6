/**
 * When a delivery that failed for a passing reason is tried again: the Slack outbox
 * (`slack/outbox-sender.ts`) and the CRM push queue (`services/crm/crm-push-service.ts`) share it.
 * Exponential backoff: 5 s, 10 s, 20 s … capped at 10 minutes.
 */
export function retryBackoffMs(attempt: number): number {
  return Math.min(600_000, 5_000 * 2 ** Math.max(0, attempt - 1));
}
