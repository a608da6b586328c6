import { afterEach, describe, expect, it, vi } from "vitest";
import { ACTIONS, REMINDER_TOUCH_MODAL, SETTINGS_MODAL, VIEWS } from "../../src/slack/ids.js";
import { startTestApp, textOf, type TestApp } from "../support/e2e-harness.js";
import type { FakeUser, SlackResponse } from "../support/fake-slack.js";
import { blocksOf, clickInReminder, DAY_MS, dmsTo, reminderRig, rowText, seedAccount, seedFollowUp, seedUser } from "../support/reminder-fixtures.js";
import {
  appHomeOpenedEvent,
  blockActionsPayload,
  eventCallback,
  interactionBody,
  jsonBody,
  newTriggerId,
  slashCommandBody,
  stateValue,
  viewSubmissionPayload,
} from "../support/slack-requests.js";

const MONDAY_9AM = new Date("2026-11-02T14:00:00Z"); // 09:00 in New York (EST)
const FAKE_USERS: FakeUser[] = [
  { id: "UNY", real_name: "Nora York", tz: "America/New_York", locale: "en-US" },
  { id: "UBER", real_name: "Bernd Berlin", tz: "Europe/Berlin", locale: "de-DE" },
  { id: "UOTHER", real_name: "Otto Other", tz: "America/New_York" },
  { id: "UEMPTY", real_name: "Emma Empty", tz: "America/New_York" },
];

let t: TestApp | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

/** Nora: two neglected accounts and two follow-ups due; her digest goes out at 09:00. */
async function noraWithDigest() {
  const a = await startTestApp({ users: FAKE_USERS, now: MONDAY_9AM });
  t = a;
  const nora = await seedUser(a, { slackUserId: "UNY", tz: "America/New_York" });
  const acme = await seedAccount(a, nora, { name: "Acme Corp", tier: "key", valueCents: 12_000_000, lastTouchAt: new Date(MONDAY_9AM.getTime() - 10 * DAY_MS) });
  const globex = await seedAccount(a, nora, { name: "Globex", tier: "growth", valueCents: 5_000_000, lastTouchAt: new Date(MONDAY_9AM.getTime() - 20 * DAY_MS) });
  const call = await seedFollowUp(a, nora, acme.id, { title: "Send the proposal", dueAt: new Date("2026-10-30T04:00:00Z") });
  const demo = await seedFollowUp(a, nora, globex.id, { title: "Book the demo", dueAt: new Date("2026-11-02T05:00:00Z") });
  const rig = reminderRig(a);
  await rig.tick(MONDAY_9AM);
  expect(dmsTo(a, "UNY")).toBe(1);
  const posted = a.fake.messages.find((m) => m.channel === "DUNY");
  if (!posted) throw new Error("no digest posted");
  return { a, nora, acme, globex, call, demo, posted };
}

type Posted = Awaited<ReturnType<typeof noraWithDigest>>["posted"];

/** Clicks a digest button with its JSON value. */
function click(a: TestApp, posted: Posted, userId: string, actionId: string, value: object) {
  return clickInReminder(a, posted, userId, actionId, { value });
}

describe("digest buttons [sqlite]", () => {
  it("snooze, done, snooze follow-up and log touch each do their work and update the DM in place", async () => {
    const { a, acme, globex, call, demo, posted } = await noraWithDigest();
    const p = a.database.db.prisma;
    a.clock.now = new Date("2026-11-02T19:03:00Z"); // 14:03 in New York

    // Snooze Globex for a day: back in tomorrow's digest (start of Tuesday, New York).
    await click(a, posted, "UNY", ACTIONS.snoozeAccount1d, { a: globex.id });
    await vi.waitFor(() => expect(posted.updates).toBeGreaterThanOrEqual(1), { timeout: 5000 });
    expect((await p.account.findUniqueOrThrow({ where: { id: globex.id } })).snoozedUntil?.toISOString()).toBe("2026-11-03T05:00:00.000Z");
    const update1 = a.fake.callsTo("chat.update")[0];
    expect(update1?.body).toMatchObject({ channel: "DUNY", ts: posted.ts });
    expect(rowText(posted.message, `dg_acct_${globex.id}`)).toContain("snoozed");
    expect(blocksOf(posted.message).some((b) => b.block_id === `dg_acct_${globex.id}_actions`)).toBe(false);
    expect(blocksOf(posted.message).some((b) => b.block_id === `dg_acct_${acme.id}_actions`)).toBe(true);

    // Done on a follow-up.
    await click(a, posted, "UNY", ACTIONS.followUpDone, { f: call.id });
    await vi.waitFor(() => expect(posted.updates).toBeGreaterThanOrEqual(2), { timeout: 5000 });
    expect(await p.followUp.findUniqueOrThrow({ where: { id: call.id } })).toMatchObject({ status: "done" });
    expect(rowText(posted.message, `dg_fu_${call.id}`)).toMatch(/Done: \*Send the proposal\* — Acme Corp · 2:03\sPM/);

    // Snooze the other follow-up: hidden until tomorrow.
    await click(a, posted, "UNY", ACTIONS.followUpSnooze, { f: demo.id });
    await vi.waitFor(() => expect(posted.updates).toBeGreaterThanOrEqual(3), { timeout: 5000 });
    expect((await p.followUp.findUniqueOrThrow({ where: { id: demo.id } })).snoozedUntil?.toISOString()).toBe("2026-11-03T05:00:00.000Z");
    expect(rowText(posted.message, `dg_fu_${demo.id}`)).toContain("snoozed until");

    // Log touch: opens the modal, the submission stores the touch and marks the row.
    await click(a, posted, "UNY", ACTIONS.logTouch, { a: acme.id });
    const opened = await a.fake.waitFor("views.open");
    expect(opened.response?.ok).toBe(true);
    const view = opened.body.view as { callback_id: string; private_metadata: string };
    expect(view.callback_id).toBe(VIEWS.reminderLogTouch);
    const submit = viewSubmissionPayload({
      userId: "UNY",
      callbackId: VIEWS.reminderLogTouch,
      privateMetadata: view.private_metadata,
      values: {
        [REMINDER_TOUCH_MODAL.kind]: { [REMINDER_TOUCH_MODAL.kind]: stateValue.staticSelect("call") },
        [REMINDER_TOUCH_MODAL.note]: { [REMINDER_TOUCH_MODAL.note]: stateValue.plainText("Talked pricing") },
      },
    });
    const res = await a.post(interactionBody(submit));
    expect([res.status, res.text]).toEqual([200, ""]);
    await vi.waitFor(() => expect(posted.updates).toBeGreaterThanOrEqual(4), { timeout: 5000 });
    const touch = await p.touch.findFirstOrThrow({ where: { accountId: acme.id } });
    expect(touch).toMatchObject({ kind: "call", note: "Talked pricing", source: "modal" });
    expect((await p.account.findUniqueOrThrow({ where: { id: acme.id } })).lastTouchAt?.toISOString()).toBe("2026-11-02T19:03:00.000Z");
    expect(rowText(posted.message, `dg_acct_${acme.id}`)).toMatch(/Logged a call on \*Acme Corp\* — 2:03\sPM/);

    // Every earlier mark survived the later updates; no buttons are left.
    const final = textOf(posted.message);
    expect(final).toContain("snoozed");
    expect(final).toContain("Done: *Send the proposal*");
    expect(blocksOf(posted.message).filter((b) => b.type === "actions")).toEqual([]);
    expect(a.fake.callsTo("chat.update")).toHaveLength(4);
    // Each change refreshed Nora's Home tab.
    await vi.waitFor(() => expect(a.fake.homeViews.has("UNY")).toBe(true), { timeout: 5000 });
  });

  it("refuses a click on someone else's record and changes nothing", async () => {
    const { a, acme, posted } = await noraWithDigest();
    await seedUser(a, { slackUserId: "UOTHER", tz: "America/New_York" });
    const id = await click(a, posted, "UOTHER", ACTIONS.snoozeAccount1w, { a: acme.id });
    const reply = await a.fake.waitForResponse((r) => r.id === id);
    expect(textOf(reply.body)).toContain("belongs to another rep");
    expect((await a.database.db.prisma.account.findUniqueOrThrow({ where: { id: acme.id } })).snoozedUntil).toBeNull();
    expect(a.fake.callsTo("chat.update")).toHaveLength(0);
  });

  it("answers a forged button value without changing anything", async () => {
    const { a, posted } = await noraWithDigest();
    const id = await click(a, posted, "UNY", ACTIONS.followUpDone, { f: "1; DROP TABLE" });
    expect(textOf((await a.fake.waitForResponse((r) => r.id === id)).body)).toContain("out of date");
  });
});

describe("/ae today, /ae settings and the Home tab [sqlite]", () => {
  it("/ae today shows what the reminder would say, and a friendly note when nothing needs you", async () => {
    const { a } = await noraWithDigest();
    const { reply } = await a.command("today", "UNY");
    expect(reply.response_type).toBe("ephemeral");
    const text = textOf(reply);
    expect(text).toContain("Acme Corp");
    expect(text).toContain("Send the proposal");
    expect(text).toContain("Your next reminder");
    await seedUser(a, { slackUserId: "UEMPTY", tz: "America/New_York" });
    expect(textOf((await a.command("today", "UEMPTY")).reply)).toContain("Nothing needs you today");
  });

  it("/ae today answers in German for a de-DE user, and its buttons re-render the ephemeral reply", async () => {
    const a = await startTestApp({ users: FAKE_USERS, now: new Date("2026-11-02T08:30:00Z") });
    t = a;
    const bernd = await seedUser(a, { slackUserId: "UBER", tz: "Europe/Berlin", locale: "de-DE" });
    const acct = await seedAccount(a, bernd, { name: "Bäckerei Schulz", tier: "key", lastTouchAt: new Date("2026-10-01T08:00:00Z") });
    const { reply } = await a.command("heute", "UBER");
    expect(textOf(reply)).toContain("Deine Übersicht für heute");
    expect(textOf(reply)).toContain("Kontakt erfassen");
    const responseUrl = a.fake.responseUrl("eph-1");
    const payload = blockActionsPayload({ userId: "UBER", actionId: ACTIONS.snoozeAccount1w, value: JSON.stringify({ a: acct.id }), isEphemeral: true, responseUrl });
    await a.post(interactionBody(payload));
    const replaced = await a.fake.waitForResponse((r) => r.id === "eph-1");
    expect(replaced.body.replace_original).toBe(true);
    expect(textOf(replaced.body)).toContain("schlummert");
    expect(textOf(replaced.body)).toContain("Heute braucht dich nichts");
    expect((await a.database.db.prisma.account.findUniqueOrThrow({ where: { id: acct.id } })).snoozedUntil?.toISOString()).toBe("2026-11-08T23:00:00.000Z");
  });

  it("/ae settings opens the modal, shows validation errors inline, and saves valid settings", async () => {
    const a = await startTestApp({ users: FAKE_USERS, now: MONDAY_9AM });
    t = a;
    await seedUser(a, { slackUserId: "UNY", tz: "America/New_York" });
    // The subcommand answers with the modal only (no ephemeral reply).
    const sent = await a.post(slashCommandBody({ text: "settings", userId: "UNY", responseUrl: a.fake.responseUrl("settings"), triggerId: newTriggerId() }));
    expect(sent.status).toBe(200);
    const opened = await a.fake.waitFor("views.open");
    const view = opened.body.view as { callback_id: string; blocks: { block_id?: string }[] };
    expect(view.callback_id).toBe(VIEWS.settings);
    expect(view.blocks.map((b) => b.block_id).filter(Boolean)).toEqual(Object.values(SETTINGS_MODAL));

    const values = (o: { time?: string | null; days?: string[]; zone?: string; skip?: string; paused?: boolean; language?: string }) => ({
      [SETTINGS_MODAL.time]: { [SETTINGS_MODAL.time]: stateValue.timepicker(o.time === undefined ? "08:15" : o.time) },
      [SETTINGS_MODAL.days]: { [SETTINGS_MODAL.days]: stateValue.checkboxes(o.days ?? ["1", "2", "3"]) },
      [SETTINGS_MODAL.language]: { [SETTINGS_MODAL.language]: stateValue.staticSelect(o.language ?? "de") },
      [SETTINGS_MODAL.zone]: { [SETTINGS_MODAL.zone]: stateValue.plainText(o.zone ?? "Europe/Berlin") },
      [SETTINGS_MODAL.pause]: { [SETTINGS_MODAL.pause]: stateValue.checkboxes(o.paused ? ["paused"] : []) },
      [SETTINGS_MODAL.skipDates]: { [SETTINGS_MODAL.skipDates]: stateValue.plainText(o.skip ?? "2026-12-24, 2026-12-31") },
    });
    const bad = await a.post(interactionBody(viewSubmissionPayload({ userId: "UNY", callbackId: VIEWS.settings, values: values({ days: [], zone: "Mars/Olympus", skip: "24.12.2026" }) })));
    expect(bad.json).toMatchObject({
      response_action: "errors",
      errors: {
        [SETTINGS_MODAL.days]: expect.stringContaining("at least one day") as unknown,
        [SETTINGS_MODAL.zone]: expect.stringContaining("Mars/Olympus") as unknown,
        [SETTINGS_MODAL.skipDates]: expect.stringContaining("24.12.2026") as unknown,
      },
    });
    const ws = await a.database.db.prisma.workspace.findUniqueOrThrow({ where: { slackTeamId: "T0TEST" } });
    expect((await a.services.repos.users.findBySlackId(ws.id, "UNY"))?.reminderTime).toBe("09:00");

    const good = await a.post(interactionBody(viewSubmissionPayload({ userId: "UNY", callbackId: VIEWS.settings, values: values({ paused: true }) })));
    expect([good.status, good.text]).toEqual([200, ""]);
    expect(await a.services.repos.users.findBySlackId(ws.id, "UNY")).toMatchObject({
      reminderTime: "08:15",
      reminderDays: "1,2,3",
      language: "de",
      timezoneOverride: "Europe/Berlin",
      remindersPaused: true,
      reminderSkipDates: "2026-12-24,2026-12-31",
    });
    const home = await a.fake.waitFor("views.publish");
    expect(textOf(home.body.view as SlackResponse)).toContain("pausiert");
  });

  it("publishes the Home dashboard on app_home_opened (quota, neglected accounts, follow-ups, actions) and opens settings from it", async () => {
    const { a, nora } = await noraWithDigest();
    await a.database.db.prisma.quota.create({ data: { userId: nora.id, periodType: "quarter", periodStart: "2026-10-01", amountCents: 30_000_000n } });
    const res = await a.post(jsonBody(eventCallback(appHomeOpenedEvent({ userId: "UNY" }))));
    expect(res.status).toBe(200);
    const published = await a.fake.waitFor("views.publish", (c) => c.body.user_id === "UNY");
    const view = published.body.view as SlackResponse;
    expect(view.type).toBe("home");
    const text = textOf(view);
    expect(text).toContain("Quota — Q4 FY2026");
    expect(text).toContain("Behind linear pace");
    expect(text).toContain("Acme Corp");
    expect(text).toContain("Book the demo");
    expect(text).toContain("Next daily reminder");
    const actionIds = blocksOf(view).flatMap((b) => (b.type === "actions" ? b.elements.map((e) => ("action_id" in e ? e.action_id : "")) : []));
    for (const id of [ACTIONS.homeAddAccount, ACTIONS.homeLogTouch, ACTIONS.homeAddFollowUp, ACTIONS.homeAddDeal, ACTIONS.homeSettings]) expect(actionIds).toContain(id);
    expect(blocksOf(view).length).toBeLessThanOrEqual(100);

    const open = blockActionsPayload({ userId: "UNY", actionId: ACTIONS.homeSettings, view: { id: "VHOME", type: "home" } });
    await a.post(interactionBody(open));
    const modal = await a.fake.waitFor("views.open");
    expect((modal.body.view as { callback_id: string }).callback_id).toBe(VIEWS.settings);
  });

  it("Open on a digest row shows the account page in a modal", async () => {
    const { a, acme, posted } = await noraWithDigest();
    await click(a, posted, "UNY", ACTIONS.openAccount, { a: acme.id });
    const opened = await a.fake.waitFor("views.open");
    const view = opened.body.view as SlackResponse;
    expect(view.callback_id).toBe(VIEWS.accountSummary);
    expect(textOf(view)).toContain("Acme Corp");
  });
});
