import { afterAll, beforeAll, expect, it } from "vitest";
import { describeEachProvider } from "../support/providers.js";
import { startSeededApp, textOf, type SeededApp } from "../support/e2e-harness.js";
import { eventCallback, jsonBody, userChangeEvent } from "../support/slack-requests.js";
import { reminderRig, seedAccount, type ReminderRig } from "../support/reminder-fixtures.js";

const MONDAY = "2026-12-07";
const at = (iso: string) => new Date(iso);

/**
 * Slack deactivates a rep (`user_change`, `deleted: true`): their reminders stop, the departure is
 * dated (the departed-rep retention counts from it), the manager's weekly digest lists their book
 * as needing a new owner — and once it is handed over, no longer. Reactivated, it is all undone.
 */
describeEachProvider("departed reps, through Bolt and the scheduler [%s]", (provider) => {
  let t: SeededApp<"UGUS" | "UMGR" | "UADA">;
  let rig: ReminderRig;

  beforeAll(async () => {
    t = await startSeededApp({
      provider,
      now: at(`${MONDAY}T13:00:00Z`),
      users: [
        { id: "UGUS", real_name: "Gus Gone", locale: "en-US" },
        { id: "UMGR", real_name: "Mia Manager", locale: "en-US" },
        { id: "UADA", real_name: "Ada Admin", locale: "en-US", is_admin: true },
      ],
      roles: { UMGR: "manager" },
    });
    const p = t.database.db.prisma;
    const team = await p.team.create({ data: { workspaceId: t.ws.id, name: "East", nameKey: "east", managerId: t.users.UMGR.id } });
    await p.teamMember.create({ data: { teamId: team.id, userId: t.users.UGUS.id } });
    // Gamma has not been touched for 30 days: an active Gus would get a reminder about it today.
    for (const [name, touched] of [["Acme", `${MONDAY}T12:00:00Z`], ["Beta", `${MONDAY}T12:00:00Z`], ["Gamma", "2026-11-07T12:00:00Z"]] as const) {
      await seedAccount(t, t.users.UGUS, { name, tier: "growth", lastTouchAt: at(touched) });
    }
    rig = reminderRig(t);
  });
  afterAll(async () => t?.close());

  const userChange = (deleted: boolean) => t.post(jsonBody(eventCallback(userChangeEvent({ id: "UGUS", teamId: t.fake.teamId, real_name: "Gus Gone", deleted }))));

  it("a deactivated rep gets no reminder; their manager's digest lists their book as needing a new owner", async () => {
    t.clock.now = at(`${MONDAY}T13:30:00Z`);
    expect((await userChange(true)).status).toBe(200);
    await expect.poll(async () => (await t.database.db.prisma.user.findFirstOrThrow({ where: { slackUserId: "UGUS" } })).inactiveSince?.toISOString()).toBe(`${MONDAY}T13:30:00.000Z`);
    await rig.tick(at(`${MONDAY}T14:00:00Z`), ["reminders", "manager-digest"]); // 09:00 in New York
    const dms = t.fake.messages.filter((m) => m.channel === "DUMGR" && !m.ephemeral);
    const digest = textOf(dms.at(-1)!.message);
    expect(digest).toContain("*Accounts that need a new owner* — their owner left Slack:");
    expect(digest).toContain("• <@UGUS> (deactivated Mon, Dec 7) still owns 3 accounts");
    expect(t.fake.messages.filter((m) => m.channel === "DUGUS")).toEqual([]);
    expect(await t.database.db.prisma.outbox.count({ where: { recipient: "UGUS" } })).toBe(0);
    // The event is in the trail as Slack's report, not as someone's action.
    const e = await t.database.db.prisma.auditEvent.findFirstOrThrow({ where: { entity: "user", entityId: String(t.users.UGUS.id), action: "update" }, orderBy: { id: "desc" } });
    expect(e).toMatchObject({ actorKind: "slack", actorUserId: null, actorDetail: "event:user_change" });
  });

  it("a second report keeps the first date; reactivated, the departure is forgotten", async () => {
    t.clock.now = at(`${MONDAY}T15:00:00Z`);
    await userChange(true);
    await t.deliveries.settled();
    expect((await t.database.db.prisma.user.findFirstOrThrow({ where: { slackUserId: "UGUS" } })).inactiveSince?.toISOString()).toBe(`${MONDAY}T13:30:00.000Z`);
    await userChange(false);
    await expect.poll(async () => (await t.database.db.prisma.user.findFirstOrThrow({ where: { slackUserId: "UGUS" } })).inactive).toBe(false);
    expect((await t.database.db.prisma.user.findFirstOrThrow({ where: { slackUserId: "UGUS" } })).inactiveSince).toBeNull();
  });
});
