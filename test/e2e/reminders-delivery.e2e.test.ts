import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it, vi } from "vitest";
import { runCli } from "../../src/cli/main.js";
import { OUTBOX_KIND } from "../../src/services/outbox-kinds.js";
import type { OutgoingMessage } from "../../src/slack/notifier.js";
import { startTestApp, textOf, TEST_BOT_TOKEN, TEST_SIGNING_SECRET, type TestApp } from "../support/e2e-harness.js";
import { eventCallback, jsonBody, userChangeEvent } from "../support/slack-requests.js";
import type { FakeUser } from "../support/fake-slack.js";
import { DAY_MS, dmsTo, reminderRig, seedAccount, seedFollowUp, seedUser, type SeedUser } from "../support/reminder-fixtures.js";
import { providerAvailable } from "../support/providers.js";

/** Monday 2026-11-02, the day after New York's fall-back (EST, UTC−5); Berlin is on CET (UTC+1). */
const MONDAY = "2026-11-02";
const at = (iso: string) => new Date(iso);

const FAKE_USERS: FakeUser[] = [
  { id: "UNY", real_name: "Nora York", tz: "America/New_York", locale: "en-US" },
  { id: "UBER", real_name: "Bernd Berlin", tz: "Europe/Berlin", locale: "de-DE" },
  { id: "UEMPTY", real_name: "Emma Empty", tz: "America/New_York" },
  { id: "UPAUSED", real_name: "Paula Paused", tz: "America/New_York" },
  { id: "UGONE", real_name: "Gus Gone", tz: "America/New_York" },
  { id: "UNOCHAN", real_name: "Nick Nochan", tz: "America/New_York" },
  { id: "UMGR", real_name: "Mia Manager", tz: "America/New_York" },
];

let t: TestApp | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

async function app(provider: "sqlite" | "postgresql" = "sqlite"): Promise<TestApp> {
  t = await startTestApp({ provider, users: FAKE_USERS, now: at(`${MONDAY}T12:00:00Z`) });
  return t;
}

/** A user with something to say: a key account untouched for 10 days. */
async function userWithNeglect(a: TestApp, slackUserId: string, tz: string, extra: Partial<SeedUser> = {}) {
  const user = await seedUser(a, { slackUserId, tz, ...extra });
  await seedAccount(a, user, { name: `${slackUserId} Corp`, tier: "key", valueCents: 12_000_000, lastTouchAt: new Date(at(`${MONDAY}T12:00:00Z`).getTime() - 10 * DAY_MS) });
  return user;
}

describe("daily reminder delivery through the fake Slack [sqlite]", () => {
  it("sends each user exactly one DM at their own 09:00 (New York across the DST change, Berlin)", async () => {
    const a = await app();
    await userWithNeglect(a, "UNY", "America/New_York");
    const bernd = await seedUser(a, { slackUserId: "UBER", tz: "Europe/Berlin", locale: "de-DE" });
    const acct = await seedAccount(a, bernd, { name: "Bäckerei Schulz", lastTouchAt: at(`${MONDAY}T06:00:00Z`) });
    await seedFollowUp(a, bernd, acct.id, { title: "Angebot nachfassen", dueAt: at("2026-10-29T23:00:00Z") });
    const rig = reminderRig(a);

    await rig.tick(at(`${MONDAY}T07:59:00Z`)); // Berlin 08:59
    expect([dmsTo(a, "UBER"), dmsTo(a, "UNY")]).toEqual([0, 0]);
    await rig.tick(at(`${MONDAY}T08:00:00Z`)); // Berlin 09:00
    expect([dmsTo(a, "UBER"), dmsTo(a, "UNY")]).toEqual([1, 0]);
    const german = a.fake.callsTo("chat.postMessage").find((c) => c.body.channel === "DUBER");
    const text = textOf(german?.body ?? {});
    expect(text).toContain("Dein Tag");
    expect(text).toContain("Angebot nachfassen");
    expect(text).toContain("überfällig");

    await rig.tick(at(`${MONDAY}T13:00:00Z`)); // 09:00 EDT would be now: but it is 08:00 EST
    await rig.tick(at(`${MONDAY}T13:59:00Z`)); // New York 08:59
    expect(dmsTo(a, "UNY")).toBe(0);
    await rig.tick(at(`${MONDAY}T14:00:00Z`)); // New York 09:00
    expect(dmsTo(a, "UNY")).toBe(1);
    const english = a.fake.callsTo("chat.postMessage").find((c) => c.body.channel === "DUNY");
    expect(textOf(english?.body ?? {})).toContain("UNY Corp");
    expect(english?.body.metadata).toMatchObject({ event_type: "ae_outbox_delivery" });

    for (const later of ["T14:01:00Z", "T18:00:00Z", "T23:00:00Z"]) await rig.tick(at(`${MONDAY}${later}`));
    expect([dmsTo(a, "UBER"), dmsTo(a, "UNY")]).toEqual([1, 1]);
    const rows = await a.services.repos.outbox.list({ kind: OUTBOX_KIND.reminder });
    expect(rows.map((r) => [r.recipient, r.localDate, r.status]).sort()).toEqual([
      ["UBER", MONDAY, "sent"],
      ["UNY", MONDAY, "sent"],
    ]);
  });

  it("running the job twice (or catching up later the same day) still sends one DM", async () => {
    const a = await app();
    await userWithNeglect(a, "UNY", "America/New_York");
    const rig = reminderRig(a);
    const first = await rig.tick(at(`${MONDAY}T15:30:00Z`)); // a missed 09:00 tick, caught up at 10:30
    const second = await rig.tick(at(`${MONDAY}T15:30:00Z`));
    const third = await rig.scheduler.runOnce(["reminders"], at(`${MONDAY}T20:00:00Z`));
    expect(first.planned.reminders).toBe(1);
    expect([second.planned.reminders, third.planned.reminders]).toEqual([0, 0]);
    expect(dmsTo(a, "UNY")).toBe(1);
    // The next day is a new digest; the day after the cut-off nothing is caught up.
    await rig.tick(at("2026-11-03T03:00:00Z")); // Monday 22:00 in New York: past the cut-off
    expect(dmsTo(a, "UNY")).toBe(1);
  });

  it("a 429 with Retry-After, then a 500, still end in exactly one delivery", async () => {
    const a = await app();
    await userWithNeglect(a, "UNY", "America/New_York");
    const rig = reminderRig(a);
    a.fake.failNext("chat.postMessage", { status: 429, retryAfter: 1 });
    a.fake.failNext("chat.postMessage", { status: 500 });
    const t0 = at(`${MONDAY}T14:00:00Z`);

    const r1 = await rig.tick(t0);
    expect(r1.delivery).toMatchObject({ sent: 0, retried: 1 });
    let row = await a.services.repos.outbox.find("UNY", MONDAY, OUTBOX_KIND.reminder);
    expect(row).toMatchObject({ status: "pending", lastError: "ratelimited", attempts: 1 });
    expect(row?.nextAttemptAt.toISOString()).toBe("2026-11-02T14:00:01.000Z"); // after Retry-After

    expect((await rig.tick(new Date(t0.getTime() + 500))).delivery.sent).toBe(0); // not yet due
    const r2 = await rig.tick(new Date(t0.getTime() + 1000));
    expect(r2.delivery).toMatchObject({ sent: 0, retried: 1 });
    row = await a.services.repos.outbox.find("UNY", MONDAY, OUTBOX_KIND.reminder);
    expect(row).toMatchObject({ status: "pending", lastError: "http_500", attempts: 2 });

    const r3 = await rig.tick(row?.nextAttemptAt ?? t0);
    expect(r3.delivery).toMatchObject({ sent: 1 });
    expect(a.fake.callsTo("chat.postMessage").map((c) => c.status)).toEqual([429, 500, 200]);
    expect(dmsTo(a, "UNY")).toBe(1);
    // Before each retry the sender looked for an earlier delivery in the DM's history.
    expect(a.fake.callsTo("conversations.history").length).toBe(2);
    expect(await a.services.repos.outbox.find("UNY", MONDAY, OUTBOX_KIND.reminder)).toMatchObject({ status: "sent", attempts: 3 });
  });

  it("a user with nothing to report gets nothing (a skipped row, not recomputed), a paused user nothing at all", async () => {
    const a = await app();
    await seedUser(a, { slackUserId: "UEMPTY", tz: "America/New_York" });
    await userWithNeglect(a, "UPAUSED", "America/New_York", { remindersPaused: true });
    const rig = reminderRig(a);
    await rig.tick(at(`${MONDAY}T14:00:00Z`));
    await rig.tick(at(`${MONDAY}T14:05:00Z`));
    expect(a.fake.callsTo("chat.postMessage")).toHaveLength(0);
    expect(a.fake.callsTo("conversations.open")).toHaveLength(0);
    const rows = await a.services.repos.outbox.list({ kind: OUTBOX_KIND.reminder });
    expect(rows.map((r) => [r.recipient, r.status])).toEqual([["UEMPTY", "skipped"]]);
  });

  it("records account_inactive and not_in_channel as failed with the reason, and the rest of the batch still gets theirs", async () => {
    const a = await app();
    await userWithNeglect(a, "UGONE", "America/New_York");
    await userWithNeglect(a, "UNOCHAN", "America/New_York");
    await userWithNeglect(a, "UNY", "America/New_York");
    a.fake.setHandler("conversations.open", (body, ctx) => (body.users === "UGONE" ? { ok: false, error: "account_inactive" } : ctx.defaultResponse()));
    a.fake.setHandler("chat.postMessage", (body, ctx) => (body.channel === "DUNOCHAN" ? { ok: false, error: "not_in_channel" } : ctx.defaultResponse()));
    const rig = reminderRig(a);
    const report = await rig.tick(at(`${MONDAY}T14:00:00Z`));
    expect(report.delivery).toMatchObject({ sent: 1, failed: 2, retried: 0 });
    expect(dmsTo(a, "UNY")).toBe(1);
    expect(await a.services.repos.outbox.find("UGONE", MONDAY, OUTBOX_KIND.reminder)).toMatchObject({ status: "failed", lastError: "account_inactive" });
    expect(await a.services.repos.outbox.find("UNOCHAN", MONDAY, OUTBOX_KIND.reminder)).toMatchObject({ status: "failed", lastError: "not_in_channel" });
    const users = await a.database.db.prisma.user.findMany({ where: { slackUserId: { in: ["UGONE", "UNOCHAN"] } }, orderBy: { slackUserId: "asc" } });
    expect(users.map((u) => [u.slackUserId, u.inactive])).toEqual([
      ["UGONE", true],
      ["UNOCHAN", false],
    ]);
    // Failed rows are final: later ticks neither retry them nor plan again; the inactive user is no longer planned.
    await rig.tick(at(`${MONDAY}T16:00:00Z`));
    await rig.tick(at("2026-11-03T14:00:00Z"));
    expect(await a.services.repos.outbox.find("UGONE", "2026-11-03", OUTBOX_KIND.reminder)).toBeNull();
    expect(dmsTo(a, "UNY")).toBe(2);
  });

  it("opens a user's DM once: the channel is remembered, later days post to it, and a channel Slack no longer knows is opened afresh", async () => {
    const a = await app();
    const nora = await userWithNeglect(a, "UNY", "America/New_York");
    const rig = reminderRig(a);
    const opens = () => a.fake.callsTo("conversations.open").length;

    await rig.tick(at(`${MONDAY}T14:00:00Z`)); // first day: conversations.open, then the post
    expect([opens(), dmsTo(a, "UNY")]).toEqual([1, 1]);
    expect((await a.services.repos.users.findById(nora.id))?.dmChannelId).toBe("DUNY");

    await rig.tick(at("2026-11-03T14:00:00Z")); // the next day posts straight to the remembered channel
    expect([opens(), dmsTo(a, "UNY")]).toEqual([1, 2]);
    const tuesday = await a.services.repos.outbox.find("UNY", "2026-11-03", OUTBOX_KIND.reminder);
    expect(tuesday).toMatchObject({ status: "sent", channelId: "DUNY", attempts: 1 });

    // Slack forgets the channel (the app was reinstalled): the post is refused with channel_not_found,
    // the DM is opened again within the same attempt, and the new channel is remembered. One message.
    a.fake.retireDm("DUNY");
    await rig.tick(at("2026-11-04T14:00:00Z"));
    const wednesday = await a.services.repos.outbox.find("UNY", "2026-11-04", OUTBOX_KIND.reminder);
    const fresh = (await a.services.repos.users.findById(nora.id))?.dmChannelId;
    expect(fresh).toMatch(/^DUNYR/);
    expect(wednesday).toMatchObject({ status: "sent", channelId: fresh, attempts: 1 });
    expect(opens()).toBe(2);
    const posts = a.fake.callsTo("chat.postMessage").filter((c) => c.body.channel === "DUNY" || c.body.channel === fresh);
    expect(posts.map((c) => [c.body.channel, c.response?.ok === true ? "ok" : c.response?.error])).toEqual([
      ["DUNY", "ok"],
      ["DUNY", "ok"],
      ["DUNY", "channel_not_found"],
      [fresh, "ok"],
    ]);
  });

  it("a user deactivated in Slack (user_change) gets no more reminders, and gets them again when reactivated; unknown users are not created", async () => {
    const a = await app();
    const nora = await userWithNeglect(a, "UNY", "America/New_York");
    const rig = reminderRig(a);
    const usersBefore = await a.database.db.prisma.user.count();

    expect((await a.post(jsonBody(eventCallback(userChangeEvent({ id: "UNY", deleted: true }))))).status).toBe(200);
    await vi.waitFor(async () => expect((await a.services.repos.users.findById(nora.id))?.inactive).toBe(true));
    await rig.tick(at(`${MONDAY}T14:00:00Z`));
    expect(dmsTo(a, "UNY")).toBe(0);
    expect(await a.services.repos.outbox.find("UNY", MONDAY, OUTBOX_KIND.reminder)).toBeNull();

    // Someone the app has never seen changes their profile: nothing is created for them.
    await a.post(jsonBody(eventCallback(userChangeEvent({ id: "USTRANGER", real_name: "Stranger" }))));
    await a.post(jsonBody(eventCallback(userChangeEvent({ id: "UNY", deleted: false, real_name: "Nora York-Smith", tz: "America/Chicago" }))));
    await vi.waitFor(async () => expect((await a.services.repos.users.findById(nora.id))?.inactive).toBe(false));
    expect(await a.services.repos.users.findById(nora.id)).toMatchObject({ name: "Nora York-Smith", timezone: "America/Chicago" });
    await a.deliveries.settled();
    expect(await a.database.db.prisma.user.count()).toBe(usersBefore);
    await rig.tick(at("2026-11-03T15:00:00Z")); // 09:00 in Chicago
    expect(dmsTo(a, "UNY")).toBe(1);
  });

  it("after a crash mid-send, a row left 'sending' is resumed once its lease expires, and not sent again when Slack already has it", async () => {
    const a = await app();
    await userWithNeglect(a, "UNY", "America/New_York");
    await userWithNeglect(a, "UBER", "Europe/Berlin");
    const rig = reminderRig(a);
    const now = at(`${MONDAY}T14:00:00Z`);
    expect(await rig.job("reminders").plan(now)).toEqual({ enqueued: 2 });

    // A sender claims both rows, then dies: UNY's message reached Slack, UBER's did not.
    const outbox = a.services.repos.outbox;
    const claimed = await outbox.claim("crashed-worker:1", now, 60_000, 10, [OUTBOX_KIND.reminder]);
    expect(claimed.map((r) => r.recipient).sort()).toEqual(["UBER", "UNY"]);
    let deliveredTs = "";
    // The claim counted the attempt; the dead sender then posted UNY's only.
    expect(claimed.map((r) => r.attempts)).toEqual([1, 1]);
    for (const row of claimed) {
      const channel = await rig.notifier.openDm(row.recipient);
      if (row.recipient === "UNY") deliveredTs = (await rig.notifier.post(channel, JSON.parse(row.payload) as OutgoingMessage, row.id)).ts;
    }
    expect(dmsTo(a, "UNY")).toBe(1);

    // While the dead sender's lease runs, nobody touches the rows.
    const during = await rig.tick(new Date(now.getTime() + 30_000));
    expect(during.delivery).toMatchObject({ sent: 0, recovered: 0 });
    // After it expires: UNY's row is found in the DM history (our metadata) and marked sent; UBER's is sent.
    const after = await rig.tick(new Date(now.getTime() + 61_000));
    expect(after.delivery).toMatchObject({ sent: 1, recovered: 1, failed: 0 });
    expect([dmsTo(a, "UNY"), dmsTo(a, "UBER")]).toEqual([1, 1]);
    expect(await outbox.find("UNY", MONDAY, OUTBOX_KIND.reminder)).toMatchObject({ status: "sent", messageTs: deliveredTs, attempts: 2 });
    expect(await outbox.find("UBER", MONDAY, OUTBOX_KIND.reminder)).toMatchObject({ status: "sent", attempts: 2 });
  });

  it("sends a manager one weekly digest on Monday: reps behind pace and the team's neglected key accounts", async () => {
    const a = await app();
    const mia = await seedUser(a, { slackUserId: "UMGR", tz: "America/New_York", role: "manager" });
    const nora = await userWithNeglect(a, "UNY", "America/New_York");
    const p = a.database.db.prisma;
    await p.quota.create({ data: { userId: nora.id, periodType: "quarter", periodStart: "2026-10-01", amountCents: 30_000_000n } });
    const team = await p.team.create({ data: { workspaceId: mia.workspaceId, name: "East", nameKey: "east", managerId: mia.id } });
    await p.teamMember.create({ data: { teamId: team.id, userId: nora.id } });
    const rig = reminderRig(a);
    await rig.tick(at(`${MONDAY}T13:59:00Z`), ["manager-digest"]);
    expect(dmsTo(a, "UMGR")).toBe(0);
    await rig.tick(at(`${MONDAY}T14:00:00Z`), ["manager-digest"]);
    await rig.tick(at(`${MONDAY}T16:00:00Z`), ["manager-digest"]);
    await rig.tick(at("2026-11-03T14:00:00Z"), ["manager-digest"]); // Tuesday: not a manager-digest day
    expect(dmsTo(a, "UMGR")).toBe(1);
    const text = textOf(a.fake.callsTo("chat.postMessage").find((c) => c.body.channel === "DUMGR")?.body ?? {});
    expect(text).toContain("<@UNY>");
    expect(text).toContain("UNY Corp");
    expect(await a.services.repos.outbox.find("UMGR", MONDAY, OUTBOX_KIND.managerDigest)).toMatchObject({ status: "sent" });
  });

  it("`reminders preview` prints the digest without sending it", async () => {
    const a = await app();
    await userWithNeglect(a, "UNY", "America/New_York");
    const out: string[] = [];
    const err: string[] = [];
    const code = await runCli(["reminders", "preview", "--user", "UNY", "--at", `${MONDAY}T14:00:00Z`], {
      out: (l) => out.push(l),
      err: (l) => err.push(l),
      env: { DATABASE_URL: a.database.url },
    });
    expect(err).toEqual([]);
    expect(code).toBe(0);
    const printed = out.join("\n");
    expect(printed).toContain("UNY Corp");
    expect(printed).toContain("[Log touch]");
    expect(printed).toContain("nothing is sent");
    expect(a.fake.callsTo("chat.postMessage")).toHaveLength(0);
    expect(await a.services.repos.outbox.list()).toEqual([]);
  });
});

describe.runIf(providerAvailable("postgresql"))("two processes at once [postgresql]", () => {
  it("each user still gets exactly one DM when two `jobs run reminders` processes race", async () => {
    const a = await app("postgresql");
    await userWithNeglect(a, "UNY", "America/New_York");
    await userWithNeglect(a, "UBER", "Europe/Berlin");
    await seedUser(a, { slackUserId: "UEMPTY", tz: "America/New_York" });
    const tsx = fileURLToPath(import.meta.resolve("tsx"));
    const root = fileURLToPath(new URL("../../", import.meta.url));
    const env: NodeJS.ProcessEnv = {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      DATABASE_URL: a.database.url,
      SLACK_API_URL: a.fake.apiUrl,
      SLACK_BOT_TOKEN: TEST_BOT_TOKEN,
      SLACK_SIGNING_SECRET: TEST_SIGNING_SECRET,
      LOG_LEVEL: "warn",
    };
    const run = () =>
      new Promise<{ code: number | null; out: string; err: string }>((resolve, reject) => {
        const child = spawn(process.execPath, ["--import", tsx, "src/cli/main.ts", "jobs", "run", "reminders", "--at", `${MONDAY}T14:00:00Z`], { cwd: root, env });
        let out = "";
        let err = "";
        child.stdout.on("data", (d: Buffer) => (out += d.toString()));
        child.stderr.on("data", (d: Buffer) => (err += d.toString()));
        child.on("error", reject);
        child.on("close", (code) => resolve({ code, out, err }));
      });
    const [one, two] = await Promise.all([run(), run()]);
    expect([one.code, two.code], `${one.err}\n${two.err}`).toEqual([0, 0]);
    expect(`${one.out}\n${two.out}`).toContain("planned");
    expect([dmsTo(a, "UNY"), dmsTo(a, "UBER"), dmsTo(a, "UEMPTY")]).toEqual([1, 1, 0]);
    const rows = await a.services.repos.outbox.list({ kind: OUTBOX_KIND.reminder });
    expect(rows.map((r) => [r.recipient, r.status]).sort()).toEqual([
      ["UBER", "sent"],
      ["UEMPTY", "skipped"],
      ["UNY", "sent"],
    ]);
  }, 60_000);
});
