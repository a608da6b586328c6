import { beforeEach, afterEach, expect, it } from "vitest";
import { runAs } from "../../src/db/audit/audit-scope.js";
import type { User } from "../../src/db/repositories/user-repository.js";
import type { Workspace } from "../../src/db/repositories/workspace-repository.js";
import { createLogger } from "../../src/logger.js";
import { ExportService } from "../../src/services/export-service.js";
import { createServices, type Services } from "../../src/services/services.js";
import { describeEachProvider } from "../support/providers.js";
import { createTestDatabase, type TestDatabase } from "../support/test-database.js";
import { actorOf, seedAccount, seedTeam, seedUser, seedWorkspace } from "../support/deals-fixtures.js";
import { RetentionJob } from "../../src/jobs/retention-job.js";

const NOW = new Date("2026-12-08T15:00:00Z"); // Tuesday 10:00 in New York
const clock = { now: NOW };
const days = (n: number) => new Date(NOW.getTime() + n * 86_400_000);

/**
 * One client, Jane Roe, stored the ways a sales team stores a person: a contact on a company
 * account and an individual (private client) account of her own with its contact, gifts (one
 * from 2018, past its six years; one this year, corrected), touches whose notes name her, a
 * follow-up and a deal title that mention her, and a colleague with the same first name only.
 */
describeEachProvider("privacy operations: export, erasure, restriction and retention [%s]", (provider) => {
  let tdb: TestDatabase;
  let services: Services;
  let ws: Workspace;
  let dana: User;
  let admin: User;
  let ids: { acme: number; janeAccount: number; contactOnAcme: number; contactOnOwn: number; oldGift: number; gift: number; correction: number; note: number; other: number };

  beforeEach(async () => {
    clock.now = NOW;
    tdb = await createTestDatabase(provider);
    services = createServices(tdb.db, { defaultTimezone: "America/New_York", now: () => clock.now, logger: createLogger("error", () => undefined, []) });
    const p = tdb.db.prisma;
    ws = await seedWorkspace(tdb.db);
    dana = await seedUser(tdb.db, ws, "UDANA", { name: "Dana Diaz" });
    admin = await seedUser(tdb.db, ws, "UADMIN", { name: "Ada Admin", role: "admin" });
    const acme = await seedAccount(tdb.db, ws, dana, "Acme Corp");
    const janeAccount = await p.account.create({ data: { workspaceId: ws.id, ownerId: dana.id, name: "Jane Roe", nameKey: "jane roe", kind: "individual", annualValueCents: 25_000_00n } });
    const contactOnAcme = await p.contact.create({ data: { accountId: acme.id, name: "Jane Roe", nameKey: "jane roe", email: "Jane.Roe@example.com", title: "CFO" } });
    const contactOnOwn = await p.contact.create({ data: { accountId: janeAccount.id, name: "Jane Roe", nameKey: "jane roe", email: "jane.roe@example.com" } });
    const gift = (data: { givenOn: string; amountCents: bigint; description: string; createdAt?: Date; correctsId?: number; correctionReason?: string }) =>
      p.gift.create({ data: { workspaceId: ws.id, accountId: acme.id, contactId: contactOnAcme.id, userId: dana.id, recipientName: "Jane Roe", recipientKey: "jane roe", ...data } });
    const oldGift = await gift({ givenOn: "2018-03-01", amountCents: 50_00n, description: "Book", createdAt: new Date("2018-03-01T15:00:00Z") });
    const actor = actorOf(dana, ws);
    const logged = await services.gifts.log(actor, await services.principal(actor), { accountId: acme.id, kind: "gift", recipientName: "Jane Roe", amountCents: 75_00, givenOn: "2026-11-30", description: "Wine" });
    if (logged.kind !== "saved") throw new Error("the gift was not saved");
    const corrected = await services.gifts.correct(actor, await services.principal(actor), logged.gift.id, { amountCents: 85_00 }, "the receipt said 85");
    if (corrected.kind !== "saved") throw new Error(`the correction was not saved: ${corrected.kind}`);
    const note = await p.touch.create({ data: { accountId: acme.id, userId: dana.id, kind: "meal", occurredAt: days(-3), note: "Lunch with jane roe about the budget; mail to JANE.ROE@example.com" } });
    const other = await p.touch.create({ data: { accountId: acme.id, userId: dana.id, kind: "call", occurredAt: days(-2), note: "Jane from procurement called" } });
    await p.touch.create({ data: { accountId: janeAccount.id, userId: dana.id, kind: "call", occurredAt: days(-1), note: "Portfolio review" } });
    await p.followUp.create({ data: { accountId: acme.id, userId: dana.id, title: "Send Jane Roe the deck", dueAt: days(2) } });
    await p.deal.create({ data: { accountId: janeAccount.id, ownerId: dana.id, amountCents: 10_000_00n, title: "Roe family trust" } });
    ids = { acme: acme.id, janeAccount: janeAccount.id, contactOnAcme: contactOnAcme.id, contactOnOwn: contactOnOwn.id, oldGift: oldGift.id, gift: logged.gift.id, correction: corrected.gift.id, note: note.id, other: other.id };
  });
  afterEach(async () => tdb?.drop());

  const asAdmin = <T>(fn: () => Promise<T>) => runAs({ kind: "cli", userId: admin.id, detail: "privacy", workspaceId: ws.id }, fn, { now: () => clock.now });

  it("exports every record of the person (Art. 15/20), possible matches flagged, and records the run without her name", async () => {
    const data = await asAdmin(() => services.privacy.exportPerson(ws, { contact: "JANE  ROE" }));
    expect((data.contacts as { id: number }[]).map((c) => c.id)).toEqual([ids.contactOnAcme, ids.contactOnOwn]);
    expect((data.individualAccounts as { id: number }[]).map((a) => a.id)).toEqual([ids.janeAccount]);
    const gifts = data.gifts as { id: number; correctsId: number | null; correctedById: number | null; purgeOn: string; restricted: boolean }[];
    expect(gifts.map((g) => g.id)).toEqual([ids.oldGift, ids.gift, ids.correction]);
    expect(gifts.find((g) => g.id === ids.correction)).toMatchObject({ correctsId: ids.gift, restricted: false, purgeOn: "2032-12-08" });
    expect(gifts.find((g) => g.id === ids.gift)).toMatchObject({ correctedById: ids.correction });
    const activity = data.activityOnIndividualAccounts as { touches: { note: string }[]; deals: { title: string }[] };
    expect(activity.touches.map((t) => t.note)).toEqual(["Portfolio review"]);
    expect(activity.deals.map((d) => d.title)).toEqual(["Roe family trust"]);
    const matches = data.possibleMatches as { kind: string; id: number; flag: string }[];
    expect(matches.map((m) => `${m.kind}:${m.id}`)).toEqual(expect.arrayContaining([`touch_note:${ids.note}`, expect.stringMatching(/^follow_up:/)]));
    expect(matches.map((m) => m.id)).not.toContain(ids.other); // "Jane" alone is not her
    expect(matches[0]!.flag).toContain("possible match");
    const trail = data.auditTrail as { entity: string; action: string; changes: Record<string, unknown> | null }[];
    expect(trail.filter((e) => e.entity === "gift").map((e) => e.action)).toEqual(["create", "create", "create"]);
    expect(trail.find((e) => e.entity === "contact")?.changes).toMatchObject({ email: [null, "Jane.Roe@example.com"] });
    // The same person by e-mail, case ignored.
    const byEmail = await asAdmin(() => services.privacy.exportPerson(ws, { email: "jane.roe@EXAMPLE.com" }));
    expect((byEmail.contacts as { id: number }[]).map((c) => c.id)).toEqual([ids.contactOnAcme, ids.contactOnOwn]);
    expect((byEmail.gifts as unknown[]).length).toBe(3);
    // Both runs are in the trail, by the admin, without the name or e-mail asked about.
    const runs = await tdb.db.prisma.auditEvent.findMany({ where: { entity: "privacy", action: "export" } });
    expect(runs).toHaveLength(2);
    expect(runs[0]).toMatchObject({ actorKind: "cli", actorUserId: admin.id });
    expect(JSON.stringify(runs)).not.toMatch(/jane/i);
  });

  it("an erasure dry run lists what it would do and changes nothing", async () => {
    const before = await snapshot(tdb);
    const plan = await asAdmin(() => services.privacy.planErasure(ws, { contact: "Jane Roe" }));
    expect(plan.gifts.map((g) => [g.gift.id, g.decision, g.purgeOn])).toEqual([
      [ids.oldGift, "erase", "2024-03-01"],
      [ids.gift, "restrict", "2032-12-08"],
      [ids.correction, "restrict", "2032-12-08"],
    ]);
    expect(plan.contacts).toHaveLength(2);
    expect(plan.individualAccounts.map((a) => a.id)).toEqual([ids.janeAccount]);
    expect(await snapshot(tdb)).toEqual(before);
  });

  it("erases her everywhere except the gift records inside retention, which are restricted, and purges them once the clock passes their date", async () => {
    const result = await asAdmin(() => services.privacy.erase(ws, { contact: "Jane Roe" }, { redactMatches: true }));
    if ("refused" in result) throw new Error("refused");
    expect(result.erased).toMatchObject({ contacts: 2, gifts: 1, accounts: 1, redacted: 2 });
    expect(result.restricted).toBe(2);
    const p = tdb.db.prisma;
    expect(await p.contact.count()).toBe(0);
    expect(await p.gift.findUnique({ where: { id: ids.oldGift } })).toBeNull();
    expect(await p.account.findUniqueOrThrow({ where: { id: ids.janeAccount } })).toMatchObject({ name: `Erased client #${ids.janeAccount}`, annualValueCents: 25_000_00n });
    expect((await p.touch.findMany({ where: { accountId: ids.janeAccount } })).map((t) => t.note)).toEqual([null]);
    expect((await p.deal.findFirstOrThrow({ where: { accountId: ids.janeAccount } })).title).toBeNull();
    expect((await p.touch.findUniqueOrThrow({ where: { id: ids.note } })).note).toBe("Lunch with [erased] about the budget; mail to [erased]");
    expect((await p.touch.findUniqueOrThrow({ where: { id: ids.other } })).note).toBe("Jane from procurement called");
    const restricted = await p.gift.findMany({ where: { restrictedAt: { not: null } }, orderBy: { id: "asc" } });
    expect(restricted.map((g) => g.id)).toEqual([ids.gift, ids.correction]);
    expect(restricted[0]!.restrictionReason).toContain("until 2032-12-08");
    expect(restricted[0]!.recipientName).toBe("Jane Roe"); // kept for the regulator

    // Hidden from every view, list, total and export but the compliance export.
    const actor = actorOf(dana, ws);
    const list = await services.gifts.list(actor, await services.principal(actor));
    expect(list.recipients).toEqual([]);
    const page = await services.accounts.detail(actor, await services.principal(actor), ids.acme);
    expect(page.kind === "found" ? page.detail.gifts : "no page").toEqual([]);
    const exported = [];
    for await (const row of new ExportService(tdb.db.prisma).rows("gifts", ws)) exported.push(row);
    expect(exported).toEqual([]);
    const history = await services.audit.history(actor, await services.principal(actor), ids.acme);
    // (The erased 2018 entry's deletion shows, with its values erased; the restricted ones not at all.)
    expect(history.kind === "ok" ? history.view.entries.filter((e) => e.entity === "gift").map((e) => [e.entityId, e.action, e.values]) : "none").toEqual([
      [String(ids.oldGift), "delete", "omitted"],
      [String(ids.oldGift), "create", "erased"],
    ]);
    const compliance = await services.gifts.exportRows(2026, ws.id);
    expect(compliance.slice(1).map((r) => [r[10], r[14], r[16]])).toEqual([
      [String(ids.gift), "yes", "2032-12-08"],
      [String(ids.correction), "yes", "2032-12-08"],
    ]);
    // The limit still counts the restricted record (its compliance purpose), through the correction once.
    expect((await services.gifts.check(ws.id, { recipientName: "Jane Roe", amountCents: 1_00, givenOn: "2026-12-08", kind: "gift" })).priorTotalCents).toBe(85_00);

    // The trail: the contact's earlier values are unreadable (its key is gone); the erasure itself
    // recorded which fields went, not their values; and the run, by the admin, with the legal basis.
    const contactTrail = await services.repos.audit.forEntities("contact", [String(ids.contactOnAcme)]);
    expect(contactTrail.map((e) => [e.action, e.values])).toEqual([["create", "erased"], ["delete", "omitted"]]);
    expect(contactTrail[1]!.fields).toContain("email");
    const giftTrail = await services.repos.audit.forEntities("gift", [String(ids.gift)]);
    expect(giftTrail.map((e) => [e.action, e.values])).toEqual([["create", "recorded"], ["update", "omitted"]]);
    const run = await p.auditEvent.findFirstOrThrow({ where: { entity: "privacy", action: "erase" } });
    expect(run).toMatchObject({ actorKind: "cli", actorUserId: admin.id });
    expect(run.note).toContain("Art. 17(3)(b)");
    expect(JSON.stringify(await p.auditEvent.findMany({ where: { OR: [{ subject: null }, { changes: null }] } }))).not.toMatch(/jane/i);

    // Before the date nothing is purged; from it, the restricted records go, once.
    clock.now = new Date("2032-12-07T15:00:00Z");
    expect((await services.privacy.retentionPlan(ws)).gifts.ids).toEqual([]);
    clock.now = new Date("2032-12-08T15:00:00Z");
    const plan = await services.privacy.retentionPlan(ws);
    expect(plan.gifts).toEqual({ ids: [ids.gift, ids.correction], restricted: 2 });
    await runAs({ kind: "job", detail: "retention" }, () => services.privacy.purge(ws));
    expect(await p.gift.count()).toBe(0);
    expect(await services.gifts.exportRows(2026, ws.id)).toHaveLength(1);
    expect((await services.repos.audit.forEntities("gift", [String(ids.gift)])).map((e) => [e.action, e.values])).toEqual([
      ["create", "erased"],
      ["update", "omitted"],
      ["delete", "omitted"],
    ]);
    const purge = await p.auditEvent.findFirstOrThrow({ where: { entity: "retention", action: "purge" } });
    expect(JSON.parse(purge.changes ?? "{}")).toMatchObject({ giftsDeleted: [ids.gift, ids.correction], restrictedGiftsDeleted: 2 });
    // Idempotent: the next run removes nothing (and says so in the trail).
    await services.privacy.purge(ws);
    const again = await p.auditEvent.findMany({ where: { entity: "retention", action: "purge" }, orderBy: { id: "asc" } });
    expect(again).toHaveLength(2);
    expect(JSON.parse(again[1]!.changes ?? "{}")).toMatchObject({ touchNotesCleared: 0, closedDealsDeleted: [], giftsDeleted: [], departedRepsErased: [] });
  });

  it("erases a departed rep's personal data, keeping the name their gift records need; refuses one still active", async () => {
    const p = tdb.db.prisma;
    await p.quota.create({ data: { userId: dana.id, periodType: "quarter", periodStart: "2026-10-01", amountCents: 100_000_00n } });
    await p.compPlan.create({ data: { userId: dana.id, commissionRate: 0.1, baseSalaryCents: 90_000_00n, effectiveFrom: "2026-01-01" } });
    const mgr = await seedUser(tdb.db, ws, "UMGR", { role: "manager" });
    await seedTeam(tdb.db, ws, mgr, [dana]);
    expect(await asAdmin(() => services.privacy.erase(ws, { user: "UDANA" }))).toMatchObject({ refused: "user_active" });
    expect(await p.quota.count()).toBe(1);
    await services.repos.reminders.markInactive("UDANA", days(-1));
    await services.repos.reminders.rememberDmChannel("UDANA", "DDANA");
    const result = await asAdmin(() => services.privacy.erase(ws, { user: "UDANA" }));
    if ("refused" in result) throw new Error("refused");
    expect(result.plan.user).toMatchObject({ quotas: 1, compPlans: 1, teams: 1, giftsInRetention: 2, keepIdentityUntil: "2032-12-08", accountsOwned: 2 });
    expect(await p.quota.count()).toBe(0);
    expect(await p.compPlan.count()).toBe(0);
    expect(await p.teamMember.count()).toBe(0);
    const after = await p.user.findUniqueOrThrow({ where: { id: dana.id } });
    expect(after).toMatchObject({ name: "Dana Diaz", slackUserId: "UDANA", email: null, dmChannelId: null, inactive: true });
    expect(after.erasedAt).not.toBeNull();
    // Slack reporting her profile again (user_change, reactivated) collects nothing again.
    const profile = { slackUserId: "UDANA", name: "Dana Diaz", email: "dana@example.com", timezone: "Europe/Berlin", locale: "de-DE", isSlackAdmin: false, inactive: false };
    expect(await services.actors.refreshFromSlack(ws.slackTeamId, profile)).toBe("unknown");
    expect(await p.user.findUniqueOrThrow({ where: { id: dana.id } })).toEqual(after);
    // Her comp plan's history in the trail is unreadable now (the person's key is gone).
    expect((await services.repos.audit.forEntities("comp_plan", [String((await p.auditEvent.findFirstOrThrow({ where: { entity: "comp_plan" } })).entityId)])).map((e) => e.values)).toEqual(["erased", "omitted"]);
  });

  it("retention: clears old touch notes, deletes old closed deals, erases departed reps; the dry run counts the same", async () => {
    const p = tdb.db.prisma;
    await p.touch.create({ data: { accountId: ids.acme, userId: dana.id, kind: "call", occurredAt: new Date("2023-11-30T15:00:00Z"), note: "old note" } });
    await p.touch.create({ data: { accountId: ids.acme, userId: dana.id, kind: "call", occurredAt: new Date("2023-12-09T15:00:00Z"), note: "kept: 36 months not yet over" } });
    const oldDeal = await p.deal.create({ data: { accountId: ids.acme, ownerId: dana.id, amountCents: 5_000_00n, status: "won", stage: "won", wonAt: new Date("2019-11-01T15:00:00Z") } });
    await p.deal.create({ data: { accountId: ids.acme, ownerId: dana.id, amountCents: 5_000_00n, status: "lost", stage: "lost", lostAt: new Date("2020-01-01T15:00:00Z") } });
    await p.outbox.create({ data: { recipientType: "user", recipient: "UDANA", localDate: "2026-08-01", kind: "digest", status: "sent", createdAt: new Date("2026-08-01T13:00:00Z"), body: { create: { payload: "{}" } } } });
    await p.outbox.create({ data: { recipientType: "user", recipient: "UDANA", localDate: "2026-11-01", kind: "digest", status: "sent", createdAt: new Date("2026-11-01T13:00:00Z"), body: { create: { payload: "{}" } } } });
    const gus = await seedUser(tdb.db, ws, "UGUS", { name: "Gus Gone" });
    await services.repos.reminders.markInactive("UGUS", new Date("2025-11-01T15:00:00Z"));
    const plan = await services.privacy.retentionPlan(ws);
    expect(plan.touchNotes).toEqual({ before: "2023-12-08", count: 1 });
    expect(plan.closedDeals).toEqual({ before: "2019-12-08", ids: [oldDeal.id] });
    expect(plan.departed.users.map((u) => u.id)).toEqual([gus.id]);
    expect(plan.gifts.ids).toEqual([ids.oldGift]);
    await runAs({ kind: "job", detail: "retention" }, () => services.privacy.runRetention(ws, clock.now));
    expect((await p.touch.findMany({ where: { occurredAt: { lt: new Date("2024-01-01") } }, orderBy: { occurredAt: "asc" } })).map((t) => t.note)).toEqual([null, "kept: 36 months not yet over"]);
    expect(await p.deal.findUnique({ where: { id: oldDeal.id } })).toBeNull();
    expect(await p.deal.count({ where: { status: "lost" } })).toBe(1);
    expect(await p.user.findUniqueOrThrow({ where: { id: gus.id } })).toMatchObject({ name: null, slackUserId: `erased-${gus.id}` });
    expect((await p.outbox.findMany()).map((o) => o.localDate)).toEqual(["2026-11-01"]); // older than 90 days: gone
    // …with its message (OutboxBody goes with its row: ON DELETE CASCADE, foreign keys on in SQLite too).
    expect((await p.outboxBody.findMany({ include: { outbox: true } })).map((b) => b.outbox.localDate)).toEqual(["2026-11-01"]);
    expect((await p.workspace.findUniqueOrThrow({ where: { id: ws.id } })).retentionRanOn).toBe("2026-12-08");
    expect(await services.privacy.workspacesDueForRetention(clock.now)).toEqual([]);
    expect((await services.privacy.workspacesDueForRetention(new Date("2026-12-09T07:00:00Z"))).map((w) => w.id)).toEqual([ws.id]); // 02:00 in New York
  });

  it("the daily job purges once a day per workspace, from 02:00 in its zone", async () => {
    const job = new RetentionJob({ services, logger: createLogger("error", () => undefined, []) });
    const runs = () => tdb.db.prisma.auditEvent.count({ where: { entity: "retention", action: "purge" } });
    await job.plan(new Date("2026-12-09T06:59:00Z")); // 01:59 in New York: not yet
    expect(await runs()).toBe(0);
    await job.plan(new Date("2026-12-09T07:00:00Z")); // 02:00: the day's run
    expect(await runs()).toBe(1);
    expect(await tdb.db.prisma.gift.findUnique({ where: { id: ids.oldGift } })).toBeNull(); // 2018's, past six years
    await job.plan(new Date("2026-12-09T12:00:00Z"));
    expect(await runs()).toBe(1);
    await job.plan(new Date("2026-12-10T06:59:00Z"));
    expect(await runs()).toBe(1);
    await job.plan(new Date("2026-12-10T07:00:00Z"));
    expect(await runs()).toBe(2);
  });

  it("a corrected gift counts once; both entries are in the compliance export and the trail; only the latest can be corrected", async () => {
    const actor = actorOf(dana, ws);
    const principal = await services.principal(actor);
    expect(await services.gifts.correct(actor, principal, ids.gift, { amountCents: 90_00 }, "again")).toEqual({ kind: "already_corrected", latestId: ids.correction });
    expect(await services.gifts.correct(actor, principal, ids.correction, { amountCents: 85_00 }, "same")).toEqual({ kind: "no_change" });
    // $310 is over FINRA's $300; the corrected $85 is not counted besides it.
    expect((await services.gifts.correct(actor, principal, ids.correction, { amountCents: 310_00 }, "typo")).kind).toBe("over_limit");
    expect((await services.gifts.correct(actor, principal, ids.correction, { amountCents: 300_00 }, "typo"))).toMatchObject({ kind: "saved", gift: { overLimit: false } });
    const latest = (await tdb.db.prisma.gift.findFirstOrThrow({ where: { correctsId: ids.correction } })).id;
    const ok = await services.gifts.correct(actor, principal, latest, { amountCents: 310_00 }, "typo again", "approved by compliance");
    expect(ok).toMatchObject({ kind: "saved", gift: { correctsId: latest, overLimit: true, overrideReason: "approved by compliance" } });
    expect((await services.gifts.check(ws.id, { recipientName: "Jane Roe", amountCents: 0, givenOn: "2026-12-08", kind: "gift" })).priorTotalCents).toBe(310_00);
    const list = await services.gifts.list(actor, principal);
    expect(list.recipients[0]!.entries.map((e) => e.amountCents)).toEqual([310_00]);
    expect(list.recipients[0]!.countedCents).toBe(310_00);
    const rows = await services.gifts.exportRows(2026, ws.id);
    expect(rows.slice(1).map((r) => [r[5], r[8], r[10], r[11], r[12], r[13]])).toEqual([
      ["75.00", "no", String(ids.gift), "", String(ids.correction), ""],
      ["85.00", "no", String(ids.correction), String(ids.gift), String(latest), "the receipt said 85"],
      ["300.00", "no", String(latest), String(ids.correction), expect.any(String), "typo"],
      ["310.00", "yes", expect.any(String), String(latest), "", "typo again"],
    ]);
    const trail = await services.repos.audit.forEntities("gift", rows.slice(1).map((r) => r[10]!));
    expect(trail.map((e) => [e.action, e.changes?.amountCents?.[1]])).toEqual([["create", 75_00], ["create", 85_00], ["create", 300_00], ["create", 310_00]]);
    await expect(tdb.db.prisma.gift.update({ where: { id: ids.gift }, data: { amountCents: 1n } })).rejects.toThrow(/never edited in place/);
  });
});

async function snapshot(t: TestDatabase): Promise<unknown> {
  const p = t.db.prisma;
  return Promise.all([p.contact.findMany({ orderBy: { id: "asc" } }), p.gift.findMany({ orderBy: { id: "asc" } }), p.account.findMany({ orderBy: { id: "asc" } }), p.touch.findMany({ orderBy: { id: "asc" } }), p.deal.findMany({ orderBy: { id: "asc" } })]);
}
