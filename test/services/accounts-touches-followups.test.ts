import { afterAll, beforeAll, expect, it } from "vitest";
import { DateTime } from "luxon";
import { createLogger } from "../../src/logger.js";
import { createServices, type Services } from "../../src/services/services.js";
import { toActor, type Actor } from "../../src/services/actor-service.js";
import type { Workspace } from "../../src/db/repositories/workspace-repository.js";
import { describeEachProvider } from "../support/providers.js";
import { createTestDatabase, type TestDatabase } from "../support/test-database.js";

const NOW = new Date("2026-03-04T15:00:00Z"); // Wednesday; 16:00 in Berlin
const DAY = 86_400_000;

describeEachProvider("accounts, touches and follow-ups services [%s]", (provider) => {
  let database: TestDatabase;
  let services: Services;
  let workspace: Workspace;
  let rep: Actor; // Rita, Berlin
  let other: Actor; // Otto, another rep
  let manager: Actor; // Mia, manages Rita
  let admin: Actor;
  const clock = { now: NOW };

  async function actor(slackUserId: string, role: "rep" | "manager" | "admin", zone: string, locale = "en-US"): Promise<Actor> {
    const user = await services.repos.users.upsertFromSlack(workspace.id, {
      slackUserId,
      name: slackUserId.slice(1),
      email: null,
      timezone: zone,
      locale,
      isSlackAdmin: false,
      inactive: false,
    });
    const updated = role === "rep" ? user : await services.repos.users.update(user.id, { role });
    return toActor(updated, workspace, "America/New_York");
  }

  beforeAll(async () => {
    database = await createTestDatabase(provider);
    services = createServices(database.db, { defaultTimezone: "America/New_York", now: () => clock.now, logger: createLogger("error", () => undefined) });
    workspace = await services.repos.workspaces.ensure("T1", { timezone: "America/New_York" });
    rep = await actor("URITA", "rep", "Europe/Berlin");
    other = await actor("UOTTO", "rep", "America/Chicago");
    manager = await actor("UMIA", "manager", "Europe/Berlin");
    admin = await actor("UADA", "admin", "UTC");
    const team = await database.db.prisma.team.create({ data: { workspaceId: workspace.id, name: "East", nameKey: "east", managerId: manager.user.id } });
    await database.db.prisma.teamMember.create({ data: { teamId: team.id, userId: rep.user.id } });
  });
  afterAll(async () => database?.drop());

  const principal = (a: Actor) => services.principal(a);
  const company = { tier: "standard" as const, annualValueCents: 0, industry: null, kind: "company" as const };

  it("adds an account and refuses a duplicate by normalized name for the same owner only", async () => {
    const created = await services.accounts.add(rep, { ...company, name: "  Müller   GmbH ", tier: "key", annualValueCents: 12_000_000, industry: "Maschinenbau" });
    expect(created).toMatchObject({ kind: "created", account: { name: "Müller GmbH", nameKey: "muller gmbh", tier: "key", ownerId: rep.user.id } });
    if (created.kind === "created") expect(Number(created.account.annualValueCents)).toBe(12_000_000);
    expect(await services.accounts.add(rep, { ...company, name: "MULLER gmbh" })).toMatchObject({ kind: "duplicate", existing: { name: "Müller GmbH" } });
    expect(await services.accounts.add(other, { ...company, name: "Müller GmbH" })).toMatchObject({ kind: "created" });
  });

  it.each([
    ["", "name_empty"],
    ["\u200b\u200d \u0000", "name_empty"],
    ["x".repeat(201), "name_too_long"],
  ])("refuses the name %j (%s) and stores nothing", async (name, problem) => {
    const before = await database.db.prisma.account.count();
    expect(await services.accounts.add(rep, { ...company, name })).toEqual({ kind: "invalid", field: "name", problem });
    expect(await services.accounts.add(rep, { ...company, name: "Fine", industry: "y".repeat(101) })).toMatchObject({ problem: "industry_too_long" });
    expect(await database.db.prisma.account.count()).toBe(before);
  });

  it("logs a touch with participants and keeps lastTouchAt current in the same transaction", async () => {
    const acme = await services.accounts.add(rep, { ...company, name: "Acme Touch" });
    if (acme.kind !== "created") throw new Error("setup");
    const r = await services.touches.log(rep, await principal(rep), {
      accountId: acme.account.id,
      kind: "meeting",
      note: "  pricing  ",
      participants: ["UOTTO", "UNOBODY", "URITA", "UOTTO"],
      source: "command",
    });
    expect(r).toMatchObject({ kind: "logged", participants: ["UOTTO", "UNOBODY"] });
    if (r.kind !== "logged") throw new Error("not logged");
    const stored = await services.repos.touches.findById(r.touch.id);
    expect(stored).toMatchObject({ kind: "meeting", note: "pricing", source: "command", occurredAt: NOW });
    expect(stored?.participants.sort((a, b) => a.slackUserId.localeCompare(b.slackUserId))).toEqual([
      { slackUserId: "UNOBODY", userId: null },
      { slackUserId: "UOTTO", userId: other.user.id },
    ]);
    expect((await services.repos.accounts.findById(acme.account.id))?.lastTouchAt).toEqual(NOW);

    // A touch logged for an earlier day leaves the later lastTouchAt alone.
    const earlier = new Date(NOW.getTime() - 3 * DAY);
    await services.touches.log(rep, await principal(rep), { accountId: acme.account.id, kind: "call", note: null, participants: [], occurredAt: earlier, source: "modal" });
    expect((await services.repos.accounts.findById(acme.account.id))?.lastTouchAt).toEqual(NOW);
    expect(await services.repos.touches.countForAccount(acme.account.id)).toBe(2);
  });

  it("refuses touches on someone else's account, too-long notes and future dates, changing nothing", async () => {
    const theirs = await services.accounts.add(other, { ...company, name: "Otto's Own" });
    if (theirs.kind !== "created") throw new Error("setup");
    const before = await database.db.prisma.touch.count();
    const base = { accountId: theirs.account.id, kind: "call" as const, participants: [], source: "command" as const };
    expect(await services.touches.log(rep, await principal(rep), { ...base, note: null })).toEqual({ kind: "denied", reason: "not_owner" });
    expect(await services.touches.log(manager, await principal(manager), { ...base, note: null })).toEqual({ kind: "denied", reason: "not_your_team" });
    expect(await services.touches.log(other, await principal(other), { ...base, note: "n".repeat(3001) })).toEqual({ kind: "invalid", problem: "note_too_long" });
    expect(await services.touches.log(other, await principal(other), { ...base, note: null, occurredAt: new Date(NOW.getTime() + DAY) })).toEqual({
      kind: "invalid",
      problem: "in_future",
    });
    expect(await services.touches.log(rep, await principal(rep), { ...base, accountId: 999_999, note: null })).toEqual({ kind: "not_found" });
    expect(await database.db.prisma.touch.count()).toBe(before);
    expect((await services.repos.accounts.findById(theirs.account.id))?.lastTouchAt).toBeNull();
    // An admin may.
    expect(await services.touches.log(admin, await principal(admin), { ...base, note: null })).toMatchObject({ kind: "logged" });
  });

  it("lists accounts most at-risk first, then most valuable; managers see their team's, reps only theirs", async () => {
    const mk = async (name: string, tier: "key" | "growth" | "standard", value: number, touchedDaysAgo: number | null) => {
      const r = await services.accounts.add(rep, { ...company, name, tier, annualValueCents: value });
      if (r.kind !== "created") throw new Error("setup");
      if (touchedDaysAgo !== null) {
        await services.touches.log(rep, await principal(rep), {
          accountId: r.account.id,
          kind: "call",
          note: null,
          participants: [],
          occurredAt: new Date(NOW.getTime() - touchedDaysAgo * DAY),
          source: "command",
        });
      }
      return r.account;
    };
    await mk("Rank Fresh Big", "key", 50_000_000, 1);
    await mk("Rank Overdue Key", "key", 1_000_000, 20);
    await mk("Rank Fresh Small", "growth", 10_000, 2);
    const page = await services.accounts.list(rep, await principal(rep), { search: "rank", offset: 0, limit: 10 });
    expect(page.total).toBe(3);
    expect(page.items.map((a) => a.name)).toEqual(["Rank Overdue Key", "Rank Fresh Big", "Rank Fresh Small"]);
    expect(page.items[0]).toMatchObject({ overdueDays: 13, daysSinceTouch: 20, thresholdDays: 7, owner: { slackUserId: "URITA" } });

    const repAll = await services.accounts.list(rep, await principal(rep), { search: "", offset: 0, limit: 500 });
    expect(repAll.items.every((a) => a.owner.id === rep.user.id)).toBe(true);
    const managerAll = await services.accounts.list(manager, await principal(manager), { search: "", offset: 0, limit: 500 });
    expect(managerAll.items.some((a) => a.owner.id === rep.user.id)).toBe(true);
    expect(managerAll.items.some((a) => a.owner.id === other.user.id)).toBe(false);
    const adminAll = await services.accounts.list(admin, await principal(admin), { search: "", offset: 0, limit: 500 });
    expect(adminAll.items.some((a) => a.owner.id === other.user.id)).toBe(true);

    const second = await services.accounts.list(rep, await principal(rep), { search: "RANK", offset: 2, limit: 2 });
    expect(second).toMatchObject({ total: 3, offset: 2, items: [{ name: "Rank Fresh Small" }] });
    expect((await services.accounts.list(rep, await principal(rep), { search: "maschinen", offset: 0, limit: 5 })).items.map((a) => a.name)).toEqual(["Müller GmbH"]);
  });

  it("creates follow-ups due at the start of the local day, lists them overdue first and completes them once", async () => {
    const acct = await services.accounts.add(rep, { ...company, name: "Follow Co" });
    if (acct.kind !== "created") throw new Error("setup");
    const p = await principal(rep);
    const created = await services.followUps.create(rep, p, { accountId: acct.account.id, title: " send  deck ", dueDate: "2026-03-10" });
    expect(created).toMatchObject({ kind: "created", followUp: { title: "send deck", status: "open", userId: rep.user.id } });
    if (created.kind !== "created") throw new Error("setup");
    expect(created.followUp.dueAt.toISOString()).toBe(DateTime.fromISO("2026-03-10", { zone: "Europe/Berlin" }).toJSDate().toISOString());
    expect(created.followUp.dueAt.toISOString()).toBe("2026-03-09T23:00:00.000Z");

    expect(await services.followUps.create(rep, p, { accountId: acct.account.id, title: "x", dueDate: "2026-03-03" })).toEqual({ kind: "invalid", field: "due", problem: "due_past" });
    expect(await services.followUps.create(rep, p, { accountId: acct.account.id, title: "  ", dueDate: "2026-03-05" })).toEqual({
      kind: "invalid",
      field: "title",
      problem: "title_empty",
    });
    expect(await services.followUps.create(other, await principal(other), { accountId: acct.account.id, title: "x", dueDate: "2026-03-05" })).toEqual({
      kind: "denied",
      reason: "not_owner",
    });

    // An overdue one (created earlier) and one due today.
    clock.now = new Date(NOW.getTime() - 5 * DAY);
    const old = await services.followUps.create(rep, p, { accountId: acct.account.id, title: "old", dueDate: "2026-03-01" });
    clock.now = NOW;
    const today = await services.followUps.create(rep, p, { accountId: acct.account.id, title: "today", dueDate: "2026-03-04" });
    if (old.kind !== "created" || today.kind !== "created") throw new Error("setup");
    const list = await services.followUps.listOpen(rep, { offset: 0, limit: 10 });
    expect(list.items.map((f) => [f.title, f.overdue, f.dueToday, f.dueDate])).toEqual([
      ["old", true, false, "2026-03-01"],
      ["today", false, true, "2026-03-04"],
      ["send deck", false, false, "2026-03-10"],
    ]);

    expect(await services.followUps.complete(other, await principal(other), old.followUp.id)).toEqual({ kind: "denied", reason: "not_owner" });
    expect(await services.followUps.complete(rep, p, old.followUp.id)).toMatchObject({ kind: "done", followUp: { status: "done", completedAt: NOW } });
    expect(await services.followUps.complete(rep, p, old.followUp.id)).toMatchObject({ kind: "already_closed" });
    // A manager may complete their team member's follow-up.
    expect(await services.followUps.complete(manager, await principal(manager), today.followUp.id)).toMatchObject({ kind: "done" });
    expect(await services.followUps.complete(rep, p, 987_654)).toEqual({ kind: "not_found" });
    expect((await services.followUps.listOpen(rep, { offset: 0, limit: 10 })).items.map((f) => f.title)).toEqual(["send deck"]);
  });

  it("shows one account with touches, open follow-ups, deals and this year's gifts (read from Deal and Gift)", async () => {
    const db = database.db.prisma;
    const acct = await services.accounts.add(rep, { ...company, name: "Detail Inc", tier: "growth", annualValueCents: 250_000_00 });
    if (acct.kind !== "created") throw new Error("setup");
    const id = acct.account.id;
    const p = await principal(rep);
    for (let i = 0; i < 7; i++) {
      await services.touches.log(rep, p, { accountId: id, kind: "email", note: `t${i}`, participants: [], occurredAt: new Date(NOW.getTime() - (i + 1) * DAY), source: "command" });
    }
    await services.followUps.create(rep, p, { accountId: id, title: "call back", dueDate: "2026-03-06" });
    await db.deal.create({ data: { accountId: id, ownerId: rep.user.id, amountCents: 1_200_000n, stage: "proposal", title: "Renewal" } });
    await db.deal.create({ data: { accountId: id, ownerId: rep.user.id, amountCents: 500_000n, stage: "won", status: "won", wonAt: new Date("2026-02-01T12:00:00Z") } });
    const gift = (givenOn: string, cents: bigint) => ({
      workspaceId: workspace.id, accountId: id, userId: rep.user.id, recipientName: "Jane Doe", recipientKey: "jane doe", amountCents: cents, givenOn, description: "Wine",
    });
    await db.gift.create({ data: gift("2026-01-15", 5_000n) });
    await db.gift.create({ data: gift("2026-02-20", 7_500n) });
    await db.gift.create({ data: gift("2025-12-31", 9_900n) }); // last year: not counted

    const r = await services.accounts.detail(rep, p, id);
    expect(r.kind).toBe("found");
    if (r.kind !== "found") return;
    const d = r.detail;
    expect(d.account).toMatchObject({ name: "Detail Inc", tier: "growth", annualValueCents: 25_000_000, daysSinceTouch: 1, overdueDays: null });
    expect(d.touches.map((t) => t.note)).toEqual(["t0", "t1", "t2", "t3", "t4"]);
    expect(d.touchCount).toBe(7);
    expect(d.followUps).toMatchObject([{ title: "call back", overdue: false }]);
    expect(d.deals.map((x) => [x.status, x.amountCents])).toEqual([
      ["open", 1_200_000],
      ["won", 500_000],
    ]);
    expect(d).toMatchObject({ dealCount: 2, giftCount: 2, giftTotalCents: 12_500, year: "2026" });
    expect(d.gifts.map((g) => g.givenOn)).toEqual(["2026-02-20", "2026-01-15"]);

    expect(await services.accounts.detail(other, await principal(other), id)).toEqual({ kind: "denied", reason: "not_owner" });
    expect((await services.accounts.detail(manager, await principal(manager), id)).kind).toBe("found");
  });

  it("offers at most `limit` accounts for pickers, the preselected one first", async () => {
    const all = await services.accounts.options(rep, await principal(rep), 100);
    const last = all[all.length - 1]!;
    const two = await services.accounts.options(rep, await principal(rep), 2, last.id);
    expect(two).toHaveLength(2);
    expect(two[0]!.id).toBe(last.id);
    expect(two.every((o) => o.mine)).toBe(true);
    const forManager = await services.accounts.options(manager, await principal(manager), 100);
    expect(forManager.some((o) => !o.mine && o.ownerName === "RITA")).toBe(true);
  });
});
