import { randomBytes } from "node:crypto";
import type { Provider } from "../../src/db/client.js";
import type { Role, User } from "../../src/db/repositories/user-repository.js";
import type { Workspace } from "../../src/db/repositories/workspace-repository.js";
import { createLogger, type AppLogger } from "../../src/logger.js";
import { createServices, type Services, type ServicesOptions } from "../../src/services/services.js";
import { createSlackApp, type SlackApp } from "../../src/slack/app.js";
import type { AppDeps } from "../../src/slack/deps.js";
import { trackDeliveries, type Deliveries } from "./deliveries.js";
import { startFakeSlack, type FakeSlack, type FakeSlackOptions, type FakeUser } from "./fake-slack.js";
import { postSigned, slashCommandBody, type SignedPostResult } from "./slack-requests.js";
import { createTestDatabase, type TestDatabase } from "./test-database.js";

export const TEST_BOT_TOKEN = "xoxb-test-0000-bot-token";
export const TEST_SIGNING_SECRET = "test-signing-secret-0123456789";

export interface TestApp {
  fake: FakeSlack;
  database: TestDatabase;
  services: Services;
  deps: AppDeps;
  slack: SlackApp;
  /** http://127.0.0.1:PORT/slack/events */
  eventsUrl: string;
  baseUrl: string;
  logs: string[];
  clock: { now: Date };
  /** Every delivery that reached the Bolt app; `deliveries.settled()` waits until the app has finished with all of them. */
  deliveries: Deliveries;
  /** Posts a signed `/ae <text>` as `userId`; returns the HTTP result and the ephemeral reply. */
  command(text: string, userId: string, opts?: { channelId?: string; triggerId?: string }): Promise<{ http: SignedPostResult; reply: Record<string, unknown>; via?: "ack" | "response_url" }>;
  /** Posts a signed `/ae <text>` and returns only the HTTP result (for forged/edge requests). */
  post(body: string, opts?: Parameters<typeof postSigned>[2]): Promise<SignedPostResult>;
  close(): Promise<void>;
}

export interface TestAppOptions {
  provider?: Provider;
  users?: FakeUser[];
  fake?: FakeSlackOptions;
  /** Frozen clock start; the app reads `clock.now`. Default: the real time. */
  now?: Date;
  /** `AppDeps.ackBudgetMs`: how long a command may work before it is acked empty. Default: the app's. */
  ackBudgetMs?: number;
  /** A configured CRM (as main.ts passes it): changes on its accounts are queued for it. */
  crm?: ServicesOptions["crm"];
}

/** The real Bolt app in HTTP mode on a free port, a fresh database, and a fake Slack. */
export async function startTestApp(opts: TestAppOptions = {}): Promise<TestApp> {
  const fake = await startFakeSlack({ users: opts.users, ...opts.fake });
  const database = await createTestDatabase(opts.provider ?? "sqlite");
  const logs: string[] = [];
  const logger: AppLogger = createLogger("debug", (line) => logs.push(line), [TEST_BOT_TOKEN, TEST_SIGNING_SECRET]);
  const clock = { now: opts.now ?? new Date() };
  const now = () => (opts.now ? clock.now : new Date());
  const services = createServices(database.db, { defaultTimezone: "America/New_York", now, logger, crm: opts.crm });
  const deps: AppDeps = { logger, db: database.db, services, now, defaultTimezone: "America/New_York", ackBudgetMs: opts.ackBudgetMs };
  const slack = createSlackApp(
    { botToken: TEST_BOT_TOKEN, transport: { mode: "http", signingSecret: TEST_SIGNING_SECRET }, port: 0, slackApiUrl: fake.apiUrl },
    deps,
  );
  const deliveries = trackDeliveries(slack.app);
  const { port } = await slack.start();
  const baseUrl = `http://127.0.0.1:${port}`;
  const eventsUrl = `${baseUrl}/slack/events`;
  const post = (body: string, o?: Parameters<typeof postSigned>[2]) => postSigned(eventsUrl, body, o ?? { secret: TEST_SIGNING_SECRET });
  return {
    fake,
    database,
    services,
    deps,
    slack,
    eventsUrl,
    baseUrl,
    logs,
    clock,
    deliveries,
    post,
    async command(text, userId, o = {}) {
      const id = randomBytes(6).toString("hex");
      const body = slashCommandBody({
        text,
        userId,
        responseUrl: fake.responseUrl(id),
        channelId: o.channelId,
        triggerId: o.triggerId,
      });
      const http = await post(body);
      if (http.status !== 200) return { http, reply: {} };
      const { body: reply, via } = await fake.commandReply(http, id, 10_000);
      return { http, reply, via };
    },
    async close() {
      await slack.stop().catch(() => undefined);
      await fake.close();
      await database.drop();
    },
  };
}

export interface SeededApp<Id extends string> extends TestApp {
  /** The workspace the users were registered in (as it was after seeding: re-read it when a test changes it). */
  ws: Workspace;
  /** Every seeded user's row, by Slack id (roles applied). */
  users: Record<Id, User>;
}

export interface SeededAppOptions<Id extends string> extends Omit<TestAppOptions, "users"> {
  users: (FakeUser & { id: Id })[];
  /** Roles to give after registration (Slack admins and owners are admins already). */
  roles?: Partial<Record<Id, Role>>;
}

/**
 * `startTestApp`, then every user registered as on first contact (a `/ae help` each, in the order given:
 * the user row is made from users.info), roles given, and the workspace and user rows read back.
 */
export async function startSeededApp<const Id extends string>(opts: SeededAppOptions<Id>): Promise<SeededApp<Id>> {
  const t = await startTestApp(opts);
  try {
    for (const { id } of opts.users) {
      const { http } = await t.command("help", id);
      if (http.status !== 200) throw new Error(`registering ${id}: /ae help answered HTTP ${http.status}`);
    }
    const ws = await t.database.db.prisma.workspace.findUniqueOrThrow({ where: { slackTeamId: t.fake.teamId } });
    const users = {} as Record<Id, User>;
    for (const { id } of opts.users) {
      const user = await t.services.repos.users.findBySlackId(ws.id, id);
      if (!user) throw new Error(`${id} was not registered by /ae help`);
      const role = opts.roles?.[id];
      users[id] = role ? await t.services.repos.users.update(user.id, { role }) : user;
    }
    return Object.assign(t, { ws, users });
  } catch (error) {
    await t.close();
    throw error;
  }
}

/** All visible text of a Slack message (text + every block's text), for assertions. */
export function textOf(message: Record<string, unknown>): string {
  const parts: string[] = [];
  const walk = (v: unknown) => {
    if (typeof v === "string") return;
    if (Array.isArray(v)) return v.forEach(walk);
    if (v && typeof v === "object") {
      for (const [k, val] of Object.entries(v)) {
        if ((k === "text" || k === "alt_text") && typeof val === "string") parts.push(val);
        else walk(val);
      }
    }
  };
  walk(message.blocks);
  if (typeof message.text === "string") parts.unshift(message.text);
  return parts.join("\n");
}
