import { afterAll, afterEach, beforeAll, expect, it, vi } from "vitest";
import { AssociationTypes } from "@hubspot/api-client";
import { FakeHubSpot, type HsObjectType, type HsProperties } from "../../src/demo/fake-hubspot.js";
import { HUBSPOT_STAGE_MAP_EXAMPLE, parseStageMap, type StageMap } from "../../src/domain/crm-sync.js";
import { createLogger } from "../../src/logger.js";
import { createCrmSync, type CrmConnectorKnobs } from "../../src/services/crm/create-crm-sync.js";
import type { CrmSyncService, SyncResult } from "../../src/services/crm/crm-sync-service.js";
import type { Workspace } from "../../src/db/repositories/workspace-repository.js";
import { describeEachProvider } from "../support/providers.js";
import { createTestDatabase, type TestDatabase } from "../support/test-database.js";
import { seedWorkspace } from "../support/deals-fixtures.js";

const STAGES = (parseStageMap(HUBSPOT_STAGE_MAP_EXAMPLE) as { ok: true; map: StageMap }).map;
const silent = createLogger("error", () => undefined, []);

function done(result: SyncResult) {
  if (result.kind !== "done") throw new Error(`expected a finished pass, got ${JSON.stringify(result)}`);
  return result.objects;
}

describeEachProvider("CRM pull from HubSpot [%s]", (provider) => {
  let tdb: TestDatabase;
  const fakes: FakeHubSpot[] = [];
  beforeAll(async () => {
    tdb = await createTestDatabase(provider);
  });
  afterEach(async () => {
    for (const f of fakes.splice(0)) await f.stop();
  });
  afterAll(async () => tdb?.drop());

  /**
   * A workspace with Ada (known by email), a fake HubSpot whose clock the test moves, and the
   * sync: pages of 2, no search pace, a virtual sleep that records what the connector waited.
   */
  async function setup(opts: { overlapMs?: number; knobs?: CrmConnectorKnobs; token?: string } = {}) {
    const ws: Workspace = await seedWorkspace(tdb.db);
    const ada = await tdb.db.prisma.user.create({ data: { workspaceId: ws.id, slackUserId: `UADA${ws.id}`, name: "Ada", email: "Ada@Example.com", timezone: "Europe/Berlin" } });
    const clock = { hs: new Date("2026-11-01T09:00:00Z"), app: new Date("2026-11-30T09:00:00Z") };
    const hs = await FakeHubSpot.start({ now: () => clock.hs });
    fakes.push(hs);
    const waits: number[] = [];
    const make = (workerId = "w1", token = opts.token ?? hs.accessToken) =>
      createCrmSync(
        tdb.db,
        { provider: "hubspot", apiUrl: hs.url, accessToken: token, syncMinutes: 5, stageMap: STAGES },
        {
          now: () => clock.app,
          logger: silent,
          workerId,
          connector: { pageSize: 2, searchIntervalMs: 0, requestTimeoutMs: 10_000, sleep: async (ms) => void waits.push(ms), ...opts.knobs },
          overlapMs: opts.overlapMs,
        },
      );
    const sync: CrmSyncService = make();
    const adaHs = hs.addOwner({ email: "ada@example.com", firstName: "Ada" });
    const bobHs = hs.addOwner({ email: "bob@example.com", firstName: "Bob" });
    /** Each change happens a minute after the last (the last-modified date moves). */
    const later = <T>(fn: () => T): T => {
      clock.hs = new Date(clock.hs.getTime() + 60_000);
      return fn();
    };
    const create = (type: HsObjectType, props: HsProperties, assoc: { to: HsObjectType; id: string; typeId?: number }[] = []) => later(() => hs.create(type, props, assoc));
    const deal = (name: string, company: string, props: HsProperties = {}) =>
      create("deals", { dealname: name, amount: "1000", dealstage: "appointmentscheduled", closedate: "2026-12-15T00:00:00Z", hubspot_owner_id: adaHs, ...props }, [{ to: "companies", id: company, typeId: AssociationTypes.primaryDealToCompany }]);
    const account = (externalId: string) => tdb.db.prisma.account.findFirstOrThrow({ where: { workspaceId: ws.id, externalId } });
    const dealRow = (where: { externalId?: string; title?: string }) => tdb.db.prisma.deal.findFirstOrThrow({ where: { ...where, account: { workspaceId: ws.id } } });
    return { ws, ada, hs, sync, make, clock, adaHs, bobHs, later, create, deal, account, dealRow, waits };
  }

  it("an initial pull pages through companies, deals and contacts, matches owners by email, finds each deal's company, and reports what it cannot place", async () => {
    const s = await setup();
    const acme = s.create("companies", { name: "Acme", industry: "COMPUTER_SOFTWARE", annualrevenue: "1250000.5", hubspot_owner_id: s.adaHs });
    const globex = s.create("companies", { domain: "globex.example", hubspot_owner_id: s.adaHs });
    s.create("companies", { name: "Bob's Own", hubspot_owner_id: s.bobHs });
    // A deal associated with two companies belongs to its primary one.
    const renewal = s.create("deals", { dealname: "Acme renewal", amount: "42000", dealstage: "presentationscheduled", closedate: "2026-12-15T00:00:00Z", hubspot_owner_id: s.adaHs }, [
      { to: "companies", id: globex },
      { to: "companies", id: acme, typeId: AssociationTypes.primaryDealToCompany },
    ]);
    s.deal("Globex pilot", globex, { dealstage: "closedwon", closedate: "2026-11-20T00:00:00Z" });
    s.hs.addPipeline({ id: "renewals", label: "Renewals", stages: [{ id: "12345", label: "Renewal due" }] });
    s.deal("Mystery", acme, { pipeline: "renewals", dealstage: "12345" });
    s.create("deals", { dealname: "No company", dealstage: "appointmentscheduled" });
    s.create("contacts", { firstname: "Wile", lastname: "Coyote", email: "Wile@Acme.test", jobtitle: "CTO", associatedcompanyid: acme });
    s.create("contacts", { email: "lonely@nowhere.test" });
    const progress: string[] = [];

    const objects = done(await s.sync.sync(s.ws.id, { onProgress: (p) => progress.push(`${p.object} ${p.read}/${p.total}`) }));

    expect(objects.accounts).toMatchObject({ pulled: 3, created: 2, skipped: 1 });
    expect(objects.accounts.problems.join()).toContain("bob@example.com is not a user here");
    expect(objects.deals).toMatchObject({ pulled: 4, created: 2, skipped: 2 });
    expect(objects.deals.problems.join()).toContain('stage "12345" (pipeline renewals) is not in CRM_STAGE_MAP');
    expect(objects.deals.problems.join()).toContain('"No company" (hs:');
    expect(objects.contacts).toMatchObject({ pulled: 2, created: 1, skipped: 1 });
    expect(progress.slice(0, 2)).toEqual(["accounts 2/3", "accounts 3/3"]);
    // 207: the associations batch read names the deal without a company as an error.
    expect(new Set(s.hs.requests.map((r) => r.status))).toEqual(new Set([200, 207]));

    const a = await s.account(`hs:${acme}`);
    expect(a).toMatchObject({ name: "Acme", industry: "Computer software", annualValueCents: 125000050n, ownerId: s.ada.id });
    expect(await s.account(`hs:${globex}`)).toMatchObject({ name: "globex.example" });
    const d = await s.dealRow({ externalId: `hs:${renewal}` });
    expect(d).toMatchObject({ accountId: a.id, title: "Acme renewal", amountCents: 4200000n, stage: "proposal", status: "open", ownerId: s.ada.id, expectedCloseAt: new Date("2026-12-14T23:00:00Z") });
    const won = await s.dealRow({ title: "Globex pilot" });
    expect(won).toMatchObject({ status: "won", wonAt: new Date("2026-11-19T23:00:00Z") });
    // A pulled new deal starts its stage history, stamped when HubSpot last changed it.
    expect(await tdb.db.prisma.dealStageChange.findMany({ where: { dealId: d.id }, select: { fromStage: true, toStage: true, source: true, byUserId: true, at: true } })).toEqual([
      { fromStage: null, toStage: "proposal", source: "sync", byUserId: null, at: new Date("2026-11-01T09:04:00Z") },
    ]);
    expect(await tdb.db.prisma.contact.findFirstOrThrow({ where: { accountId: a.id } })).toMatchObject({ name: "Wile Coyote", email: "wile@acme.test", title: "CTO", externalId: expect.stringMatching(/^hs:\d+$/) });

    // The same data again (a full pass) changes nothing.
    const again = done(await s.sync.sync(s.ws.id, { full: true }));
    expect(again.accounts).toMatchObject({ created: 0, updated: 0, unchanged: 2, archived: 0 });
    expect(again.deals).toMatchObject({ created: 0, updated: 0, unchanged: 2 });
  });

  it("a company imported from a HubSpot CSV export (its Record ID as hs:<id>) is linked, not duplicated", async () => {
    const s = await setup();
    const acme = s.create("companies", { name: "Acme Inc", hubspot_owner_id: s.adaHs });
    const imported = await tdb.db.prisma.account.create({ data: { workspaceId: s.ws.id, ownerId: s.ada.id, name: "Acme", nameKey: "acme", tier: "key", externalId: `hs:${acme}` } });
    expect(done(await s.sync.sync(s.ws.id)).accounts).toMatchObject({ created: 0, updated: 1 });
    expect(await tdb.db.prisma.account.findMany({ where: { workspaceId: s.ws.id } })).toEqual([expect.objectContaining({ id: imported.id, name: "Acme Inc", tier: "key" })]);
  });

  it("reads past the search API's 10,000-result cap and through thousands of records sharing one timestamp, without losing or repeating one", async () => {
    const s = await setup({ knobs: { pageSize: 200 } });
    // 10,050 companies: blocks of 50 share a timestamp, and 450 share one (more than two pages).
    for (let i = 0; i < 10_050; i++) {
      if (i % 50 === 0 && (i < 5_000 || i >= 5_450)) s.clock.hs = new Date(s.clock.hs.getTime() + 1000);
      s.hs.create("companies", { name: `Company ${i}`, hubspot_owner_id: s.adaHs });
    }
    const objects = done(await s.sync.sync(s.ws.id));
    expect(objects.accounts).toMatchObject({ pulled: 10_050, created: 10_050, skipped: 0 });
    expect(await tdb.db.prisma.account.count({ where: { workspaceId: s.ws.id } })).toBe(10_050);
    // No query ever paged past 10,000 (each page is its own query from the last timestamp).
    expect(s.hs.requests.filter((r) => r.status !== 200)).toEqual([]);
  });

  it("a record edited in the middle of a pass is neither skipped nor lost (pages are keyed by timestamp, not offsets)", async () => {
    const s = await setup();
    const ids = ["A", "B", "C", "D", "E", "F"].map((name) => s.create("companies", { name, hubspot_owner_id: s.adaHs }));
    let searches = 0;
    s.hs.onRequest((_method, path) => {
      // After the first page (A, B), A is edited: with offset paging C would slide into page one's place.
      if (path.endsWith("/companies/search") && ++searches === 2) s.later(() => s.hs.update("companies", ids[0]!, { name: "A2" }));
    });
    const objects = done(await s.sync.sync(s.ws.id));
    expect(objects.accounts.created).toBe(6);
    expect((await tdb.db.prisma.account.findMany({ where: { workspaceId: s.ws.id }, orderBy: { name: "asc" } })).map((a) => a.name)).toEqual(["A2", "B", "C", "D", "E", "F"]);
  });

  it("incremental pulls apply the CRM's edits, record a pulled stage change in the deal's history, and archive and restore deleted records", async () => {
    const s = await setup({ overlapMs: 30_000 });
    const acme = s.create("companies", { name: "Acme", hubspot_owner_id: s.adaHs });
    const renewal = s.deal("Acme renewal", acme);
    const wile = s.create("contacts", { firstname: "Wile", associatedcompanyid: acme });
    done(await s.sync.sync(s.ws.id));
    const a = await s.account(`hs:${acme}`);
    await tdb.db.prisma.touch.create({ data: { accountId: a.id, userId: s.ada.id, kind: "call", occurredAt: s.clock.app, note: "kept" } });

    s.later(() => s.hs.update("deals", renewal, { amount: "2500.25", dealstage: "contractsent" }));
    s.later(() => s.hs.update("companies", acme, { name: "Acme Corporation" }));
    s.clock.app = new Date(s.clock.app.getTime() + 5 * 60_000);
    const second = done(await s.sync.sync(s.ws.id));
    expect(second.deals).toMatchObject({ updated: 1 });
    expect(second.accounts).toMatchObject({ updated: 1 });
    const d = await s.dealRow({ externalId: `hs:${renewal}` });
    expect(d).toMatchObject({ amountCents: 250025n, stage: "negotiation", stageChangedAt: new Date("2026-11-01T09:04:00Z") });
    expect((await tdb.db.prisma.dealStageChange.findMany({ where: { dealId: d.id }, orderBy: { id: "asc" } })).map((c) => [c.fromStage, c.toStage, c.source])).toEqual([
      [null, "prospect", "sync"],
      ["prospect", "negotiation", "sync"],
    ]);

    s.later(() => s.hs.archive("deals", renewal));
    s.later(() => s.hs.archive("contacts", wile));
    s.later(() => s.hs.archive("companies", acme));
    const third = done(await s.sync.sync(s.ws.id));
    expect([third.accounts.archived, third.deals.archived, third.contacts.archived]).toEqual([1, 1, 1]);
    expect(await s.account(`hs:${acme}`)).toMatchObject({ archived: true });
    expect(await tdb.db.prisma.touch.findMany({ where: { accountId: a.id }, select: { note: true } })).toEqual([{ note: "kept" }]);
    // The archived listing is read again on the next pass: nothing changes.
    expect(done(await s.sync.sync(s.ws.id)).accounts).toMatchObject({ archived: 0, updated: 0 });

    s.later(() => s.hs.restore("companies", acme));
    expect(done(await s.sync.sync(s.ws.id)).accounts).toMatchObject({ updated: 1 });
    expect(await s.account(`hs:${acme}`)).toMatchObject({ archived: false });
  });

  it("records gone for good (purged, merged) are archived by a full pass and by the daily reconcile, and a mass disappearance is refused", async () => {
    const s = await setup();
    const ids = Array.from({ length: 30 }, (_, i) => s.create("companies", { name: `Co ${i}`, hubspot_owner_id: s.adaHs }));
    done(await s.sync.sync(s.ws.id));
    s.hs.purge("companies", ids[0]!);
    // An incremental pass within the day does not notice: the record is in no listing.
    s.clock.app = new Date(s.clock.app.getTime() + 5 * 60_000);
    expect(done(await s.sync.sync(s.ws.id)).accounts.archived).toBe(0);
    // A full pass does.
    expect(done(await s.sync.sync(s.ws.id, { full: true })).accounts.archived).toBe(1);
    expect(await s.account(`hs:${ids[0]}`)).toMatchObject({ archived: true });

    s.hs.purge("companies", ids[1]!);
    s.clock.app = new Date(s.clock.app.getTime() + 24 * 3600_000);
    const daily = done(await s.sync.sync(s.ws.id));
    expect(daily.accounts.archived).toBe(1);
    expect((await s.sync.status(s.ws.id)).objects[0]!.reconciledAt).toEqual(s.clock.app);
    expect(s.hs.requests.some((r) => r.method === "GET" && r.path === "/crm/v3/objects/companies")).toBe(true);

    for (const id of ids.slice(2, 26)) s.hs.purge("companies", id);
    const refused = done(await s.sync.sync(s.ws.id, { full: true }));
    expect(refused.accounts.archived).toBe(0);
    expect(refused.accounts.problems[0]).toContain("24 of 28 accounts here are not in hubspot any more");
    expect(done(await s.sync.sync(s.ws.id, { full: true, archiveMissing: true })).accounts.archived).toBe(24);
  });

  it("a rotated token (401) breaks the connection at once, with no retry; a missing scope is named", async () => {
    const s = await setup();
    s.create("companies", { name: "Acme", hubspot_owner_id: s.adaHs });
    done(await s.sync.sync(s.ws.id));
    const before = s.hs.requests.length;
    s.hs.rotateToken();
    const broken = await s.sync.sync(s.ws.id);
    expect(broken).toMatchObject({ kind: "failed", broken: true, error: expect.stringContaining("cannot be refreshed") });
    expect(s.hs.requests.length - before).toBe(1);
    expect((await s.sync.status(s.ws.id)).connection).toMatchObject({ status: "broken", statusReason: expect.stringContaining("INVALID_AUTHENTICATION") });

    const fixed = s.make("w1", s.hs.accessToken);
    s.hs.revokeScope("crm.objects.deals.read");
    expect(await fixed.sync(s.ws.id)).toMatchObject({ kind: "failed", object: "deals", broken: true, error: expect.stringContaining("crm.objects.deals.read") });
    s.hs.grantScope("crm.objects.deals.read");
    done(await fixed.sync(s.ws.id));
    expect((await fixed.status(s.ws.id)).connection?.status).toBe("ok");
  });

  it("a per-second 429 waits its Retry-After and goes on; the daily limit stops the pass and backs off an hour", async () => {
    const s = await setup();
    s.create("companies", { name: "Acme", hubspot_owner_id: s.adaHs });
    s.hs.rateLimit({ on: "search", policy: "SECONDLY", retryAfterSeconds: 2, times: 2 });
    done(await s.sync.sync(s.ws.id));
    expect(s.waits.filter((w) => w === 2000)).toHaveLength(2);
    expect(s.hs.requests.filter((r) => r.status === 429)).toHaveLength(2);

    s.hs.rateLimit({ on: "search", policy: "TEN_SECONDLY_ROLLING", times: 4 });
    expect(await s.sync.sync(s.ws.id, { force: true })).toMatchObject({ kind: "failed", broken: false, error: expect.stringContaining("rate limited 4 times in a row") });
    expect(s.waits.slice(-3)).toEqual([10_000, 10_000, 10_000]);

    s.hs.rateLimit({ on: "owners", policy: "DAILY" });
    expect(await s.sync.sync(s.ws.id, { force: true })).toMatchObject({ kind: "failed", error: expect.stringContaining("daily API limit") });
    const c = (await s.sync.status(s.ws.id)).connection!;
    expect(c).toMatchObject({ status: "limited" });
    expect(c.backoffUntil!.getTime() - s.clock.app.getTime()).toBe(60 * 60_000);
    expect(await s.sync.due(s.ws.id, new Date(s.clock.app.getTime() + 30 * 60_000))).toBe(false);
  });

  it("an exhausted 10-second budget (X-HubSpot-RateLimit-Remaining) is waited out before the next request", async () => {
    const s = await setup();
    const fake = await FakeHubSpot.start({ now: () => s.clock.hs, tenSecondlyMax: 2 });
    fakes.push(fake);
    fake.addOwner({ email: "ada@example.com" });
    const waits: number[] = [];
    let now = 0;
    const sync = createCrmSync(
      tdb.db,
      { provider: "hubspot", apiUrl: fake.url, accessToken: fake.accessToken, syncMinutes: 5, stageMap: STAGES },
      { now: () => s.clock.app, logger: silent, workerId: "w1", connector: { searchIntervalMs: 0, clock: () => now, sleep: async (ms) => void (waits.push(ms), (now += ms)) } },
    );
    done(await sync.sync(s.ws.id));
    // The owners listing used up the window: the next non-search request waited 10 s.
    expect(waits).toContain(10_000);
  });

  it("a HubSpot that does not answer fails the pass with a timeout; a crash mid-pass resumes from the last page applied; two replicas never pull at once", async () => {
    const s = await setup({ overlapMs: 0, knobs: { requestTimeoutMs: 1_000 } });
    for (const name of ["A1", "A2", "A3", "A4", "A5"]) s.create("companies", { name, hubspot_owner_id: s.adaHs });
    s.hs.hang("search");
    const first = s.sync.sync(s.ws.id);
    await vi.waitFor(() => expect(s.hs.requests.some((r) => r.status === 0)).toBe(true));
    expect(await s.make("w2").sync(s.ws.id)).toEqual({ kind: "busy" });
    expect(await first).toMatchObject({ kind: "failed", error: expect.stringContaining("did not answer") });

    // The second page's query fails (a validation error HubSpot might send): two companies are in, the cursor after them.
    let searches = 0;
    s.hs.onRequest((_m, path) => {
      if (path.endsWith("/companies/search") && ++searches === 2) s.hs.fail({ on: "search", status: 400, category: "VALIDATION_ERROR", message: "There was a problem with the request." });
    });
    expect(await s.make("w2").sync(s.ws.id)).toMatchObject({ kind: "failed", object: "accounts", broken: false, error: expect.stringContaining("VALIDATION_ERROR") });
    expect(await tdb.db.prisma.account.count({ where: { workspaceId: s.ws.id } })).toBe(2);
    expect((await s.sync.status(s.ws.id)).objects[0]).toMatchObject({ phase: "initial", cursorAt: new Date("2026-11-01T09:02:00Z") });

    const resumed = done(await s.sync.sync(s.ws.id));
    expect(resumed.accounts).toMatchObject({ created: 3, unchanged: 1 });
    expect((await tdb.db.prisma.account.findMany({ where: { workspaceId: s.ws.id }, orderBy: { name: "asc" } })).map((a) => a.name)).toEqual(["A1", "A2", "A3", "A4", "A5"]);
  });
});
