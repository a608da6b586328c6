import { spawn } from "node:child_process";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createJobs } from "../../src/jobs/jobs.js";
import { OutboxSender } from "../../src/slack/outbox-sender.js";
import { Scheduler } from "../../src/jobs/scheduler.js";
import { Notifier } from "../../src/slack/notifier.js";
import { startTestApp, TEST_BOT_TOKEN, TEST_SIGNING_SECRET, textOf, type TestApp } from "../support/e2e-harness.js";
import { startFakeSlack, type FakeSlack, type FakeSlackCall } from "../support/fake-slack.js";
import { SEED, seedLeaderboardTeam, type SeededTeam } from "../support/leaderboard-seed.js";
import { decodePng } from "../support/png.js";
import { describeEachProvider, providerAvailable } from "../support/providers.js";
import { createTestDatabase, type TestDatabase } from "../support/test-database.js";

/** The rows of the code-block tables in a message's blocks, cells split on 2+ spaces (header rows dropped). */
function tableRows(blocks: unknown): string[][] {
  return (Array.isArray(blocks) ? blocks : [])
    .flatMap((b: { text?: { text?: string } }) => {
      const m = /^```\n([\s\S]*)\n```$/.exec(b.text?.text ?? "");
      return m ? m[1]!.split("\n").slice(1) : [];
    })
    .map((l) => l.trim().split(/\s{2,}/));
}

const EXPECTED_WEEK = [
  ["1", "Ann Adams", "60%", "$60K", "1", "3"],
  ["1", "Bob Baker", "60%", "$0", "0", "1"],
  ["3", "Cat Chen", "25%", "$20K", "1", "0"],
  ["4", "Dan Diaz", "0%", "$0", "0", "0"],
  ["Eve Evans", "$10K", "1", "0"],
];

/** The upload calls of one files.uploadV2, checked for shape; returns the uploaded bytes. */
function checkUpload(fake: FakeSlack, calls: FakeSlackCall[], channel: string): Buffer {
  const get = calls.filter((c) => c.method === "files.getUploadURLExternal");
  const complete = calls.filter((c) => c.method === "files.completeUploadExternal");
  expect(get).toHaveLength(1);
  expect(complete).toHaveLength(1);
  const fileId = String(get[0]!.response?.file_id);
  expect(get[0]!.body.filename).toMatch(/^leaderboard-team-\d+-2026-W15\.png$/);
  const bytes = fake.uploads.get(fileId);
  expect(bytes).toBeDefined();
  expect(Number(get[0]!.body.length)).toBe(bytes!.length);
  expect(complete[0]!.body.channel_id).toBe(channel);
  expect(complete[0]!.body.files).toEqual([{ id: fileId, title: `West Coast — Apr 6 – Apr 12, 2026` }]);
  expect(complete[0]!.response).toMatchObject({ ok: true, files: [{ mimetype: "image/png" }] });
  return bytes!;
}

describeEachProvider("team leaderboards in the channel [%s]", (provider) => {
  let t: TestApp;
  let seed: SeededTeam;
  let run: (at: string) => ReturnType<Scheduler["runOnce"]>;

  beforeAll(async () => {
    t = await startTestApp({
      provider,
      now: new Date(SEED.weeklyPostAt),
      fake: { channels: [{ id: SEED.channelId, name: "sales", is_member: true }] },
    });
    seed = await seedLeaderboardTeam(t.database.db.prisma);
    const notifier = new Notifier(TEST_BOT_TOKEN, { slackApiUrl: t.fake.apiUrl });
    const sender = new OutboxSender(t.services.repos.outbox, notifier, t.deps.logger, { workerId: "test-sender" });
    const jobs = createJobs({ services: t.services, logger: t.deps.logger, defaultTimezone: "America/New_York" });
    const scheduler = new Scheduler(jobs, t.services.repos.leases, sender, t.deps.logger, { workerId: "test-scheduler" });
    run = (at) => scheduler.runOnce(["leaderboards"], new Date(at), 5_000);
  });
  afterAll(async () => t?.close());

  const posts = () => t!.fake.callsTo("chat.postMessage").filter((c) => c.body.channel === SEED.channelId && c.response?.ok === true);

  it("sends the weekly post once, ranked by attainment with ties and the rep without quota apart, with the chart", async () => {
    const report = await run(SEED.weeklyPostAt);
    expect(report.planned).toEqual({ leaderboards: 1 });
    expect(report.delivery).toMatchObject({ sent: 1, failed: 0 });
    expect(posts()).toHaveLength(1);
    const post = posts()[0]!;
    expect(textOf(post.body)).toContain(":trophy: West Coast — Apr 6 – Apr 12, 2026");
    expect(textOf(post.body)).toContain("Ranked by Q2 FY2026 attainment to date");
    expect(tableRows(post.body.blocks)).toEqual(EXPECTED_WEEK);
    expect(textOf(post.body)).not.toContain("Olga");

    // The chart went up after the post, to the same channel.
    const after = t.fake.calls.slice(t.fake.calls.indexOf(post));
    const png = checkUpload(t.fake, after, SEED.channelId);
    const { width, height } = decodePng(png);
    expect(width).toBe(1920);
    expect(height).toBeGreaterThan(300);
    const row = await t.services.repos.outbox.find(SEED.channelId, `team-${seed.teamId}:${SEED.weekKey}`, "leaderboard_week");
    expect(row).toMatchObject({ status: "sent", attempts: 1, messageTs: post.response?.ts });
  });

  it("does not send it again on a second run, later the same day", async () => {
    const report = await run("2026-04-13T16:00:00Z");
    expect(report.planned).toEqual({ leaderboards: 0 });
    expect(report.delivery.sent).toBe(0);
    expect(posts()).toHaveLength(1);
    expect(t.fake.callsTo("files.completeUploadExternal")).toHaveLength(1);
  });

  it("/ae leaderboard shows the same content ephemerally, without an upload", async () => {
    const uploads = t.fake.callsTo("files.getUploadURLExternal").length;
    // The current quarter to date: Dan's and Cat's 13 April wins now count.
    const { reply } = await t.command("leaderboard quarter", SEED.users.ann);
    expect(reply.response_type).toBe("ephemeral");
    expect(textOf(reply)).toContain(":trophy: West Coast — Q2 FY2026");
    expect(tableRows(reply.blocks).map((r) => r.slice(0, 3))).toEqual([
      ["1", "Dan Diaz", "125%"],
      ["2", "Cat Chen", "60%"],
      ["2", "Ann Adams", "60%"],
      ["2", "Bob Baker", "60%"],
      ["Eve Evans", "$10K", "1"],
    ]);
    expect(t.fake.callsTo("files.getUploadURLExternal")).toHaveLength(uploads);
  });

  it("posts the closed month and quarter on the first day of the next quarter; a failed chart never holds the post back", async () => {
    t.fake.failNext("files.getUploadURLExternal", { error: "internal_error" });
    const before = posts().length;
    const report = await run("2026-07-01T07:30:00Z"); // 09:30 in Berlin
    expect(report.planned).toEqual({ leaderboards: 2 });
    expect(report.delivery).toMatchObject({ sent: 2, failed: 0, retried: 0 });
    const fresh = posts().slice(before);
    expect(fresh.map((p) => textOf(p.body).split("\n")[0])).toEqual(
      expect.arrayContaining([expect.stringContaining("June 2026"), expect.stringContaining("Q2 FY2026")]),
    );
    const quarterRow = await t.services.repos.outbox.find(SEED.channelId, `team-${seed.teamId}:FY2026-Q2`, "leaderboard_quarter");
    expect(quarterRow?.status).toBe("sent");
    expect(t.logs.some((l) => l.includes("WARN") && l.includes("chart could not be attached"))).toBe(true);
  });

  it("celebrates a won deal in the team channel once, however often the event fires", async () => {
    const event = {
      workspaceId: seed.workspaceId,
      dealId: 777,
      ownerId: seed.userIds.ann,
      ownerSlackUserId: SEED.users.ann,
      accountName: "Globex <Intl>",
      amountCents: 4_200_000,
      currency: "USD",
    };
    await t.services.events.emit("deal.won", event);
    const call = await t.fake.waitFor("chat.postMessage", (c) => typeof c.body.text === "string" && c.body.text.includes("just closed"));
    expect(call.body.channel).toBe(SEED.channelId);
    expect(call.body.text).toBe(":tada: <@UANN> just closed *Globex &lt;Intl&gt;* for *$42,000*! Congratulations!");
    const celebrations = async () => (await t!.services.repos.outbox.list({ kind: "celebration" })).map((r) => [r.localDate, r.status]);
    const postsFor777 = () => t!.fake.callsTo("chat.postMessage").filter((c) => String(c.body.text).includes("just closed *Globex &lt;Intl&gt;* for"));
    // The first delivery has finished once its row is "sent" (it is marked after the post).
    await expect.poll(celebrations, { timeout: 5000 }).toEqual([["deal-777", "sent"]]);
    await t.services.events.emit("deal.won", event);
    // emit resolves once the handler has returned; a second post could only come from a second row,
    // which it did not plan (the only other way, the first row sent again, is over: it is "sent").
    expect(await celebrations()).toEqual([["deal-777", "sent"]]);
    expect(t.fake.callsTo("chat.postMessage").filter((c) => String(c.body.text).includes("just closed"))).toHaveLength(1);

    await t.services.repos.teams.update(seed.teamId, { celebrateShowAmount: false });
    await t.services.events.emit("deal.won", { ...event, dealId: 778 });
    const hidden = await t.fake.waitFor("chat.postMessage", (c) => String(c.body.text).includes("just closed") && !String(c.body.text).includes("$"));
    expect(hidden.body.text).toBe(":tada: <@UANN> just closed *Globex &lt;Intl&gt;*! Congratulations!");
    // Both rows end "sent" (the background delivery has finished before the database goes away).
    await expect.poll(celebrations, { timeout: 5000 }).toEqual([
      ["deal-777", "sent"],
      ["deal-778", "sent"],
    ]);
    // That later delivery sent every due celebration: deal 777 was still posted once.
    expect(postsFor777()).toHaveLength(1);
  });

  it("/ae won celebrates in the team channel", async () => {
    await t.services.repos.teams.update(seed.teamId, { celebrateShowAmount: true });
    await t.command('account add "Initech"', SEED.users.bob);
    const deal = await t.command("deal Initech 15000", SEED.users.bob);
    expect(deal.http.status).toBe(200);
    const { reply } = await t.command("won Initech", SEED.users.bob);
    expect(reply.response_type).toBe("ephemeral");
    const call = await t.fake.waitFor("chat.postMessage", (c) => String(c.body.text).includes("<@UBOB> just closed"));
    expect(call.body.channel).toBe(SEED.channelId);
    expect(call.body.text).toBe(":tada: <@UBOB> just closed *Initech* for *$15,000*! Congratulations!");
    // The background delivery has finished (every row "sent") before the database goes away.
    await expect
      .poll(async () => (await t!.services.repos.outbox.list({ kind: "celebration" })).filter((r) => r.status !== "sent").map((r) => [r.localDate, r.status]), {
        timeout: 5000,
      })
      .toEqual([]);
  });
});

/** Runs `ae-assistant jobs run leaderboards --at …` as its own process. */
function runCli(env: Record<string, string>, at: string): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", import.meta.resolve("tsx"), join(process.cwd(), "src/cli/main.ts"), "jobs", "run", "leaderboards", "--at", at], {
      env: { PATH: process.env.PATH ?? "", ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    child.stdout.on("data", (d: Buffer) => (out += d.toString()));
    child.stderr.on("data", (d: Buffer) => (out += d.toString()));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, out }));
  });
}

describe.runIf(providerAvailable("postgresql"))("the weekly post from two processes at once, then a third run [postgresql]", () => {
  let fake: FakeSlack;
  let database: TestDatabase;

  beforeAll(async () => {
    fake = await startFakeSlack({ channels: [{ id: SEED.channelId, name: "sales", is_member: true }] });
    database = await createTestDatabase("postgresql");
    await seedLeaderboardTeam(database.db.prisma);
  });
  afterAll(async () => {
    await fake?.close();
    await database?.drop();
  });

  it("is sent exactly once", async () => {
    const env = {
      DATABASE_URL: database.url,
      SLACK_API_URL: fake.apiUrl,
      SLACK_BOT_TOKEN: TEST_BOT_TOKEN,
      SLACK_SIGNING_SECRET: TEST_SIGNING_SECRET,
      LOG_LEVEL: "warn",
    };
    const [a, b] = await Promise.all([runCli(env, SEED.weeklyPostAt), runCli(env, SEED.weeklyPostAt)]);
    expect(a.code, a.out).toBe(0);
    expect(b.code, b.out).toBe(0);
    const posted = () => fake!.callsTo("chat.postMessage").filter((c) => c.body.channel === SEED.channelId && c.response?.ok === true);
    expect(posted()).toHaveLength(1);
    expect(tableRows(posted()[0]!.body.blocks)).toEqual(EXPECTED_WEEK);
    expect(fake.callsTo("files.completeUploadExternal")).toHaveLength(1);

    const c = await runCli(env, "2026-04-13T07:45:00Z");
    expect(c.code, c.out).toBe(0);
    expect(c.out).toContain("leaderboards: 0");
    expect(posted()).toHaveLength(1);
    const rows = await database.db.prisma.outbox.findMany({ where: { kind: "leaderboard_week" } });
    expect(rows.map((r) => [r.status, r.attempts])).toEqual([["sent", 1]]);
  }, 90_000);
});
