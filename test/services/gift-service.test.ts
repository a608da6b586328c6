import { afterAll, beforeAll, expect, it } from "vitest";
import { createLogger } from "../../src/logger.js";
import { createServices, type Services } from "../../src/services/services.js";
import type { GiftDraft } from "../../src/services/gift-service.js";
import { describeEachProvider } from "../support/providers.js";
import { createTestDatabase, type TestDatabase } from "../support/test-database.js";
import { actorOf, seedAccount, seedTeam, seedUser, seedWorkspace } from "../support/deals-fixtures.js";

const clock = { now: new Date("2026-06-10T16:00:00Z") };

describeEachProvider("gift repository and service [%s]", (provider) => {
  let tdb: TestDatabase;
  let services: Services;
  beforeAll(async () => {
    tdb = await createTestDatabase(provider);
    services = createServices(tdb.db, { defaultTimezone: "America/New_York", now: () => clock.now, logger: createLogger("error", () => undefined, []) });
  });
  afterAll(async () => tdb?.drop());

  async function setup() {
    const db = tdb!.db;
    const ws = await seedWorkspace(db);
    const alice = await seedUser(db, ws, "UA", { name: "Alice Adams" });
    const acme = await seedAccount(db, ws, alice, "Acme Corp");
    const actor = actorOf(alice, ws);
    const principal = await services.principal(actor);
    const draft = (d: Partial<GiftDraft>): GiftDraft => ({
      accountId: acme.id, kind: "gift", recipientName: "John Doe", amountCents: 100_00, givenOn: "2026-06-10", description: "Wine", ...d,
    });
    return { db, ws, alice, acme, actor, principal, draft };
  }

  it("logs gifts under the limit, links an existing contact by normalized name, and creates a new one otherwise", async () => {
    const { db, acme, actor, principal, draft } = await setup();
    const contact = await db.prisma.contact.create({ data: { accountId: acme.id, name: "John Doe", nameKey: "john doe" } });
    const first = await services.gifts.log(actor, principal, draft({ recipientName: "  JOHN   DOE ", amountCents: 120_00 }));
    expect(first).toMatchObject({ kind: "saved", contactCreated: false, gift: { contactId: contact.id, recipientName: "John Doe", overLimit: false }, check: { limitCents: 300_00, totalAfterCents: 120_00, remainingCents: 180_00 } });
    const jane = await services.gifts.log(actor, principal, draft({ recipientName: "Jane Röe", amountCents: 50_00 }));
    expect(jane).toMatchObject({ kind: "saved", contactCreated: true, gift: { recipientName: "Jane Röe", recipientKey: "jane roe" } });
    expect(await db.prisma.contact.count({ where: { accountId: acme.id } })).toBe(2);
  });

  it("refuses a gift over the limit unless a reason is given, and records the override", async () => {
    const { db, ws, actor, principal, draft } = await setup();
    await services.gifts.log(actor, principal, draft({ amountCents: 250_00 }));
    // Entertainment never counts and never breaches.
    expect(await services.gifts.log(actor, principal, draft({ kind: "entertainment", amountCents: 900_00 }))).toMatchObject({ kind: "saved", gift: { overLimit: false } });
    const before = await db.prisma.gift.count({ where: { workspaceId: ws.id } });
    const refused = await services.gifts.log(actor, principal, draft({ amountCents: 60_00 }));
    expect(refused).toEqual({ kind: "over_limit", check: expect.objectContaining({ priorTotalCents: 250_00, totalAfterCents: 310_00, overByCents: 10_00, exceeds: true }) as unknown });
    expect(await services.gifts.log(actor, principal, draft({ amountCents: 60_00 }), "   ")).toMatchObject({ kind: "over_limit" });
    expect(await db.prisma.gift.count({ where: { workspaceId: ws.id } })).toBe(before);
    const saved = await services.gifts.log(actor, principal, draft({ amountCents: 60_00 }), " Client's retirement, approved by compliance ");
    expect(saved).toMatchObject({ kind: "saved", gift: { overLimit: true, overrideReason: "Client's retirement, approved by compliance" } });
    // Exactly reaching the limit is fine; a reason given for a gift within the limit is not recorded as an override.
    const within = await services.gifts.log(actor, principal, draft({ recipientName: "Other Person", amountCents: 300_00 }), "not needed");
    expect(within).toMatchObject({ kind: "saved", gift: { overLimit: false, overrideReason: null } });
  });

  it("applies the $100 limit before 2026-03-30, a stricter firm limit, and calendar vs rolling years", async () => {
    const { ws, actor, principal, draft } = await setup();
    expect((await services.gifts.check(ws.id, draft({ givenOn: "2026-03-29", amountCents: 100_01 }))).exceeds).toBe(true);
    expect((await services.gifts.check(ws.id, draft({ givenOn: "2026-03-30", amountCents: 100_01 }))).exceeds).toBe(false);

    await services.gifts.log(actor, principal, draft({ givenOn: "2025-12-20", amountCents: 80_00 }));
    await services.gifts.log(actor, principal, draft({ givenOn: "2026-02-01", amountCents: 20_00 }));
    // Calendar year 2026: only 20 counts.
    expect(await services.gifts.check(ws.id, draft({ amountCents: 280_00 }))).toMatchObject({ priorTotalCents: 20_00, exceeds: false });
    await services.gifts.updateSettings(ws.id, { yearMode: "rolling" });
    // Rolling 12 months to 2026-06-10 (from 2025-06-11): both count.
    expect(await services.gifts.check(ws.id, draft({ amountCents: 280_00 }))).toMatchObject({ priorTotalCents: 100_00, exceeds: true, window: { fromDate: "2025-06-11" } });
    await services.gifts.updateSettings(ws.id, { firmLimitCents: 150_00, yearMode: "calendar" });
    expect(await services.gifts.settings(ws.id)).toEqual({ firmLimitCents: 150_00, yearMode: "calendar" });
    expect(await services.gifts.check(ws.id, draft({ amountCents: 140_00 }))).toMatchObject({ limitCents: 150_00, exceeds: true, overByCents: 10_00 });
    await services.gifts.updateSettings(ws.id, { firmLimitCents: null });
    expect((await services.gifts.settings(ws.id)).firmLimitCents).toBeNull();
  });

  it("counts a recipient's gifts from every rep, lists only the actor's scope, and exports the year for compliance", async () => {
    const { db, ws, alice, acme, actor, principal, draft } = await setup();
    const bob = await seedUser(db, ws, "UB", { name: "Bob Brown" });
    const mgr = await seedUser(db, ws, "UM", { role: "manager", name: "Mia Manager" });
    await seedTeam(db, ws, mgr, [bob]);
    const bobco = await seedAccount(db, ws, bob, "Bobco");
    const asBob = actorOf(bob, ws);
    await services.gifts.log(actor, principal, draft({ amountCents: 100_00, givenOn: "2026-01-05", description: 'Book "Sales, done right"' }));
    await services.gifts.log(asBob, await services.principal(asBob), draft({ accountId: bobco.id, amountCents: 150_00, description: "=HYPERLINK(x)" }));
    // The same person given by Bob counts against Alice's next gift.
    expect((await services.gifts.check(ws.id, draft({ amountCents: 60_00 }))).priorTotalCents).toBe(250_00);

    const mine = await services.gifts.list(actor, principal);
    expect(mine.recipients).toHaveLength(1);
    expect(mine.recipients[0]).toMatchObject({ recipientName: "John Doe", countedCents: 250_00, limitCents: 300_00, remainingCents: 50_00, overLimit: false });
    expect(mine.recipients[0]!.entries.map((e) => e.userId)).toEqual([alice.id]);
    const asMgr = actorOf(mgr, ws);
    expect((await services.gifts.list(asMgr, await services.principal(asMgr))).recipients[0]!.entries.map((e) => e.userId)).toEqual([bob.id]);
    expect((await services.gifts.list(actor, principal, { accountId: acme.id })).recipients).toHaveLength(1);
    expect((await services.gifts.list(actor, principal, { recipient: "jo" })).recipients).toHaveLength(1);
    expect((await services.gifts.list(actor, principal, { recipient: "nobody" })).recipients).toHaveLength(0);

    const rows = await services.gifts.exportRows(2026, ws.id);
    expect(rows.map((r) => r.slice(0, 10))).toEqual([
      ["date", "rep", "account", "recipient", "kind", "amount", "currency", "description", "over_limit", "override_reason"],
      ["2026-01-05", "Alice Adams (UA)", "Acme Corp", "John Doe", "gift", "100.00", "USD", 'Book "Sales, done right"', "no", ""],
      ["2026-06-10", "Bob Brown (UB)", "Bobco", "John Doe", "gift", "150.00", "USD", "=HYPERLINK(x)", "no", ""],
    ]);
    expect(rows[0]!.slice(10)).toEqual(["entry", "corrects_entry", "corrected_by_entry", "correction_reason", "restricted", "restriction_reason", "purge_on"]);
    for (const r of rows.slice(1)) expect(r.slice(11)).toEqual(["", "", "", "no", "", expect.stringMatching(/^\d{4}-\d\d-\d\d$/)]);
    expect(await services.gifts.exportRows(2025, ws.id)).toHaveLength(1);
  });

  it("refuses gifts on accounts the actor may not see, and on deleted accounts", async () => {
    const { db, ws, actor, principal, draft } = await setup();
    const carol = await seedUser(db, ws, "UC");
    const carols = await seedAccount(db, ws, carol, "Carolco");
    expect(await services.gifts.log(actor, principal, draft({ accountId: carols.id }))).toEqual({ kind: "denied", reason: "not_owner" });
    expect(await services.gifts.log(actor, principal, draft({ accountId: 987_654 }))).toEqual({ kind: "account_gone" });
  });
});
