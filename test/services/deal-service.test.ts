import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLogger } from "../../src/logger.js";
import { createServices, type Services } from "../../src/services/services.js";
import { parseDealRef } from "../../src/services/deal-service.js";
import type { DomainEvents } from "../../src/services/domain-events.js";
import { describeEachProvider } from "../support/providers.js";
import { createTestDatabase, type TestDatabase } from "../support/test-database.js";
import { actorOf, seedAccount, seedDeal, seedTeam, seedUser, seedWorkspace } from "../support/deals-fixtures.js";

const NOW = new Date("2026-02-16T17:00:00Z");

describe("parseDealRef", () => {
  it.each([
    ["42", { kind: "number", id: 42 }],
    ["#42", { kind: "number", id: 42 }],
    [" #7 ", { kind: "number", id: 7 }],
    ["Acme", { kind: "account", query: "Acme" }],
    ["42 Corp", { kind: "account", query: "42 Corp" }],
    ["#acme", { kind: "account", query: "#acme" }],
  ])("%s", (text, expected) => {
    expect(parseDealRef(text)).toEqual(expected);
  });
});

describeEachProvider("deal repository and service [%s]", (provider) => {
  let tdb: TestDatabase;
  let services: Services;
  const won: DomainEvents["deal.won"][] = [];
  const changed: DomainEvents["user.changed"][] = [];
  beforeAll(async () => {
    tdb = await createTestDatabase(provider);
    services = createServices(tdb.db, { defaultTimezone: "America/New_York", now: () => NOW, logger: createLogger("error", () => undefined, []) });
    services.events.on("deal.won", (e) => void won.push(e));
    services.events.on("user.changed", (e) => void changed.push(e));
  });
  afterAll(async () => tdb?.drop());

  it("creates deals for the account's owner and finds them by number or by an account with one open deal", async () => {
    const ws = await seedWorkspace(tdb.db);
    const alice = await seedUser(tdb.db, ws, "UA", { name: "Alice" });
    const actor = actorOf(alice, ws);
    const p = await services.principal(actor);
    const acme = await seedAccount(tdb.db, ws, alice, "Acme Corp");
    const created = await services.deals.create(actor, p, acme, { amountCents: 50_000_00, stage: "proposal", expectedCloseAt: null });
    expect(created).toMatchObject({ kind: "created", deal: { accountName: "Acme Corp", ownerId: alice.id, amountCents: 50_000_00, stage: "proposal", status: "open" } });
    if (created.kind !== "created") return;
    expect(await services.deals.find(actor, p, { kind: "number", id: created.deal.id })).toMatchObject({ kind: "found", deal: { id: created.deal.id } });
    expect(await services.deals.find(actor, p, { kind: "account", query: "acme" })).toMatchObject({ kind: "found", deal: { id: created.deal.id } });
    expect(await services.deals.find(actor, p, { kind: "number", id: 999_999 })).toEqual({ kind: "not_found", id: 999_999 });

    await seedDeal(tdb.db, acme, 5_000_00);
    const several = await services.deals.find(actor, p, { kind: "account", query: "Acme Corp" });
    expect(several.kind).toBe("several");
    if (several.kind === "several") expect(several.deals.map((d) => d.amountCents)).toEqual([50_000_00, 5_000_00]);

    const empty = await seedAccount(tdb.db, ws, alice, "Empty Inc");
    expect(await services.deals.find(actor, p, { kind: "account", query: "Empty" })).toMatchObject({ kind: "no_open_deals", account: { id: empty.id } });
    expect((await services.deals.find(actor, p, { kind: "account", query: "zzzz" })).kind).toBe("account");
  });

  it("refuses another rep's deals, lets their manager act, and never crosses workspaces", async () => {
    const ws = await seedWorkspace(tdb.db);
    const alice = await seedUser(tdb.db, ws, "UA");
    const bob = await seedUser(tdb.db, ws, "UB");
    const mgr = await seedUser(tdb.db, ws, "UM", { role: "manager" });
    await seedTeam(tdb.db, ws, mgr, [bob]);
    const bobs = await seedAccount(tdb.db, ws, bob, "Bobco");
    const dealId = await seedDeal(tdb.db, bobs, 1_000_00);
    const asAlice = actorOf(alice, ws);
    expect(await services.deals.find(asAlice, await services.principal(asAlice), { kind: "number", id: dealId })).toEqual({ kind: "denied", reason: "not_owner" });
    const asMgr = actorOf(mgr, ws);
    const pm = await services.principal(asMgr);
    expect((await services.deals.find(asMgr, pm, { kind: "number", id: dealId })).kind).toBe("found");
    // A manager's new deal on a rep's account belongs to the rep, and the rep's views refresh.
    changed.length = 0;
    const created = await services.deals.create(asMgr, pm, bobs, { amountCents: 2_000_00, stage: "prospect", expectedCloseAt: null });
    expect(created).toMatchObject({ kind: "created", deal: { ownerId: bob.id } });
    expect(changed).toEqual([{ workspaceId: ws.id, userId: bob.id, slackUserId: "UB" }]);

    const elsewhere = await seedWorkspace(tdb.db);
    const eve = await seedUser(tdb.db, elsewhere, "UE", { role: "admin" });
    const asEve = actorOf(eve, elsewhere);
    expect(await services.deals.find(asEve, await services.principal(asEve), { kind: "number", id: dealId })).toEqual({ kind: "not_found", id: dealId });
  });

  it("wins a deal once (final amount, wonAt = now, deal.won emitted) and loses another with its reason", async () => {
    const ws = await seedWorkspace(tdb.db);
    const alice = await seedUser(tdb.db, ws, "UA");
    const actor = actorOf(alice, ws);
    const acme = await seedAccount(tdb.db, ws, alice, "Acme");
    await services.repos.quotas.upsert({ userId: alice.id, periodType: "quarter", periodStart: "2026-01-01", amountCents: 100_000_00, rampFactor: 1, setById: null });
    const dealId = await seedDeal(tdb.db, acme, 40_000_00);
    const deal = (await services.repos.deals.findById(dealId))!;
    won.length = 0;
    const result = await services.deals.win(actor, deal, 45_000_00);
    expect(result).toMatchObject({ kind: "won", deal: { status: "won", stage: "won", amountCents: 45_000_00, wonAt: NOW } });
    if (result.kind === "won") expect(result.impact.view.progress.attainment).toBe(0.45);
    expect(won).toEqual([{ workspaceId: ws.id, dealId, ownerId: alice.id, ownerSlackUserId: "UA", accountName: "Acme", amountCents: 45_000_00, currency: "USD" }]);
    expect(await services.deals.win(actor, deal)).toMatchObject({ kind: "closed", deal: { status: "won" } });
    expect(won).toHaveLength(1);

    const other = (await services.repos.deals.findById(await seedDeal(tdb.db, acme, 9_000_00)))!;
    expect(await services.deals.lose(actor, other, "budget cut")).toMatchObject({ kind: "lost", deal: { status: "lost", lostReason: "budget cut", lostAt: NOW } });
    expect(await services.deals.lose(actor, other, null)).toMatchObject({ kind: "closed" });
    expect(await services.repos.quotas.wonSum(alice.id, new Date("2026-01-01T05:00:00Z"), new Date("2026-04-01T04:00:00Z"))).toBe(45_000_00);
  });

  it("records every stage change with when and who (create, setStage, won, lost; a repeat records nothing) and pushes close dates", async () => {
    const ws = await seedWorkspace(tdb.db);
    const alice = await seedUser(tdb.db, ws, "UA");
    const mgr = await seedUser(tdb.db, ws, "UM", { role: "manager" });
    await seedTeam(tdb.db, ws, mgr, [alice]);
    const actor = actorOf(alice, ws);
    const asMgr = actorOf(mgr, ws);
    const p = await services.principal(actor);
    const acme = await seedAccount(tdb.db, ws, alice, "Acme");
    const created = await services.deals.create(actor, p, acme, { amountCents: 10_000_00, stage: "qualified", expectedCloseAt: null });
    if (created.kind !== "created") throw new Error("not created");
    expect(created.deal.stageChangedAt).toEqual(NOW);
    const moved = await services.deals.setStage(asMgr, created.deal, "proposal");
    expect(moved).toMatchObject({ kind: "moved", from: "qualified", deal: { stage: "proposal", stageChangedAt: NOW } });
    if (moved.kind !== "moved") return;
    expect(await services.deals.setStage(actor, moved.deal, "proposal")).toMatchObject({ kind: "unchanged" });
    // A stale copy saying "qualified" cannot skip the history: the repository reads the stage itself.
    expect(await services.repos.deals.setStage(created.deal.id, "proposal", { userId: alice.id }, NOW)).toMatchObject({ stage: "proposal" });
    expect(await services.deals.pushCloseDate(actor, moved.deal, "2026-02-15")).toEqual({ kind: "past", date: "2026-02-15" });
    const pushed = await services.deals.pushCloseDate(actor, moved.deal, "2026-02-23");
    expect(pushed).toMatchObject({ kind: "pushed", date: "2026-02-23", deal: { expectedCloseAt: new Date("2026-02-23T05:00:00Z"), stage: "proposal" } });
    await services.deals.win(actor, moved.deal);
    expect(await services.deals.setStage(actor, moved.deal, "negotiation")).toMatchObject({ kind: "closed" });
    const lostDeal = (await services.repos.deals.findById(await seedDeal(tdb.db, acme, 1_00)))!;
    await services.deals.lose(actor, lostDeal, "no budget");
    await services.repos.deals.setStage(lostDeal.id, "negotiation", { source: "cli" }, NOW);

    const history = await services.repos.deals.stageHistory(created.deal.id);
    expect(history.map((h) => [h.fromStage, h.toStage, h.byUserId, h.source])).toEqual([
      [null, "qualified", alice.id, "slack"],
      ["qualified", "proposal", mgr.id, "slack"],
      ["proposal", "won", alice.id, "slack"],
    ]);
    expect(history.every((h) => h.at.getTime() === NOW.getTime())).toBe(true);
    // A seeded deal has no creation row (it predates history); losing it records the change only.
    expect((await services.repos.deals.stageHistory(lostDeal.id)).map((h) => [h.fromStage, h.toStage])).toEqual([["proposal", "lost"]]);
    // The CLI/sync form of "who" is stored as its source.
    const cliDeal = await services.repos.deals.create({ accountId: acme.id, ownerId: alice.id, amountCents: 1_00, stage: "prospect", expectedCloseAt: null }, { source: "sync" }, NOW);
    expect(await services.repos.deals.stageHistory(cliDeal.id)).toMatchObject([{ fromStage: null, toStage: "prospect", byUserId: null, source: "sync" }]);
  });

  it("sets a forecast category without touching the stage or its history, tells the owner when their manager does it, and clears it back to the stage", async () => {
    const ws = await seedWorkspace(tdb.db);
    const alice = await seedUser(tdb.db, ws, "UA");
    const mgr = await seedUser(tdb.db, ws, "UM", { role: "manager" });
    await seedTeam(tdb.db, ws, mgr, [alice]);
    const actor = actorOf(alice, ws);
    const acme = await seedAccount(tdb.db, ws, alice, "Acme");
    const created = await services.deals.create(actor, await services.principal(actor), acme, { amountCents: 10_000_00, stage: "proposal", expectedCloseAt: null, forecastCategory: "pipeline" });
    if (created.kind !== "created") throw new Error("not created");
    expect(created.deal.forecastCategory).toBe("pipeline");
    changed.length = 0;
    const set = await services.deals.setForecastCategory(actorOf(mgr, ws), created.deal, "commit");
    expect(set).toMatchObject({ kind: "set", from: "pipeline", deal: { forecastCategory: "commit", stage: "proposal" } });
    expect(changed).toEqual([{ workspaceId: ws.id, userId: alice.id, slackUserId: "UA" }]);
    if (set.kind !== "set") return;
    expect(await services.deals.setForecastCategory(actor, set.deal, "commit")).toMatchObject({ kind: "unchanged" });
    expect(await services.deals.setForecastCategory(actor, set.deal, null)).toMatchObject({ kind: "set", from: "commit", deal: { forecastCategory: null } });
    expect((await services.repos.deals.stageHistory(created.deal.id)).map((h) => h.toStage)).toEqual(["proposal"]);
    await services.deals.win(actor, set.deal);
    expect(await services.deals.setForecastCategory(actor, set.deal, "pipeline")).toMatchObject({ kind: "closed", deal: { status: "won" } });
  });
});
