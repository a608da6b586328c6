import { Server, type ServerResponse } from "node:http";
import { App, HTTPReceiver, SocketModeReceiver, type CustomRoute, type Receiver } from "@slack/bolt";
import type { Config } from "../config/load-config.js";
import type { AppDeps } from "./deps.js";
import { registerListeners } from "./listeners/register-listeners.js";
import { subscribeCelebrations } from "./celebrations.js";
import { subscribeHandoverNotices } from "./handover-notices.js";
import { Notifier } from "./notifier.js";
import { subscribeHomeRefresh } from "./home-publisher.js";

export interface SlackApp {
  app: App;
  /** Starts listening (HTTP port, or the Socket Mode connection); returns the HTTP port bound, if any. */
  start(): Promise<{ port?: number }>;
  stop(): Promise<void>;
}

export type SlackAppConfig = Pick<Config, "botToken" | "transport" | "port" | "slackApiUrl">;

/**
 * Builds the Bolt app: Socket Mode when an app token is configured, else HTTP.
 * `notifier`: the replica's notifier for the outbox (so celebrations and handover notices share the
 * scheduler sender's pace); a new one when not given.
 */
export function createSlackApp(config: SlackAppConfig, deps: AppDeps, output: { notifier?: Notifier } = {}): SlackApp {
  const healthz: CustomRoute = {
    path: "/healthz",
    method: ["GET"],
    handler: (_req, res: ServerResponse) => {
      void deps.services.databaseUp().then((ok) => {
        res.writeHead(ok ? 200 : 503, { "content-type": "application/json" });
        res.end(JSON.stringify({ ok, database: ok ? "up" : "down" }));
      });
    },
  };
  const clientOptions = config.slackApiUrl ? { slackApiUrl: config.slackApiUrl } : {};
  let receiver: Receiver;
  if (config.transport.mode === "socket") {
    receiver = new SocketModeReceiver({
      appToken: config.transport.appToken,
      logger: deps.logger,
      customRoutes: [healthz],
      // The Socket Mode client opens its connection with apps.connections.open: same API base.
      installerOptions: { clientOptions, port: config.port },
    });
  } else {
    receiver = new HTTPReceiver({
      signingSecret: config.transport.signingSecret,
      endpoints: "/slack/events",
      port: config.port,
      logger: deps.logger,
      customRoutes: [healthz],
    });
  }
  const app = new App({
    token: config.botToken,
    receiver,
    logger: deps.logger,
    // Without it Bolt resets the shared logger to INFO, and LOG_LEVEL (debug, warn, error) is lost.
    logLevel: deps.logger.getLevel(),
    clientOptions,
    // auth.test runs on the first request instead of at construction, so a test or a start
    // with Slack briefly unreachable does not crash the process.
    deferInitialization: true,
    // Bolt's conversation store keeps per-conversation state in memory for listeners that call
    // context.updateConversation; none of ours does, and it ran on every request (2 % of CPU).
    convoStore: false,
  });
  app.error(async (error) => {
    deps.logger.error("unhandled error in a listener", error);
  });
  registerListeners(app, deps);
  // The Home tab is republished after every change a user makes ("user.changed").
  subscribeHomeRefresh(app.client, deps);
  // Deal-won celebrations in team channels, through the outbox (exactly once per deal and channel).
  const notifier = output.notifier ?? new Notifier(config.botToken, { slackApiUrl: config.slackApiUrl });
  subscribeCelebrations({ ...deps, notifier });
  // Both people of a handover (`/ae reassign`) are told by DM, through the outbox.
  subscribeHandoverNotices({ ...deps, notifier });
  return {
    app,
    start: async () => {
      await app.init();
      const server: unknown = await app.start(config.port);
      return { port: boundPort(server) };
    },
    stop: async () => {
      await app.stop();
    },
  };
}

/** The port an HTTP server is bound to (port 0 in tests picks a free one). */
function boundPort(server: unknown): number | undefined {
  if (server instanceof Server) {
    const address = server.address();
    if (address && typeof address === "object") return address.port;
  }
  return undefined;
}
