import { expect, it, vi } from "vitest";
import type { SObjectType } from "../../src/demo/fake-salesforce.js";
import { createCrmSync } from "../../src/services/crm/create-crm-sync.js";
import type { CrmSyncService, SyncResult } from "../../src/services/crm/crm-sync-service.js";
import type { Workspace } from "../../src/db/repositories/workspace-repository.js";
import { describeEachProvider } from "../support/providers.js";
import { seedWorkspace } from "../support/deals-fixtures.js";
import { crmTestbed, silentLogger as silent, TEST_STAGES as STAGES } from "../support/crm.js";
import { AuditRepository } from "../../src/db/repositories/audit-repository.js";

function done(result: SyncResult) {
  if (result.kind !== "done") throw new Error(`expected a finished pass, got ${JSON.stringify(result)}`);
  return result.objects;
}

describeEachProvider("CRM pull from Salesforce [%s]", (provider) => {
  const bed = crmTestbed(provider);

  /** A workspace with Ada (known by email), a fake Salesforce whose clock the test moves, and the sync. */
  async function setup(opts: { overlapMs?: number; timeoutMs?: number; workerId?: string } = {}) {
    const tdb = bed.db();
    const ws: Workspace = await seedWorkspace(tdb.db);
    const ada = await tdb.db.prisma.user.create({ data: { workspaceId: ws.id, slackUserId: `UADA${ws.id}`, name: "Ada", email: "Ada@Example.com", timezone: "Europe/Berlin" } });
    const clock = { sf: new Date("2026-11-01T09:00:00Z"), app: new Date("2026-11-30T09:00:00Z") };
    const sf = await bed.startFake({ maxPageSize: 2, now: () => clock.sf });
    const make = (workerId = opts.workerId ?? "w1") =>
      createCrmSync(
        tdb.db,
        { provider: "salesforce", loginUrl: sf.url, clientId: sf.clientId, clientSecret: sf.clientSecret, syncMinutes: 5, stageMap: STAGES },
        { now: () => clock.app, logger: silent, workerId, connector: { requestTimeoutMs: opts.timeoutMs ?? 10_000 }, overlapMs: opts.overlapMs },
      );
    const sync: CrmSyncService = make();
    const adaSf = sf.create("User", { Name: "Ada", Email: "ada@example.com" });
    const bobSf = sf.create("User", { Name: "Bob", Email: "bob@example.com" });
    /** Each change happens a minute after the last (SystemModstamp moves). */
    const later = <T>(fn: () => T): T => {
      clock.sf = new Date(clock.sf.getTime() + 60_000);
      return fn();
    };
    const create = (type: SObjectType, fields: Record<string, string | number | boolean | null>) => later(() => sf.create(type, fields));
    return { tdb, ws, ada, sf, sync, make, clock, adaSf, bobSf, later, create };
  }

  it("an initial pull pages through everything, matches owners by email, skips and reports what it cannot place, and is idempotent", async () => {
    const s = await setup();
    const acme = s.create("Account", { Name: "Acme", Industry: "Manufacturing", AnnualRevenue: 1250000.5, OwnerId: s.adaSf });
    const globex = s.create("Account", { Name: "Globex", OwnerId: s.adaSf });
    s.create("Account", { Name: "Bob's Own", OwnerId: s.bobSf });
    s.create("Opportunity", { Name: "Acme renewal", AccountId: acme, Amount: 42000, CloseDate: "2026-12-15", StageName: "Proposal/Price Quote", OwnerId: s.adaSf });
    s.create("Opportunity", { Name: "Globex pilot", AccountId: globex, Amount: 5000, CloseDate: "2026-12-20", StageName: "Mystery Stage", OwnerId: s.adaSf });
    s.create("Contact", { FirstName: "Wile", LastName: "Coyote", AccountId: acme, Email: "Wile@acme.test", Title: "CTO" });
    s.create("Contact", { FirstName: "Lost", LastName: "Soul", AccountId: null });
    const progress: string[] = [];

    const objects = done(await s.sync.sync(s.ws.id, { onProgress: (p) => progress.push(`${p.object} ${p.read}/${p.total}`) }));

    expect(objects.accounts).toMatchObject({ pulled: 3, created: 2, skipped: 1 });
    expect(objects.accounts.problems.join()).toContain("bob@example.com is not a user here");
    expect(objects.deals).toMatchObject({ pulled: 2, created: 1, skipped: 1 });
    expect(objects.deals.problems.join()).toContain('stage "Mystery Stage" is not in CRM_STAGE_MAP');
    expect(objects.contacts).toMatchObject({ pulled: 2, created: 1, skipped: 1 });
    // Pages of two: the accounts took a nextRecordsUrl page.
    expect(progress).toEqual(["accounts 2/3", "accounts 3/3", "deals 2/2", "contacts 2/2"]);
    expect(s.sf.requests.some((r) => /\/queryAll\/01g/.test(r.path))).toBe(true);
    const account = await s.tdb.db.prisma.account.findFirstOrThrow({ where: { workspaceId: s.ws.id, name: "Acme" } });
    expect(account).toMatchObject({ externalId: `sf:${acme.slice(0, 15)}`, ownerId: s.ada.id, industry: "Manufacturing", annualValueCents: 125000050n, nameKey: "acme" });
    const deal = await s.tdb.db.prisma.deal.findFirstOrThrow({ where: { accountId: account.id } });
    // The close date is the start of that day in the owner's zone (Berlin).
    expect(deal).toMatchObject({ title: "Acme renewal", amountCents: 4200000n, stage: "proposal", status: "open", ownerId: s.ada.id, expectedCloseAt: new Date("2026-12-14T23:00:00Z") });
    const contact = await s.tdb.db.prisma.contact.findFirstOrThrow({ where: { accountId: account.id } });
    expect(contact).toMatchObject({ name: "Wile Coyote", email: "wile@acme.test", title: "CTO", externalId: expect.stringMatching(/^sf:003/) });

    const status = await s.sync.status(s.ws.id);
    expect(status.connection?.status).toBe("ok");
    expect(status.objects.map((o) => [o.object, o.phase, o.pulled])).toEqual([["accounts", "incremental", 3], ["deals", "incremental", 2], ["contacts", "incremental", 2]]);
    // The cursor is the last account read (the skipped one too: it is reported, not retried).
    expect(status.objects[0]!.cursorAt).toEqual(new Date("2026-11-01T09:03:00Z"));

    // Each record written is in the audit trail, as the sync's, values encrypted under its own key.
    const events = await s.tdb.db.prisma.auditEvent.findMany({ where: { entity: { in: ["account", "deal", "contact"] }, workspaceId: s.ws.id } });
    expect(events.map((e) => `${e.entity} ${e.action} ${e.actorKind}:${e.actorDetail}`).sort()).toEqual([
      "account create sync:salesforce",
      "account create sync:salesforce",
      "contact create sync:salesforce",
      "deal create sync:salesforce",
    ]);
    const history = await new AuditRepository(s.tdb.db.prisma).forEntities("deal", [String(deal.id)]);
    expect(history.map((e) => e.changes)).toEqual([expect.objectContaining({ title: [null, "Acme renewal"], stage: [null, "proposal"] })]);

    // A second pass over the same data (full, from the start) changes nothing.
    const again = done(await s.sync.sync(s.ws.id, { full: true }));
    expect(again.accounts).toMatchObject({ created: 0, updated: 0, unchanged: 2 });
    expect(again.deals).toMatchObject({ created: 0, updated: 0, unchanged: 1 });
    expect(await s.tdb.db.prisma.account.count({ where: { workspaceId: s.ws.id } })).toBe(2);
    expect(await s.tdb.db.prisma.auditEvent.count({ where: { entity: { in: ["account", "deal", "contact"] }, workspaceId: s.ws.id } })).toBe(4);
  });

  it("a page of 1,200 records is looked up in slices (SQLite refuses an IN list that long)", async () => {
    const s = await setup();
    s.sf.setMaxPageSize(2000);
    for (let i = 0; i < 1200; i++) s.sf.create("Account", { Name: `Bulk ${i}`, OwnerId: s.adaSf });
    expect(done(await s.sync.sync(s.ws.id)).accounts).toMatchObject({ pulled: 1200, created: 1200 });
    expect(done(await s.sync.sync(s.ws.id, { full: true })).accounts).toMatchObject({ pulled: 1200, created: 0, unchanged: 1200 });
  });

  it("incremental pulls read only what changed since the cursor (with the overlap) and apply the CRM's edits", async () => {
    const s = await setup({ overlapMs: 30_000 });
    const acme = s.create("Account", { Name: "Acme", OwnerId: s.adaSf });
    const opp = s.create("Opportunity", { Name: "Acme renewal", AccountId: acme, Amount: 1000, CloseDate: "2026-12-15", StageName: "Prospecting", OwnerId: s.adaSf });
    for (let i = 0; i < 4; i++) s.create("Account", { Name: `Filler ${i}`, OwnerId: s.adaSf });
    done(await s.sync.sync(s.ws.id));

    s.later(() => s.sf.update("Account", acme, { Name: "Acme Corporation", Industry: "Retail" }));
    s.later(() => s.sf.update("Opportunity", opp, { Amount: 2500.25, StageName: "Closed Won", CloseDate: "2026-11-20" }));
    s.clock.app = new Date(s.clock.app.getTime() + 5 * 60_000);
    const objects = done(await s.sync.sync(s.ws.id));

    // Acme, and the last filler again (within the overlap behind the cursor): nothing older.
    expect(objects.accounts).toMatchObject({ pulled: 2, updated: 1, unchanged: 1 });
    expect(objects.deals).toMatchObject({ pulled: 1, updated: 1 });
    const account = await s.tdb.db.prisma.account.findFirstOrThrow({ where: { workspaceId: s.ws.id, externalId: `sf:${acme.slice(0, 15)}` } });
    expect(account).toMatchObject({ name: "Acme Corporation", nameKey: "acme corporation", industry: "Retail" });
    const deal = await s.tdb.db.prisma.deal.findFirstOrThrow({ where: { accountId: account.id } });
    expect(deal).toMatchObject({ amountCents: 250025n, stage: "won", status: "won", wonAt: new Date("2026-11-19T23:00:00Z") });

    // An unmapped stage is reported and not written; the other fields still follow the CRM.
    s.later(() => s.sf.update("Opportunity", opp, { StageName: "Mystery Stage", Amount: 3000 }));
    const third = done(await s.sync.sync(s.ws.id));
    expect(third.deals.problems.join()).toContain('stage "Mystery Stage" is not in CRM_STAGE_MAP');
    expect(await s.tdb.db.prisma.deal.findUniqueOrThrow({ where: { id: deal.id } })).toMatchObject({ stage: "won", status: "won", amountCents: 300000n });
    expect((await s.sync.status(s.ws.id)).objects[1]!.problems.join()).toContain("Mystery Stage");
  });

  it("archives records deleted in the CRM and keeps their touches", async () => {
    const s = await setup();
    const acme = s.create("Account", { Name: "Acme", OwnerId: s.adaSf });
    const opp = s.create("Opportunity", { Name: "Acme renewal", AccountId: acme, Amount: 1000, CloseDate: "2026-12-15", StageName: "Prospecting", OwnerId: s.adaSf });
    const wile = s.create("Contact", { FirstName: "Wile", LastName: "Coyote", AccountId: acme });
    done(await s.sync.sync(s.ws.id));
    const account = await s.tdb.db.prisma.account.findFirstOrThrow({ where: { workspaceId: s.ws.id, name: "Acme" } });
    await s.tdb.db.prisma.touch.create({ data: { accountId: account.id, userId: s.ada.id, kind: "call", occurredAt: s.clock.app, note: "kept" } });

    s.later(() => s.sf.remove("Opportunity", opp));
    s.later(() => s.sf.remove("Contact", wile));
    s.later(() => s.sf.remove("Account", acme));
    const objects = done(await s.sync.sync(s.ws.id));

    expect([objects.accounts.archived, objects.deals.archived, objects.contacts.archived]).toEqual([1, 1, 1]);
    expect(await s.tdb.db.prisma.account.findUniqueOrThrow({ where: { id: account.id } })).toMatchObject({ archived: true });
    expect(await s.tdb.db.prisma.deal.findFirstOrThrow({ where: { accountId: account.id } })).toMatchObject({ archived: true });
    expect(await s.tdb.db.prisma.contact.findFirstOrThrow({ where: { accountId: account.id } })).toMatchObject({ archived: true });
    expect(await s.tdb.db.prisma.touch.findMany({ where: { accountId: account.id }, select: { note: true } })).toEqual([{ note: "kept" }]);
    // Reading the deletion again (the overlap) changes nothing.
    expect(done(await s.sync.sync(s.ws.id)).accounts).toMatchObject({ archived: 0 });
  });

  it("a stage changed in Salesforce is in the deal's history (source sync); records gone past the Recycle Bin are archived by the daily reconcile", async () => {
    const s = await setup();
    const acme = s.create("Account", { Name: "Acme", OwnerId: s.adaSf });
    const gone = s.create("Account", { Name: "Gone", OwnerId: s.adaSf });
    const opp = s.create("Opportunity", { Name: "Acme renewal", AccountId: acme, Amount: 1000, CloseDate: "2026-12-15", StageName: "Prospecting", OwnerId: s.adaSf });
    done(await s.sync.sync(s.ws.id));
    s.later(() => s.sf.update("Opportunity", opp, { StageName: "Negotiation/Review" }));
    s.clock.app = new Date(s.clock.app.getTime() + 5 * 60_000);
    done(await s.sync.sync(s.ws.id));
    const deal = await s.tdb.db.prisma.deal.findFirstOrThrow({ where: { externalId: `sf:${opp.slice(0, 15)}`, account: { workspaceId: s.ws.id } } });
    expect(await s.tdb.db.prisma.dealStageChange.findMany({ where: { dealId: deal.id }, orderBy: { id: "asc" }, select: { fromStage: true, toStage: true, source: true, at: true } })).toEqual([
      { fromStage: null, toStage: "prospect", source: "sync", at: new Date("2026-11-01T09:03:00Z") },
      { fromStage: "prospect", toStage: "negotiation", source: "sync", at: new Date("2026-11-01T09:04:00Z") },
    ]);
    expect(deal.stageChangedAt).toEqual(new Date("2026-11-01T09:04:00Z"));

    s.sf.purge("Account", gone);
    s.clock.app = new Date(s.clock.app.getTime() + 5 * 60_000);
    expect(done(await s.sync.sync(s.ws.id)).accounts.archived).toBe(0);
    s.clock.app = new Date(s.clock.app.getTime() + 24 * 3600_000);
    const daily = done(await s.sync.sync(s.ws.id));
    expect(daily.accounts.archived).toBe(1);
    expect(await s.tdb.db.prisma.account.findFirstOrThrow({ where: { externalId: `sf:${gone.slice(0, 15)}`, workspaceId: s.ws.id } })).toMatchObject({ archived: true });
    expect(await s.tdb.db.prisma.account.findFirstOrThrow({ where: { externalId: `sf:${acme.slice(0, 15)}`, workspaceId: s.ws.id } })).toMatchObject({ archived: false });
    // The pulled stage change and the reconcile's archiving are in the audit trail as the sync's.
    const trail = new AuditRepository(s.tdb.db.prisma);
    expect((await trail.forEntities("deal", [String(deal.id)])).map((e) => [e.action, e.actorKind, e.changes?.stage])).toEqual([
      ["create", "sync", [null, "prospect"]],
      ["update", "sync", ["prospect", "negotiation"]],
    ]);
    const archived = await s.tdb.db.prisma.account.findFirstOrThrow({ where: { externalId: `sf:${gone.slice(0, 15)}`, workspaceId: s.ws.id } });
    expect((await trail.forEntities("account", [String(archived.id)])).map((e) => [e.action, e.actorKind, e.changes?.archived])).toEqual([
      ["create", "sync", [null, false]],
      ["update", "sync", [false, true]],
    ]);
    // The reconcile read ids only, with query (the Recycle Bin left out).
    expect(s.sf.requests.some((r) => /\/v62\.0\/query$/.test(r.path))).toBe(true);
  });

  it("resumes after a crash in the middle of the first pull from the last page applied", async () => {
    const s = await setup({ overlapMs: 0 });
    for (const name of ["A1", "A2", "A3", "A4", "A5"]) s.create("Account", { Name: name, OwnerId: s.adaSf });
    s.sf.fail({ on: "more", status: 400, errorCode: "INVALID_QUERY_LOCATOR", message: "invalid query locator" });

    const crashed = await s.sync.sync(s.ws.id);
    expect(crashed).toMatchObject({ kind: "failed", object: "accounts", broken: false });
    expect(await s.tdb.db.prisma.account.count({ where: { workspaceId: s.ws.id } })).toBe(2);
    const mid = (await s.sync.status(s.ws.id)).objects[0]!;
    expect(mid).toMatchObject({ phase: "initial", cursorAt: new Date("2026-11-01T09:02:00Z"), lastError: expect.stringContaining("INVALID_QUERY_LOCATOR") });

    const resumed = done(await s.sync.sync(s.ws.id));
    // From the cursor on (the record at the cursor is read again, nothing before it).
    expect(resumed.accounts).toMatchObject({ pulled: 4, created: 3, unchanged: 1 });
    expect((await s.tdb.db.prisma.account.findMany({ where: { workspaceId: s.ws.id }, orderBy: { name: "asc" } })).map((a) => a.name)).toEqual(["A1", "A2", "A3", "A4", "A5"]);
    expect((await s.sync.status(s.ws.id)).objects[0]).toMatchObject({ phase: "incremental", lastError: null });
  });

  it("a 401 logs in again once; refused again, the connection is marked broken", async () => {
    const s = await setup();
    s.create("Account", { Name: "Acme", OwnerId: s.adaSf });
    done(await s.sync.sync(s.ws.id));
    const logins = () => s.sf.requests.filter((r) => r.path === "/services/oauth2/token").length;
    expect(logins()).toBe(1);

    s.sf.revokeTokens();
    done(await s.sync.sync(s.ws.id));
    expect(logins()).toBe(2);

    s.sf.fail({ on: "query", status: 401, errorCode: "INVALID_SESSION_ID", message: "Session expired or invalid", times: 2 });
    const broken = await s.sync.sync(s.ws.id);
    expect(broken).toMatchObject({ kind: "failed", broken: true });
    expect(logins()).toBe(3);
    const status = await s.sync.status(s.ws.id);
    expect(status.connection).toMatchObject({ status: "broken", statusReason: expect.stringContaining("INVALID_SESSION_ID") });
    expect(status.objects[0]!.lastError).toContain("INVALID_SESSION_ID");

    // Fixed: the next pass logs in afresh, works, and the connection is ok again.
    done(await s.sync.sync(s.ws.id));
    expect((await s.sync.status(s.ws.id)).connection?.status).toBe("ok");
  });

  it("a wrong client secret is a broken connection named as such", async () => {
    const s = await setup();
    const wrong = createCrmSync(
      s.tdb.db,
      { provider: "salesforce", loginUrl: s.sf.url, clientId: s.sf.clientId, clientSecret: "not-the-secret", syncMinutes: 5, stageMap: STAGES },
      { now: () => s.clock.app, logger: silent, workerId: "w1" },
    );
    expect(await wrong.sync(s.ws.id)).toMatchObject({ kind: "failed", broken: true, error: expect.stringContaining("invalid_client") });
    expect((await wrong.status(s.ws.id)).connection?.status).toBe("broken");
  });

  it("429 is retried with backoff; REQUEST_LIMIT_EXCEEDED stops the pass and backs off the schedule", async () => {
    const s = await setup();
    s.create("Account", { Name: "Acme", OwnerId: s.adaSf });
    s.sf.fail({ on: "query", status: 429, errorCode: "REQUEST_LIMIT_EXCEEDED", message: "slow down" });
    done(await s.sync.sync(s.ws.id));
    const queries = s.sf.requests.filter((r) => r.path.includes("/queryAll")).map((r) => r.status);
    expect(queries.slice(0, 2)).toEqual([429, 200]);

    s.sf.fail({ on: "query", status: 403, errorCode: "REQUEST_LIMIT_EXCEEDED", message: "TotalRequests Limit exceeded." });
    expect(await s.sync.sync(s.ws.id)).toMatchObject({ kind: "failed", broken: false });
    const c = (await s.sync.status(s.ws.id)).connection!;
    expect(c).toMatchObject({ status: "limited", backoffCount: 1, backoffUntil: new Date(s.clock.app.getTime() + 5 * 60_000) });
    expect(await s.sync.due(s.ws.id, new Date(s.clock.app.getTime() + 60_000))).toBe(false);
    expect(await s.sync.sync(s.ws.id)).toMatchObject({ kind: "backing-off" });
    s.clock.app = new Date(s.clock.app.getTime() + 5 * 60_000);
    expect(await s.sync.due(s.ws.id, s.clock.app)).toBe(true);
    done(await s.sync.sync(s.ws.id));
    expect((await s.sync.status(s.ws.id)).connection).toMatchObject({ status: "ok", backoffCount: 0, backoffUntil: null });
  });

  it("a CRM that does not answer fails the pass with a timeout; two syncs never run at once (the lease)", async () => {
    const s = await setup({ timeoutMs: 1_000 });
    s.create("Account", { Name: "Acme", OwnerId: s.adaSf });
    s.sf.hang("query");
    const first = s.sync.sync(s.ws.id);
    await vi.waitFor(() => expect(s.sf.requests.some((r) => r.status === 0)).toBe(true));
    // Another replica (its own worker id) finds the pass under way.
    expect(await s.make("w2").sync(s.ws.id)).toEqual({ kind: "busy" });
    expect(await first).toMatchObject({ kind: "failed", error: expect.stringContaining("did not answer") });
    // The lease is released with the pass: the other replica may run now.
    done(await s.make("w2").sync(s.ws.id));
  });
});
