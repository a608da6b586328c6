import { afterEach, expect, it, vi } from "vitest";
import type { User } from "../../src/db/repositories/user-repository.js";
import { ACTIONS, REMINDER_LOST_MODAL, VIEWS } from "../../src/slack/ids.js";
import { startTestApp, textOf, type TestApp } from "../support/e2e-harness.js";
import type { FakeUser, SlackResponse } from "../support/fake-slack.js";
import { describeEachProvider } from "../support/providers.js";
import { blocksOf, clickInReminder, DAY_MS, dmsTo, reminderRig, rowText, seedAccount, seedUser } from "../support/reminder-fixtures.js";
import { interactionBody, stateValue, viewSubmissionPayload } from "../support/slack-requests.js";

const MONDAY_9AM = new Date("2026-11-02T14:00:00Z"); // 09:00 in New York (EST), today = 2026-11-02
const FAKE_USERS: FakeUser[] = [
  { id: "UNY", real_name: "Nora York", tz: "America/New_York", locale: "en-US" },
  { id: "UOTHER", real_name: "Otto Other", tz: "America/New_York", locale: "en-US" },
];
const ago = (days: number) => new Date(MONDAY_9AM.getTime() - days * DAY_MS);
/** Midnight of a New York date in November (EST) or October (EDT), as `/ae deal close:` stores it. */
const nyMidnight = (date: string) => new Date(`${date}T0${date < "2026-11-01" ? 4 : 5}:00:00Z`);

let t: TestApp | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

async function seedDeal(a: TestApp, owner: User, accountId: number, d: { cents: number; stage?: string; close?: string; createdAt?: Date; stageChangedAt?: Date }) {
  return a.database.db.prisma.deal.create({
    data: {
      accountId,
      ownerId: owner.id,
      amountCents: BigInt(d.cents),
      stage: d.stage ?? "proposal",
      expectedCloseAt: d.close ? nyMidnight(d.close) : null,
      createdAt: d.createdAt ?? ago(5),
      stageChangedAt: d.stageChangedAt ?? null,
    },
    select: { id: true },
  });
}

/**
 * Nora has no neglected account, no follow-up and no quota: only deals need her. Seven deals need
 * attention (ranked by amount × days late), two do not.
 */
async function noraWithDeals(provider: "sqlite" | "postgresql") {
  const a = await startTestApp({ provider, users: FAKE_USERS, now: MONDAY_9AM });
  t = a;
  const nora = await seedUser(a, { slackUserId: "UNY", tz: "America/New_York" });
  const account = (name: string, touchedDaysAgo: number) => seedAccount(a, nora, { name, lastTouchAt: ago(touchedDaysAgo) });
  const [acme, globex, initech, hooli, umbrella, vandelay, wonka] = await Promise.all([
    account("Acme", 2),
    account("Globex", 10),
    account("Initech", 1),
    account("Hooli", 1),
    account("Umbrella", 1),
    account("Vandelay", 1),
    account("Wonka", 1),
  ]);
  const deals = {
    // closed Oct 21: 12 days late × $50,000 = 600,000
    late: await seedDeal(a, nora, acme!.id, { cents: 50_000_00, close: "2026-10-21" }),
    // closes Nov 5 (3 days left: 4 days into the 7-day window), Globex untouched 10 days: 4 × $20,000 = 80,000
    soon: await seedDeal(a, nora, globex!.id, { cents: 20_000_00, stage: "negotiation", close: "2026-11-05" }),
    // in "qualified" since Sep 1: 62 days, 32 past the 30-day threshold × $10,000 = 320,000
    stalled: await seedDeal(a, nora, initech!.id, { cents: 10_000_00, stage: "qualified", createdAt: ago(90), stageChangedAt: new Date("2026-09-01T16:00:00Z") }),
    hooli: await seedDeal(a, nora, hooli!.id, { cents: 3_000_00, close: "2026-11-01" }), // 1 × 3,000
    umbrella: await seedDeal(a, nora, umbrella!.id, { cents: 2_500_00, close: "2026-10-31" }), // 2 × 2,500 = 5,000
    vandelay: await seedDeal(a, nora, vandelay!.id, { cents: 1_000_00, stage: "prospect", close: "2026-10-30" }), // 3 × 1,000 = 3,000
    wonka: await seedDeal(a, nora, wonka!.id, { cents: 100_00, close: "2026-10-29" }), // 4 × 100 = 400
  };
  await seedDeal(a, nora, acme!.id, { cents: 99_000_00, close: "2026-12-15", createdAt: ago(13) }); // on track
  await seedDeal(a, nora, initech!.id, { cents: 99_000_00, close: "2026-11-04", createdAt: ago(8) }); // soon, but touched yesterday
  const rig = reminderRig(a);
  await rig.tick(MONDAY_9AM);
  expect(dmsTo(a, "UNY")).toBe(1);
  const posted = a.fake.messages.find((m) => m.channel === "DUNY");
  if (!posted) throw new Error("no reminder posted");
  return { a, nora, deals, posted, rig };
}

const click = clickInReminder;
const dealRow = (message: SlackResponse, dealId: number) => rowText(message, `dg_deal_${dealId}`);

const hasActions = (message: SlackResponse, dealId: number) => blocksOf(message).some((b) => b.block_id === `dg_deal_${dealId}_actions`);

describeEachProvider("reminder: deals that need attention [%s]", (provider) => {
  it("lists past close date, closing soon with no touch, and stalled deals, top 5 by amount × days late, the rest counted — a reminder with only this section still goes out once", async () => {
    const { a, deals, posted, rig } = await noraWithDeals(provider);
    const text = textOf(posted.message).replace(/\u00a0/g, " ");
    expect(posted.message.text).toBe("Your day — Mon, Nov 2: 7 deals need attention");
    expect(text).toContain("Deals that need attention");
    expect(text).not.toContain("Accounts that need a touch");
    expect(text).not.toContain("Follow-ups due");
    const order = blocksOf(posted.message)
      .map((b) => /^dg_deal_(\d+)$/.exec(b.block_id ?? "")?.[1])
      .filter(Boolean)
      .map(Number);
    expect(order).toEqual([deals.late.id, deals.stalled.id, deals.soon.id, deals.umbrella.id, deals.vandelay.id]);
    expect(dealRow(posted.message, deals.late.id)).toBe("*Acme* · $50,000 · proposal\nClose date Wed, Oct 21 passed 12 days ago");
    expect(dealRow(posted.message, deals.stalled.id)).toBe("*Initech* · $10,000 · qualified\nIn qualified for 62 days without a stage change");
    expect(dealRow(posted.message, deals.soon.id)).toBe("*Globex* · $20,000 · negotiation\nCloses Thu, Nov 5 — no touch on the account for 10 days");
    expect(text).toContain("…and 2 more deals that need attention.");
    // Still at most one DM a day.
    await rig.tick(new Date(MONDAY_9AM.getTime() + 30 * 60_000));
    await a.deliveries.settled();
    expect(dmsTo(a, "UNY")).toBe(1);
  });

  it("each button does its work through the deal service and replaces its row in place; bad input is refused and changes nothing", async () => {
    const { a, nora, deals, posted } = await noraWithDeals(provider);
    const p = a.database.db.prisma;
    const updated = (n: number) => vi.waitFor(() => expect(posted.updates).toBeGreaterThanOrEqual(n), { timeout: 5000 });
    const history = (dealId: number) => p.dealStageChange.findMany({ where: { dealId }, orderBy: { id: "asc" }, select: { fromStage: true, toStage: true, byUserId: true, source: true } });

    // Push 1 week: the close date had passed, so a week from today (Mon, Nov 9).
    await click(a, posted, "UNY", ACTIONS.dealPushWeek, { value: { d: deals.late.id } });
    await updated(1);
    expect((await p.deal.findUniqueOrThrow({ where: { id: deals.late.id } })).expectedCloseAt).toEqual(nyMidnight("2026-11-09"));
    expect(dealRow(posted.message, deals.late.id)).toBe(":calendar: *Acme* · close date moved to Mon, Nov 9");
    expect(hasActions(posted.message, deals.late.id)).toBe(false);

    // The date picker: a day in the past is refused, with an example, and nothing changes.
    const refusedId = await click(a, posted, "UNY", ACTIONS.dealPushDate, { actionType: "datepicker", blockId: `dg_deal_${deals.umbrella.id}_actions`, action: { selected_date: "2026-10-01" } });
    const refusal = await a.fake.waitForResponse((r) => r.id === refusedId);
    expect(textOf(refusal.body).replace(/\u00a0/g, " ")).toContain("Thu, Oct 1 is in the past: pick today or a later day, e.g. Mon, Nov 9. Nothing was changed.");
    expect((await p.deal.findUniqueOrThrow({ where: { id: deals.umbrella.id } })).expectedCloseAt).toEqual(nyMidnight("2026-10-31"));
    expect(hasActions(posted.message, deals.umbrella.id)).toBe(true);
    // …and a picked future day moves it.
    await click(a, posted, "UNY", ACTIONS.dealPushDate, { actionType: "datepicker", blockId: `dg_deal_${deals.soon.id}_actions`, action: { selected_date: "2026-11-20" } });
    await updated(2);
    expect((await p.deal.findUniqueOrThrow({ where: { id: deals.soon.id } })).expectedCloseAt).toEqual(nyMidnight("2026-11-20"));
    expect(dealRow(posted.message, deals.soon.id)).toBe(":calendar: *Globex* · close date moved to Fri, Nov 20");

    // Won.
    await click(a, posted, "UNY", ACTIONS.dealWon, { value: { d: deals.stalled.id } });
    await updated(3);
    expect(await p.deal.findUniqueOrThrow({ where: { id: deals.stalled.id } })).toMatchObject({ status: "won", stage: "won", wonAt: MONDAY_9AM });
    expect(dealRow(posted.message, deals.stalled.id)).toBe(":trophy: *Initech* won · $10,000");
    expect(await history(deals.stalled.id)).toEqual([{ fromStage: "qualified", toStage: "won", byUserId: nora.id, source: "slack" }]);

    // Update stage.
    const option = { text: { type: "plain_text", text: "negotiation" }, value: JSON.stringify({ d: deals.vandelay.id, s: "negotiation" }) };
    await click(a, posted, "UNY", ACTIONS.dealStage, { actionType: "static_select", blockId: `dg_deal_${deals.vandelay.id}_actions`, action: { selected_option: option } });
    await updated(4);
    expect(await p.deal.findUniqueOrThrow({ where: { id: deals.vandelay.id } })).toMatchObject({ stage: "negotiation", status: "open", stageChangedAt: MONDAY_9AM });
    expect(dealRow(posted.message, deals.vandelay.id)).toBe(":arrows_clockwise: *Vandelay* moved from prospect to negotiation");
    expect(await history(deals.vandelay.id)).toEqual([{ fromStage: "prospect", toStage: "negotiation", byUserId: nora.id, source: "slack" }]);

    // Lost: asks for the reason; an empty one keeps the modal open and changes nothing.
    await click(a, posted, "UNY", ACTIONS.dealLost, { value: { d: deals.umbrella.id } });
    const opened = await a.fake.waitFor("views.open");
    expect(opened.response?.ok).toBe(true);
    const view = opened.body.view as { callback_id: string; private_metadata: string };
    expect(view.callback_id).toBe(VIEWS.reminderDealLost);
    const submit = (reason: string) =>
      a.post(
        interactionBody(
          viewSubmissionPayload({
            userId: "UNY",
            callbackId: VIEWS.reminderDealLost,
            privateMetadata: view.private_metadata,
            values: { [REMINDER_LOST_MODAL.reason]: { [REMINDER_LOST_MODAL.reason]: stateValue.plainText(reason) } },
          }),
        ),
      );
    const empty = await submit("   ");
    expect(JSON.parse(empty.text)).toEqual({ response_action: "errors", errors: { [REMINDER_LOST_MODAL.reason]: "Say why it was lost, e.g. “no budget this year”. Nothing was changed." } });
    expect(await p.deal.findUniqueOrThrow({ where: { id: deals.umbrella.id } })).toMatchObject({ status: "open", lostReason: null });
    const saved = await submit("went with a competitor");
    expect([saved.status, saved.text]).toEqual([200, ""]);
    await updated(5);
    expect(await p.deal.findUniqueOrThrow({ where: { id: deals.umbrella.id } })).toMatchObject({ status: "lost", lostReason: "went with a competitor" });
    expect(dealRow(posted.message, deals.umbrella.id)).toBe(":x: *Umbrella* marked lost — went with a competitor");
    // The modal's update keeps the DM's notification text.
    expect(a.fake.callsTo("chat.update").at(-1)?.body.text).toBe("Your day — Mon, Nov 2: 7 deals need attention");
    expect(await history(deals.umbrella.id)).toEqual([{ fromStage: "proposal", toStage: "lost", byUserId: nora.id, source: "slack" }]);

    // Every earlier mark survived the later updates; no deal buttons are left; still one DM.
    expect(blocksOf(posted.message).filter((b) => b.type === "actions")).toEqual([]);
    expect(dealRow(posted.message, deals.late.id)).toContain("close date moved");
    expect(dmsTo(a, "UNY")).toBe(1);
  });

  it("the manager's weekly digest lists the team's slipping deals by the same rules, ranked across reps, top 10 and the rest counted", async () => {
    const { a, nora } = await noraWithDeals(provider);
    const p = a.database.db.prisma;
    const mia = await seedUser(a, { slackUserId: "UMGR", tz: "America/New_York", role: "manager" });
    const otto = await seedUser(a, { slackUserId: "UOTHER", tz: "America/New_York" });
    const dan = await seedUser(a, { slackUserId: "UDAN", tz: "America/New_York" });
    const team = await p.team.create({ data: { workspaceId: mia.workspaceId, name: "East", nameKey: "east", managerId: mia.id } });
    await p.teamMember.createMany({ data: [{ teamId: team.id, userId: nora.id }, { teamId: team.id, userId: otto.id }] });
    const ottoAccount = await seedAccount(a, otto, { name: "Oscorp", lastTouchAt: ago(1) });
    // closed Oct 29: 4 days × $100,000 = 400,000, between Nora's late (600,000) and stalled (320,000) deals.
    await seedDeal(a, otto, ottoAccount.id, { cents: 100_000_00, close: "2026-10-29" });
    // Four $10 deals closed yesterday (score 10 each): the last of the twelve.
    for (let i = 0; i < 4; i++) await seedDeal(a, otto, ottoAccount.id, { cents: 10_00, stage: "prospect", close: "2026-11-01" });
    // Dan is in no team of Mia's: his slipping deal is not hers to see.
    await seedDeal(a, dan, (await seedAccount(a, dan, { name: "Dancorp", lastTouchAt: ago(1) })).id, { cents: 900_000_00, close: "2026-10-01" });

    const rig = reminderRig(a);
    await rig.tick(MONDAY_9AM, ["manager-digest"]);
    expect(dmsTo(a, "UMGR")).toBe(1);
    const digest = a.fake.messages.find((m) => m.channel === "DUMGR")!.message;
    expect(digest.text).toBe("Your team this week — Mon, Nov 2: no rep behind pace, no key account without a touch, 12 slipping deals");
    const text = textOf(digest).replace(/\u00a0/g, " ");
    expect(text).toContain(":rotating_light: *Slipping deals in your team*");
    const lines = text.split("\n").filter((l) => l.startsWith("• "));
    expect(lines).toHaveLength(10);
    expect(lines.slice(0, 4)).toEqual([
      "• *Acme* · $50,000 · proposal · <@UNY> — Close date Wed, Oct 21 passed 12 days ago",
      "• *Oscorp* · $100,000 · proposal · <@UOTHER> — Close date Thu, Oct 29 passed 4 days ago",
      "• *Initech* · $10,000 · qualified · <@UNY> — In qualified for 62 days without a stage change",
      "• *Globex* · $20,000 · negotiation · <@UNY> — Closes Thu, Nov 5 — no touch on the account for 10 days",
    ]);
    // Then Umbrella 5,000, Vandelay and Hooli 3,000 each (Vandelay is later), Wonka 400, two of Otto's $10 deals.
    expect(lines.slice(4, 8).map((l) => /\*(\w+)\*/.exec(l)?.[1])).toEqual(["Umbrella", "Vandelay", "Hooli", "Wonka"]);
    expect(lines.slice(8).every((l) => l.includes("*Oscorp* · $10 · prospect · <@UOTHER>"))).toBe(true);
    expect(text).toContain("…and 2 more slipping deals.");
    expect(text).not.toContain("Dancorp");
    // Still once a week.
    await rig.tick(new Date(MONDAY_9AM.getTime() + 60 * 60_000), ["manager-digest"]);
    expect(dmsTo(a, "UMGR")).toBe(1);
  });

  it("a manager's digest with nothing but an on-track team is not sent", async () => {
    const a = await startTestApp({ provider, users: FAKE_USERS, now: MONDAY_9AM });
    t = a;
    const mia = await seedUser(a, { slackUserId: "UMGR", tz: "America/New_York", role: "manager" });
    const nora = await seedUser(a, { slackUserId: "UNY", tz: "America/New_York" });
    const p = a.database.db.prisma;
    const team = await p.team.create({ data: { workspaceId: mia.workspaceId, name: "East", nameKey: "east", managerId: mia.id } });
    await p.teamMember.create({ data: { teamId: team.id, userId: nora.id } });
    await seedDeal(a, nora, (await seedAccount(a, nora, { name: "Acme", lastTouchAt: ago(1) })).id, { cents: 50_000_00, close: "2026-12-15" });
    const rig = reminderRig(a);
    await rig.tick(MONDAY_9AM, ["manager-digest"]);
    await a.deliveries.settled();
    expect(dmsTo(a, "UMGR")).toBe(0);
  });

  it("refuses another rep's click and a deal closed meanwhile, and changes nothing", async () => {
    const { a, deals, posted } = await noraWithDeals(provider);
    const p = a.database.db.prisma;
    await seedUser(a, { slackUserId: "UOTHER", tz: "America/New_York" });
    const otherId = await click(a, posted, "UOTHER", ACTIONS.dealWon, { value: { d: deals.late.id } });
    expect(textOf((await a.fake.waitForResponse((r) => r.id === otherId)).body)).toContain("belongs to another rep");
    await p.deal.update({ where: { id: deals.soon.id }, data: { status: "won", stage: "won" } });
    const closedId = await click(a, posted, "UNY", ACTIONS.dealPushWeek, { value: { d: deals.soon.id } });
    expect(textOf((await a.fake.waitForResponse((r) => r.id === closedId)).body)).toContain(`Deal #${deals.soon.id} (Globex) is already won. Nothing was changed.`);
    const forgedId = await click(a, posted, "UNY", ACTIONS.dealStage, { actionType: "static_select", blockId: `dg_deal_${deals.late.id}_actions`, action: { selected_option: { text: { type: "plain_text", text: "x" }, value: JSON.stringify({ d: deals.late.id, s: "won" }) } } });
    expect(textOf((await a.fake.waitForResponse((r) => r.id === forgedId)).body)).toContain("out of date");
    expect(await p.deal.findUniqueOrThrow({ where: { id: deals.late.id } })).toMatchObject({ status: "open", stage: "proposal", expectedCloseAt: nyMidnight("2026-10-21") });
    expect(a.fake.callsTo("chat.update")).toHaveLength(0);
  });

  it("records the stage history of deals made and closed by command: `/ae deal`, `/ae won`, `/ae lost`", async () => {
    const a = await startTestApp({ provider, users: FAKE_USERS, now: MONDAY_9AM });
    t = a;
    const nora = await seedUser(a, { slackUserId: "UNY", tz: "America/New_York" });
    await seedAccount(a, nora, { name: "Acme", lastTouchAt: ago(1) });
    await a.command("deal Acme 5k stage:qualified", "UNY");
    await a.command("deal Acme 7k", "UNY");
    const p = a.database.db.prisma;
    const [first, second] = await p.deal.findMany({ orderBy: { id: "asc" }, select: { id: true } });
    if (!first || !second) throw new Error("deals not created");
    expect(textOf((await a.command(`won ${first.id}`, "UNY")).reply)).toContain("won");
    expect(textOf((await a.command(`lost ${second.id} no budget`, "UNY")).reply)).toContain("lost");
    const rows = await p.dealStageChange.findMany({ orderBy: { id: "asc" }, select: { dealId: true, fromStage: true, toStage: true, byUserId: true, at: true } });
    expect(rows).toEqual([
      { dealId: first.id, fromStage: null, toStage: "qualified", byUserId: nora.id, at: MONDAY_9AM },
      { dealId: second.id, fromStage: null, toStage: "prospect", byUserId: nora.id, at: MONDAY_9AM },
      { dealId: first.id, fromStage: "qualified", toStage: "won", byUserId: nora.id, at: MONDAY_9AM },
      { dealId: second.id, fromStage: "prospect", toStage: "lost", byUserId: nora.id, at: MONDAY_9AM },
    ]);
  });
});
