import { afterAll, beforeAll, expect, it } from "vitest";
import { startOfLocalDate } from "../../src/domain/time.js";
import type { User } from "../../src/db/repositories/user-repository.js";
import { startSeededApp, textOf, type TestApp } from "../support/e2e-harness.js";
import { decodePng } from "../support/png.js";
import { seedTeam } from "../support/deals-fixtures.js";
import { describeEachProvider } from "../support/providers.js";

// Mon 2026-02-16, 12:00 in New York. The fiscal year starts in February, so the current quarter is
// Q1 FY2027 = Feb 1 – Apr 30, 2026 (US daylight saving time starts inside it, on Mar 8), and the
// next one Q2 FY2027 = May 1 – Jul 31.
const NOW = new Date("2026-02-16T17:00:00Z");
const NY = "America/New_York";
const nbsp = (s: string) => s.replace(/\u00a0/g, " ");

describeEachProvider("/ae pipeline through Bolt: a rep, a manager's rep and team, the chart [%s]", (provider) => {
  let t: TestApp;
  let users: Record<"UBOB" | "UCAROL" | "UBERND" | "UDAN" | "UMIA" | "UADA", User>;
  const ids: Record<string, number> = {};

  beforeAll(async () => {
    const seeded = await startSeededApp({
      provider,
      now: NOW,
      users: [
        { id: "UBOB", real_name: "Bob Brown", tz: NY, locale: "en-US" },
        { id: "UCAROL", real_name: "Carol Chen", tz: NY, locale: "en-US" },
        { id: "UBERND", real_name: "Bernd Bauer", tz: "Europe/Berlin", locale: "de-DE" },
        { id: "UDAN", real_name: "Dan Dunn", tz: NY, locale: "en-US" },
        { id: "UMIA", real_name: "Mia Manager", tz: NY, locale: "en-US" },
        { id: "UADA", real_name: "Ada Admin", tz: NY, locale: "en-US", is_admin: true },
      ],
      roles: { UMIA: "manager" },
    });
    t = seeded;
    users = seeded.users;
    const p = t.database.db.prisma;
    await p.workspace.update({ where: { id: seeded.ws.id }, data: { fiscalYearStartMonth: 2 } });
    t.services.repos.workspaces.clearCache();
    await seedTeam(t.database.db, seeded.ws, users.UMIA, [users.UBOB, users.UCAROL, users.UBERND]);
    const quota = (u: User, dollars: number) =>
      p.quota.create({ data: { userId: u.id, periodType: "quarter", periodStart: "2026-02-01", amountCents: BigInt(dollars * 100) } });
    await quota(users.UBOB, 100_000);
    await quota(users.UCAROL, 50_000);
    const account = (u: User, name: string, archived = false) =>
      p.account.create({ data: { workspaceId: seeded.ws.id, ownerId: u.id, name, nameKey: name.toLowerCase(), archived } });
    const deal = async (key: string, u: User, accountId: number, d: { dollars: number; stage?: string; close?: string; zone?: string; forecast?: string; status?: string; wonAt?: Date; archived?: boolean }) => {
      const row = await p.deal.create({
        data: {
          accountId,
          ownerId: u.id,
          amountCents: BigInt(d.dollars * 100),
          stage: d.stage ?? (d.status === "won" ? "won" : d.status === "lost" ? "lost" : "prospect"),
          status: d.status ?? "open",
          wonAt: d.wonAt ?? null,
          archived: d.archived ?? false,
          forecastCategory: d.forecast ?? null,
          // As /ae deal close: stores it: the start of that day in the owner's zone.
          expectedCloseAt: d.close ? startOfLocalDate(d.close, d.zone ?? NY) : null,
        },
      });
      ids[key] = row.id;
    };
    const bob = (name: string) => account(users.UBOB, name);
    await deal("bobWon", users.UBOB, (await bob("Wonka")).id, { dollars: 20_000, status: "won", wonAt: new Date("2026-02-10T15:00:00Z") });
    await deal("acme", users.UBOB, (await bob("Acme")).id, { dollars: 40_000, stage: "negotiation", close: "2026-04-15", forecast: "commit" });
    await deal("globex", users.UBOB, (await bob("Globex")).id, { dollars: 25_000, stage: "proposal", close: "2026-03-31" });
    await deal("initech", users.UBOB, (await bob("Initech")).id, { dollars: 10_000, stage: "qualified", close: "2026-04-30" }); // the quarter's last day
    await deal("hooli", users.UBOB, (await bob("Hooli")).id, { dollars: 8_000, stage: "prospect", close: "2026-01-20" }); // overdue since last quarter
    await deal("umbrella", users.UBOB, (await bob("Umbrella")).id, { dollars: 5_000, stage: "prospect" }); // no close date
    await deal("vandelay", users.UBOB, (await bob("Vandelay")).id, { dollars: 30_000, stage: "proposal", close: "2026-05-01", forecast: "commit" }); // next quarter
    await deal("lost", users.UBOB, (await bob("Lost Co")).id, { dollars: 70_000, status: "lost" });
    await deal("crmDeleted", users.UBOB, (await bob("Gone")).id, { dollars: 999_000, stage: "negotiation", close: "2026-03-01", archived: true });
    await deal("onArchived", users.UBOB, (await account(users.UBOB, "Archived Inc", true)).id, { dollars: 888_000, stage: "negotiation", close: "2026-03-01" });
    const carol = await account(users.UCAROL, "Beta");
    await deal("carolWon", users.UCAROL, carol.id, { dollars: 60_000, status: "won", wonAt: new Date("2026-02-12T15:00:00Z") });
    await deal("carolOpen", users.UCAROL, carol.id, { dollars: 12_000, stage: "negotiation", close: "2026-03-15" });
    const mueller = await account(users.UBERND, "Müller GmbH");
    await deal("bernd", users.UBERND, mueller.id, { dollars: 20_000, stage: "proposal", close: "2026-04-30", zone: "Europe/Berlin", forecast: "commit" });
    // May 1 in Berlin is still Apr 30 in New York: it belongs to the next quarter, the day Bernd picked.
    await deal("berndMay", users.UBERND, mueller.id, { dollars: 15_000, stage: "qualified", close: "2026-05-01", zone: "Europe/Berlin" });
    await deal("dan", users.UDAN, (await account(users.UDAN, "Delta")).id, { dollars: 9_000, stage: "proposal", close: "2026-03-01" });
  });
  afterAll(async () => t?.close());

  const ask = async (text: string, user: string) => nbsp(textOf((await t.command(text, user)).reply));

  it("shows a rep their own quarter: by stage with weights, by category, the forecast line and coverage, and the deals to fix", async () => {
    const text = await ask("pipeline", "UBOB");
    expect(text).toContain("*Pipeline · Q1 FY2027* · Feb 1, 2026 – Apr 30, 2026");
    // prospect: Hooli (overdue, counted); qualified: Initech; proposal: Globex; negotiation: Acme.
    expect(text).toContain(
      [
        "*By stage*",
        "• prospect (10%): 1 deal · $8,000 · weighted $800",
        "• qualified (25%): 1 deal · $10,000 · weighted $2,500",
        "• proposal (50%): 1 deal · $25,000 · weighted $12,500",
        "• negotiation (75%): 1 deal · $40,000 · weighted $30,000",
        "*Open pipeline:* 4 deals · *$83,000* · weighted *$45,800*",
      ].join("\n"),
    );
    // Acme is commit by the rep's call; Globex best case by its stage; Initech and Hooli pipeline.
    expect(text).toContain(["*By forecast category*", "• commit: 1 deal · $40,000", "• best case: 1 deal · $25,000", "• pipeline: 2 deals · $18,000"].join("\n"));
    expect(text).toContain(
      [
        "*Forecast* against the quota of $100,000",
        "Closed-won: $20,000 — 20% of quota",
        "Won + commit: *$60,000* — *60%* of quota",
        "Won + commit + best case: *$85,000* — *85%* of quota",
        // $83,000 open for $100,000 − $20,000 = $80,000 to go: 1.0375 → 1.0×
        "Coverage: *1.0×* — $83,000 open for the $80,000 still to go",
      ].join("\n"),
    );
    expect(text).toContain(
      `:warning: 1 deal ($8,000) is past its close date and still counts in this quarter: #${ids.hooli}. Push it (\`/ae deal ${ids.hooli} close:friday\`) or close it (\`/ae won ${ids.hooli}\`, \`/ae lost ${ids.hooli}\`).`,
    );
    expect(text).toContain(`:grey_question: 1 open deal ($5,000) has no close date, so it counts in no quarter: #${ids.umbrella}. Give it one: \`/ae deal ${ids.umbrella} close:"end of month"\`.`);
    expect(text).not.toContain("999,000");
    expect(text).not.toContain("888,000");
  });

  it("shows the next quarter: only what closes in it, nothing overdue, and no quota there", async () => {
    const text = await ask("pipeline next", "UBOB");
    expect(text).toContain("*Pipeline · Q2 FY2027* (next quarter) · May 1, 2026 – Jul 31, 2026");
    expect(text).toContain("• proposal (50%): 1 deal · $30,000 · weighted $15,000");
    expect(text).toContain("*Open pipeline:* 1 deal · *$30,000* · weighted *$15,000*");
    expect(text).toContain("*Forecast:* no quota set for Q2 FY2027 — attainment and coverage not shown. Closed-won $0; won + commit $30,000; + best case $30,000.");
    expect(text).not.toContain("past its close date");
    expect(text).toContain("has no close date"); // undated deals are named in every quarter's answer
  });

  it("shows a manager their team member, judging close dates by the owner's own day", async () => {
    const text = await ask("pipeline <@UBERND|bernd>", "UMIA");
    expect(text).toContain("<@UBERND> · *Pipeline · Q1 FY2027*");
    expect(text).toContain("*Open pipeline:* 1 deal · *$20,000* · weighted *$10,000*");
    expect(text).toContain("*Forecast:* no quota set for Q1 FY2027");
    const next = await ask("pipeline next <@UBERND|bernd>", "UMIA");
    expect(next).toContain("• qualified (25%): 1 deal · $15,000 · weighted $3,750");
  });

  it("rolls a manager's team up, with a line per rep by name and the team's forecast against the sum of the quotas", async () => {
    const { reply } = await t.command("pipeline team", "UMIA");
    const text = nbsp(textOf(reply));
    expect(text).toContain("*Your team's pipeline · Q1 FY2027* · Feb 1, 2026 – Apr 30, 2026 · 3 reps");
    expect(text).toContain(
      [
        "*By stage*",
        "• prospect (10%): 1 deal · $8,000 · weighted $800",
        "• qualified (25%): 1 deal · $10,000 · weighted $2,500",
        "• proposal (50%): 2 deals · $45,000 · weighted $22,500",
        "• negotiation (75%): 2 deals · $52,000 · weighted $39,000",
        "*Open pipeline:* 6 deals · *$115,000* · weighted *$64,800*",
      ].join("\n"),
    );
    expect(text).toContain(["• commit: 2 deals · $60,000", "• best case: 2 deals · $37,000", "• pipeline: 2 deals · $18,000"].join("\n"));
    expect(text).toContain(
      [
        // Quotas $100,000 + $50,000; Bernd has none. Won $20,000 + $60,000.
        "*Forecast* against the quota of $150,000",
        "Closed-won: $80,000 — 53% of quota",
        "Won + commit: *$140,000* — *93%* of quota",
        "Won + commit + best case: *$177,000* — *118%* of quota",
        // $115,000 / ($150,000 − $80,000) = 1.64 → 1.6×
        "Coverage: *1.6×* — $115,000 open for the $70,000 still to go",
      ].join("\n"),
    );
    expect(text).toContain("1 rep has no quota for Q1 FY2027: their deals and wins are in the totals, not in the team quota.");
    expect(text).toContain("*By rep* — 1–3 of 3, by name:");
    expect(text).toContain("*<@UBERND>* — won $0 · commit $20,000 · best case $0 · pipeline $0\nno quota for the quarter");
    expect(text).toContain(
      `*<@UBOB>* — won $20,000 · commit $40,000 · best case $25,000 · pipeline $18,000\nquota $100,000: *60%* with commit, 85% with best case · coverage 1.0× · :warning: #${ids.hooli} · :grey_question: #${ids.umbrella}`,
    );
    expect(text).toContain("*<@UCAROL>* — won $60,000 · commit $0 · best case $12,000 · pipeline $0\nquota $50,000: *120%* with commit · quota reached");
    expect(text.indexOf("<@UBERND>")).toBeLessThan(text.indexOf("<@UBOB>"));
    expect(text).not.toContain("UDAN");
    expect(((reply as { blocks?: unknown[] }).blocks ?? []).length).toBeLessThanOrEqual(50);
  });

  it("refuses a rep looking at someone else or the team, a manager outside their team, and explains an unknown person", async () => {
    for (const [command, user, problem] of [
      ["pipeline <@UCAROL|carol>", "UBOB", "That belongs to another rep"],
      ["pipeline team", "UBOB", "Only managers and admins can do that."],
      ["pipeline <@UDAN|dan>", "UMIA", "outside the teams you manage"],
      ["pipeline team", "UADA", "You don't manage a team with members yet."],
    ] as const) {
      const text = await ask(command, user);
      expect(text).toContain(problem);
      expect(text).toContain("Nothing was changed.");
      expect(text).not.toContain("Open pipeline");
    }
    const unknown = await ask("pipeline <@UNOBODY|ghost>", "UADA");
    expect(unknown).toContain("I don't know <@UNOBODY> here yet");
    expect(unknown).toContain("/ae pipeline @dana next chart");
    // An admin may look at anyone.
    expect(await ask("pipeline <@UDAN|dan>", "UADA")).toContain("<@UDAN> · *Pipeline · Q1 FY2027*");
  });

  it("explains words it does not understand and two people at once, with an example", async () => {
    const soon = await ask("pipeline soon", "UBOB");
    expect(soon).toContain("I didn't understand “soon”.");
    expect(soon).toContain("Example: `/ae pipeline @dana next chart`");
    expect(await ask("pipeline <@UBOB|bob> <@UCAROL|carol>", "UMIA")).toContain("Mention one person at a time.");
    expect(await ask("pipeline team <@UBOB|bob>", "UMIA")).toContain("Mention one person at a time.");
  });

  it("answers in German", async () => {
    const text = await ask("pipeline", "UBERND");
    expect(text).toContain("*Pipeline · Q1 GJ2027*");
    expect(text).toContain("*Nach Phase*");
    expect(text).toContain("• Angebot (50 %): 1 Deal · 20.000 $ · gewichtet 10.000 $");
    expect(text).toContain("• Zusage: 1 Deal · 20.000 $");
    expect(text).toContain("*Prognose:* für Q1 GJ2027 ist keine Quote gesetzt");
  });

  it("uploads the chart to the asker's DM only when asked: won, commit and best case against quota per rep", async () => {
    await t.deliveries.settled();
    const uploadsBefore = t.fake.callsTo("files.completeUploadExternal").length;
    await ask("pipeline team", "UMIA");
    await t.deliveries.settled();
    expect(t.fake.callsTo("files.completeUploadExternal")).toHaveLength(uploadsBefore);

    const text = await ask("pipeline team chart", "UMIA");
    expect(text).toContain(":bar_chart: The chart follows in your DM with me.");
    const complete = await t.fake.waitFor("files.completeUploadExternal", (c) => c.body.channel_id === "DUMIA", 10_000);
    expect(complete.response).toMatchObject({ ok: true, files: [{ mimetype: "image/png" }] });
    const get = t.fake.callsTo("files.getUploadURLExternal").at(-1)!;
    expect(get.body.filename).toBe("pipeline-FY2027-Q1.png");
    // Bernd has no quota: he is named, not drawn.
    expect(String(get.body.alt_text)).toBe("Your team's pipeline Q1 FY2027: Bob Brown 60% · 85%, Carol Chen 120% · 144%");
    const png = decodePng(t.fake.uploads.get(String(get.response?.file_id))!);
    expect(png.width).toBeGreaterThan(1000);

    // A rep's own chart; and none for someone without a quota (said so, nothing uploaded).
    expect(await ask("pipeline chart", "UBOB")).toContain("The chart follows in your DM");
    await t.fake.waitFor("files.completeUploadExternal", (c) => c.body.channel_id === "DUBOB", 10_000);
    const count = t.fake.callsTo("files.completeUploadExternal").length;
    expect(await ask("pipeline chart", "UBERND")).toContain("Kein Diagramm: Hier hat niemand eine Quote für Q1 GJ2027");
    await t.deliveries.settled();
    expect(t.fake.callsTo("files.completeUploadExternal")).toHaveLength(count);
  });

  it("tells the asker by DM when the chart cannot be uploaded; the answer itself was complete", async () => {
    t.fake.failNext("files.getUploadURLExternal", { error: "internal_error" });
    expect(await ask("pipeline chart", "UBOB")).toContain("*Open pipeline:* 4 deals");
    const dm = await t.fake.waitFor("chat.postMessage", (c) => c.body.channel === "UBOB" && String(c.body.text).includes("couldn't draw or upload"), 10_000);
    expect(dm.response?.ok).toBe(true);
  });
});
