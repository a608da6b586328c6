import { exitOnStartupError, loadStartupConfig, loggerFor, openAndMigrate } from "./bootstrap.js";
import { createServices } from "./services/services.js";
import { createSlackApp } from "./slack/app.js";
import type { AppLogger } from "./logger.js";

/** Wiring only: config → db → services → Slack app → scheduler. */
async function main(): Promise<void> {
  let logger: AppLogger | undefined;
  try {
    const config = loadStartupConfig();
    logger = loggerFor(config);
    const db = await openAndMigrate(config.databaseUrl, logger);
    const now = () => new Date();
    const services = createServices(db, { defaultTimezone: config.defaultTimezone, now, logger });
    const slack = createSlackApp(config, { logger, db, services, now, defaultTimezone: config.defaultTimezone });
    await slack.start();
    logger.info(
      config.transport.mode === "socket"
        ? "AE Assistant is running in Socket Mode"
        : `AE Assistant is listening on port ${config.port} (POST /slack/events, GET /healthz)`,
    );
    const shutdown = async (signal: string) => {
      logger?.info(`${signal} received, shutting down`);
      await slack.stop().catch(() => undefined);
      await db.close().catch(() => undefined);
      process.exit(0);
    };
    process.once("SIGINT", () => void shutdown("SIGINT"));
    process.once("SIGTERM", () => void shutdown("SIGTERM"));
  } catch (error) {
    exitOnStartupError(error, logger);
  }
}

void main();
