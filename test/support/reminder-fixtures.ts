/**
 * Helpers for the reminder end-to-end tests: seed users, accounts and follow-ups straight into the
 * test database, and run the real scheduler (jobs + outbox sender + Notifier) against the fake Slack
 * with an explicit clock.
 */
import type { User } from "../../src/db/repositories/user-repository.js";
import { createJobs, senderHooks } from "../../src/jobs/jobs.js";
import { OutboxSender } from "../../src/slack/outbox-sender.js";
import { Scheduler, type ScheduledJob } from "../../src/jobs/scheduler.js";
import { Notifier } from "../../src/slack/notifier.js";
import type { KnownBlock } from "@slack/types";
import { expect } from "vitest";
import { TEST_BOT_TOKEN, type TestApp } from "./e2e-harness.js";
import type { FakeMessage, SlackResponse } from "./fake-slack.js";
import { blockActionsPayload, interactionBody } from "./slack-requests.js";

export const DAY_MS = 86_400_000;

export interface SeedUser {
  slackUserId: string;
  tz: string;
  locale?: string;
  name?: string;
  reminderTime?: string;
  reminderDays?: string;
  remindersPaused?: boolean;
  reminderSkipDates?: string;
  role?: string;
}

export async function seedUser(t: TestApp, u: SeedUser): Promise<User> {
  const ws = await t.services.repos.workspaces.ensure("T0TEST", { timezone: "America/New_York" });
  const user = await t.services.repos.users.upsertFromSlack(ws.id, {
    slackUserId: u.slackUserId,
    name: u.name ?? u.slackUserId,
    email: null,
    timezone: u.tz,
    locale: u.locale ?? "en-US",
    isSlackAdmin: false,
    inactive: false,
  });
  return t.services.repos.users.update(user.id, {
    ...(u.reminderTime ? { reminderTime: u.reminderTime } : {}),
    ...(u.reminderDays ? { reminderDays: u.reminderDays } : {}),
    ...(u.remindersPaused !== undefined ? { remindersPaused: u.remindersPaused } : {}),
    ...(u.reminderSkipDates !== undefined ? { reminderSkipDates: u.reminderSkipDates } : {}),
    ...(u.role ? { role: u.role } : {}),
  });
}

export async function seedAccount(
  t: TestApp,
  owner: User,
  a: { name: string; tier?: string; valueCents?: number; lastTouchAt?: Date | null; createdAt?: Date },
): Promise<{ id: number; name: string }> {
  return t.database.db.prisma.account.create({
    data: {
      workspaceId: owner.workspaceId,
      ownerId: owner.id,
      name: a.name,
      nameKey: a.name.toLowerCase(),
      tier: a.tier ?? "standard",
      annualValueCents: BigInt(a.valueCents ?? 0),
      lastTouchAt: a.lastTouchAt ?? null,
      createdAt: a.createdAt ?? new Date("2025-01-01T00:00:00Z"),
    },
    select: { id: true, name: true },
  });
}

export async function seedFollowUp(t: TestApp, owner: User, accountId: number, f: { title: string; dueAt: Date }): Promise<{ id: number }> {
  return t.database.db.prisma.followUp.create({ data: { userId: owner.id, accountId, title: f.title, dueAt: f.dueAt }, select: { id: true } });
}

export interface ReminderRig {
  scheduler: Scheduler;
  sender: OutboxSender;
  notifier: Notifier;
  jobs: ScheduledJob[];
  job(name: string): ScheduledJob;
  /** One scheduler tick of the reminder job(s) at `now` (plan under the lease, then deliver). */
  tick(now: Date, only?: string[]): ReturnType<Scheduler["tick"]>;
}

/** The production scheduler, jobs and sender, talking to the fake Slack. */
export function reminderRig(t: TestApp, workerId = "test-worker"): ReminderRig {
  const notifier = new Notifier(TEST_BOT_TOKEN, { slackApiUrl: t.fake.apiUrl });
  const sender = new OutboxSender(t.services.repos.outbox, notifier, t.deps.logger, { workerId, ...senderHooks(t.services) });
  const jobs = createJobs({ services: t.services, logger: t.deps.logger, defaultTimezone: t.deps.defaultTimezone });
  const scheduler = new Scheduler(jobs, t.services.repos.leases, sender, t.deps.logger, { workerId });
  return {
    scheduler,
    sender,
    notifier,
    jobs,
    job: (name) => {
      const job = jobs.find((j) => j.name === name);
      if (!job) throw new Error(`no job ${name}`);
      return job;
    },
    tick: (now, only = ["reminders"]) => {
      t.clock.now = now;
      return scheduler.tick(now, only);
    },
  };
}

/** Successful chat.postMessage calls to one DM channel (D + user id in the fake). */
export function dmsTo(t: TestApp, slackUserId: string): number {
  return t.fake.callsTo("chat.postMessage").filter((c) => c.body.channel === `D${slackUserId}` && c.status === 200 && c.response?.ok === true).length;
}

/**
 * Clicks an element of a posted reminder as Slack would post it (the message as it is now in the
 * fake): a button with its JSON `value`, or a date picker / select (`actionType`, `blockId`,
 * `action` with selected_date / selected_option). Returns the response_url id to wait on.
 */
export async function clickInReminder(
  a: TestApp,
  posted: FakeMessage,
  userId: string,
  actionId: string,
  o: { value?: object; actionType?: string; blockId?: string; action?: Record<string, unknown> },
): Promise<string> {
  const responseUrl = a.fake.responseUrl(`click-${actionId}-${Math.random()}`);
  const payload = blockActionsPayload({
    userId,
    actionId,
    ...(o.value ? { value: JSON.stringify(o.value) } : {}),
    ...(o.actionType ? { actionType: o.actionType } : {}),
    ...(o.blockId ? { blockId: o.blockId } : {}),
    ...(o.action ? { action: o.action } : {}),
    channelId: posted.channel,
    messageTs: posted.ts,
    message: { ...posted.message },
    responseUrl,
  });
  const res = await a.post(interactionBody(payload));
  expect(res.status).toBe(200);
  return responseUrl.slice(responseUrl.lastIndexOf("/") + 1);
}

export function blocksOf(message: SlackResponse): KnownBlock[] {
  return (message.blocks ?? []) as KnownBlock[];
}

/** The text of a row's section (non-breaking spaces as spaces). */
export function rowText(message: SlackResponse, blockId: string): string {
  const b = blocksOf(message).find((x) => x.block_id === blockId);
  return b && b.type === "section" ? (b.text?.text ?? "").replace(/\u00a0/g, " ") : "";
}
