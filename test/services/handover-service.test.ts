import { afterAll, beforeAll, expect, it } from "vitest";
import { createLogger } from "../../src/logger.js";
import { createServices, type Services } from "../../src/services/services.js";
import type { DomainEvents } from "../../src/services/domain-events.js";
import type { Principal } from "../../src/domain/authorization.js";
import type { User } from "../../src/db/repositories/user-repository.js";
import type { Workspace } from "../../src/db/repositories/workspace-repository.js";
import type { HandoverPreview } from "../../src/services/handover-service.js";
import { describeEachProvider } from "../support/providers.js";
import { createTestDatabase, type TestDatabase } from "../support/test-database.js";
import { seedAccount, seedDeal, seedTeam, seedUser, seedWorkspace } from "../support/deals-fixtures.js";

const NOW = new Date("2026-02-16T17:00:00Z");

describeEachProvider("handing over a book: HandoverService and HandoverRepository [%s]", (provider) => {
  let tdb: TestDatabase;
  let services: Services;
  let ws: Workspace;
  let mgr: User, dana: User, lee: User, other: User;
  let admin: Principal, manager: Principal, rep: Principal;
  const handed: DomainEvents["book.handed_over"][] = [];
  const ids: Record<string, number> = {};

  /** Who owns/authors every row, as one comparable object. */
  async function snapshot() {
    const p = tdb.db.prisma;
    const [accounts, followUps, deals, touches] = await Promise.all([
      p.account.findMany({ where: { workspaceId: ws.id }, select: { id: true, ownerId: true }, orderBy: { id: "asc" } }),
      p.followUp.findMany({ where: { account: { workspaceId: ws.id } }, select: { id: true, userId: true }, orderBy: { id: "asc" } }),
      p.deal.findMany({ where: { account: { workspaceId: ws.id } }, select: { id: true, ownerId: true }, orderBy: { id: "asc" } }),
      p.touch.findMany({ where: { account: { workspaceId: ws.id } }, select: { id: true, userId: true }, orderBy: { id: "asc" } }),
    ]);
    return { accounts, followUps, deals, touches };
  }

  beforeAll(async () => {
    tdb = await createTestDatabase(provider);
    services = createServices(tdb.db, { defaultTimezone: "America/New_York", now: () => NOW, logger: createLogger("error", () => undefined, []) });
    services.events.on("book.handed_over", (e) => void handed.push(e));
    ws = await seedWorkspace(tdb.db);
    mgr = await seedUser(tdb.db, ws, "UMGR", { role: "manager" });
    dana = await seedUser(tdb.db, ws, "UDANA");
    lee = await seedUser(tdb.db, ws, "ULEE");
    await seedUser(tdb.db, ws, "UOUT");
    other = await seedUser(tdb.db, ws, "UOTHER");
    await seedTeam(tdb.db, ws, mgr, [dana, lee]);
    admin = { userId: 999_999, role: "admin", managedUserIds: new Set() };
    manager = { userId: mgr.id, role: "manager", managedUserIds: new Set([dana.id, lee.id]) };
    rep = { userId: dana.id, role: "rep", managedUserIds: new Set() };
    const p = tdb.db.prisma;
    // Dana owns Acme (open deal, won deal, lost deal, open + done follow-ups, a touch) and an archived account.
    const acme = await seedAccount(tdb.db, ws, dana, "Acme");
    const old = await seedAccount(tdb.db, ws, dana, "Old Co");
    await p.account.update({ where: { id: old.id }, data: { archived: true } });
    // Other's account, where Dana has an open deal and an open follow-up (moved only by "all").
    const globex = await seedAccount(tdb.db, ws, other, "Globex");
    ids.openDeal = await seedDeal(tdb.db, acme, 10_000_00);
    ids.wonDeal = await seedDeal(tdb.db, acme, 20_000_00, { status: "won", wonAt: new Date("2026-01-10T12:00:00Z") });
    ids.lostDeal = await seedDeal(tdb.db, acme, 5_000_00, { status: "lost" });
    ids.globexDeal = await seedDeal(tdb.db, globex, 7_000_00, { ownerId: dana.id });
    ids.otherDeal = await seedDeal(tdb.db, globex, 3_000_00);
    const fu = (accountId: number, userId: number, status = "open") =>
      p.followUp.create({ data: { accountId, userId, title: "x", dueAt: NOW, status } }).then((r) => r.id);
    ids.openFu = await fu(acme.id, dana.id);
    ids.doneFu = await fu(acme.id, dana.id, "done");
    ids.globexFu = await fu(globex.id, dana.id);
    ids.othersFuOnAcme = await fu(acme.id, other.id);
    ids.touch = (await p.touch.create({ data: { accountId: acme.id, userId: dana.id, kind: "call", occurredAt: NOW } })).id;
    ids.acme = acme.id;
    ids.old = old.id;
    ids.globex = globex.id;
  });
  afterAll(async () => tdb?.drop());

  const preview = (p: Principal, from: string, to: string, scope: "accounts" | "all") =>
    services.handovers.preview(ws, p, { slackUserId: from }, { slackUserId: to }, scope);

  it.each([
    ["a rep", () => rep, "UDANA", "ULEE", { kind: "denied", reason: "manager_only" }],
    ["the same person twice", () => admin, "UDANA", "UDANA", { kind: "same_person" }],
    ["a manager handing to someone outside the team", () => manager, "UDANA", "UOUT", { kind: "denied", reason: "not_your_team" }],
    ["a manager taking from outside the team", () => manager, "UOTHER", "ULEE", { kind: "denied", reason: "not_your_team" }],
    ["an unknown giver", () => admin, "UGHOST", "ULEE", { kind: "unknown_user", ref: { slackUserId: "UGHOST" } }],
    ["an unknown taker (no Slack lookup)", () => manager, "UDANA", "UGHOST", { kind: "unknown_user", ref: { slackUserId: "UGHOST" } }],
  ] as const)("refuses %s and changes nothing", async (_name, who, from, to, expected) => {
    const before = await snapshot();
    expect(await preview(who(), from, to, "all")).toMatchObject(expected);
    expect(await snapshot()).toEqual(before);
  });

  it("counts what each scope moves: accounts (with what is on them) or all", async () => {
    expect(await preview(manager, "UDANA", "ULEE", "accounts")).toMatchObject({ kind: "preview", counts: { accounts: 2, followUps: 1, deals: 1 } });
    expect(await preview(admin, "UDANA", "ULEE", "all")).toMatchObject({ kind: "preview", counts: { accounts: 2, followUps: 2, deals: 2 } });
    expect(await preview(admin, "UOUT", "ULEE", "all")).toMatchObject({ kind: "nothing" });
  });

  it("refuses a stale confirmation (the rows changed) and moves nothing; the fresh preview comes back", async () => {
    const shown = (await preview(manager, "UDANA", "ULEE", "accounts")) as Extract<HandoverPreview, { kind: "preview" }>;
    // Someone adds a follow-up for Dana on Acme after the confirmation was shown.
    const extra = await tdb.db.prisma.followUp.create({ data: { accountId: ids.acme!, userId: dana.id, title: "new", dueAt: NOW } });
    const before = await snapshot();
    const outcome = await services.handovers.confirm(ws, manager, { fromUserId: dana.id, toUserId: lee.id, scope: "accounts", fingerprint: shown.fingerprint }, mgr);
    expect(outcome).toMatchObject({ kind: "changed", now: { kind: "preview", counts: { accounts: 2, followUps: 2, deals: 1 } } });
    expect(await snapshot()).toEqual(before);
    await tdb.db.prisma.followUp.delete({ where: { id: extra.id } });
  });

  it("re-checks the confirmer's rights: a rep clicking a manager's confirmation moves nothing", async () => {
    const shown = (await preview(manager, "UDANA", "ULEE", "all")) as Extract<HandoverPreview, { kind: "preview" }>;
    const before = await snapshot();
    const outcome = await services.handovers.confirm(ws, rep, { fromUserId: dana.id, toUserId: lee.id, scope: "all", fingerprint: shown.fingerprint }, dana);
    expect(outcome).toEqual({ kind: "denied", reason: "manager_only" });
    expect(await snapshot()).toEqual(before);
    expect(handed).toHaveLength(0);
  });

  it("moves exactly the accounts, open follow-ups and open deals; touches, won/lost deals and done follow-ups keep their author", async () => {
    const shown = (await preview(manager, "UDANA", "ULEE", "accounts")) as Extract<HandoverPreview, { kind: "preview" }>;
    const before = await snapshot();
    const outcome = await services.handovers.confirm(ws, manager, { fromUserId: dana.id, toUserId: lee.id, scope: "accounts", fingerprint: shown.fingerprint }, mgr);
    expect(outcome).toMatchObject({ kind: "moved", counts: { accounts: 2, followUps: 1, deals: 1 } });
    const after = await snapshot();
    const owner = (rows: { id: number; ownerId?: number; userId?: number }[], id: number) => {
      const row = rows.find((r) => r.id === id)!;
      return row.ownerId ?? row.userId;
    };
    expect(owner(after.accounts, ids.acme!)).toBe(lee.id);
    expect(owner(after.accounts, ids.old!)).toBe(lee.id);
    expect(owner(after.accounts, ids.globex!)).toBe(other.id);
    expect(owner(after.deals, ids.openDeal!)).toBe(lee.id);
    expect(owner(after.deals, ids.wonDeal!)).toBe(dana.id);
    expect(owner(after.deals, ids.lostDeal!)).toBe(dana.id);
    expect(owner(after.deals, ids.globexDeal!)).toBe(dana.id); // not on a moved account: only "all" takes it
    expect(owner(after.deals, ids.otherDeal!)).toBe(other.id);
    expect(owner(after.followUps, ids.openFu!)).toBe(lee.id);
    expect(owner(after.followUps, ids.doneFu!)).toBe(dana.id);
    expect(owner(after.followUps, ids.globexFu!)).toBe(dana.id);
    expect(owner(after.followUps, ids.othersFuOnAcme!)).toBe(other.id);
    expect(after.touches).toEqual(before.touches);
    expect(handed).toEqual([
      { workspaceId: ws.id, fromUserId: dana.id, toUserId: lee.id, byUserId: mgr.id, scope: "accounts", counts: { accounts: 2, followUps: 1, deals: 1 }, at: NOW.getTime() },
    ]);
    // The same confirmation clicked again finds different rows: nothing more moves.
    const again = await services.handovers.confirm(ws, manager, { fromUserId: dana.id, toUserId: lee.id, scope: "accounts", fingerprint: shown.fingerprint }, mgr);
    expect(again.kind).toBe("changed");
    expect(await snapshot()).toEqual(after);
  });

  it("scope all then takes the rest of Dana's open work, wherever it is", async () => {
    const shown = (await preview(admin, "UDANA", "ULEE", "all")) as Extract<HandoverPreview, { kind: "preview" }>;
    expect(shown.counts).toEqual({ accounts: 0, followUps: 1, deals: 1 });
    const outcome = await services.handovers.confirm(ws, admin, { fromUserId: dana.id, toUserId: lee.id, scope: "all", fingerprint: shown.fingerprint }, null);
    expect(outcome.kind).toBe("moved");
    const after = await snapshot();
    expect(after.deals.find((d) => d.id === ids.globexDeal)!.ownerId).toBe(lee.id);
    expect(after.followUps.find((f) => f.id === ids.globexFu)!.userId).toBe(lee.id);
    expect(after.deals.find((d) => d.id === ids.wonDeal)!.ownerId).toBe(dana.id);
    expect(await preview(admin, "UDANA", "ULEE", "all")).toMatchObject({ kind: "nothing" });
  });
});
