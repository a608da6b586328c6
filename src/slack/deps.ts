import type { AppLogger } from "../logger.js";
import type { Database } from "../db/client.js";
import type { Services } from "../services/services.js";

/** What every listener receives. Listeners call services; they hold no business rules. */
export interface AppDeps {
  logger: AppLogger;
  /**
   * @deprecated Not read by src/slack: the database is reached through `services` (health check,
   * retry de-duplication included). Optional only until test/support stops passing it.
   */
  db?: Database;
  services: Services;
  /** The clock: injected so tests and `jobs run --at` can freeze it. */
  now: () => Date;
  defaultTimezone: string;
  /**
   * How long a slash command may work before it is acknowledged empty and answered through
   * `response_url` instead of in the acknowledgement (`COMMAND_ACK_BUDGET_MS`; default 2 000).
   */
  ackBudgetMs?: number;
}
