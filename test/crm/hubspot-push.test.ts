import { expect, it, vi } from "vitest";
import { AssociationTypes } from "@hubspot/api-client";
import type { FakeHubSpotOptions, HsObjectType } from "../../src/demo/fake-hubspot.js";
import type { StageMap } from "../../src/domain/crm-sync.js";
import { planCrmNotices } from "../../src/jobs/crm-notices.js";
import { createCrm, type Crm } from "../../src/services/crm/create-crm-sync.js";
import type { PushResult } from "../../src/services/crm/crm-push-service.js";
import { HUBSPOT_KEY_PROPERTY } from "../../src/services/crm/hubspot-writer.js";
import { createServices, type Services } from "../../src/services/services.js";
import { toActor, type Actor } from "../../src/services/actor-service.js";
import { OUTBOX_KIND } from "../../src/services/outbox-kinds.js";
import type { Workspace } from "../../src/db/repositories/workspace-repository.js";
import { describeEachProvider } from "../support/providers.js";
import { runAs } from "../../src/db/audit/audit-scope.js";
import { AuditRepository } from "../../src/db/repositories/audit-repository.js";
import { crmTestbed, HUBSPOT_TEST_STAGES, silentLogger as silent, stageMap } from "../support/crm.js";

function done(result: PushResult) {
  if (result.kind !== "done") throw new Error(`expected a finished push, got ${JSON.stringify(result)}`);
  return result.report;
}

/**
 * The CRM push against the fake HubSpot over real HTTP, on both databases: what each change
 * becomes there (engagements, tasks, deals), exactly once without an upsert (the key property and
 * a search before re-creating), and every fault the brief names (issue 13).
 */
describeEachProvider("CRM push to HubSpot [%s]", (provider) => {
  const bed = crmTestbed(provider);

  /**
   * A workspace with Ada (Berlin, a HubSpot owner by email) and Root (admin), a fake HubSpot with
   * the key property, Acme and a deal, pulled once so the company and the deal are linked; services
   * that queue CRM writes; the connector's waits recorded instead of slept.
   */
  async function setup(opts: { stageMap?: StageMap; timeoutMs?: number; keyProperty?: boolean; fake?: FakeHubSpotOptions } = {}) {
    const tdb = bed.db();
    const clock = { hs: new Date("2026-12-01T09:00:00Z"), app: new Date("2026-12-08T14:00:00Z") };
    const hs = await bed.startHubSpot({ now: () => clock.hs, ...opts.fake });
    if (opts.keyProperty !== false) hs.definePushProperty(HUBSPOT_KEY_PROPERTY);
    const services: Services = createServices(tdb.db, { defaultTimezone: "America/New_York", now: () => clock.app, logger: silent, crm: { provider: "hubspot", push: true } });
    const team = `T${Math.random().toString(36).slice(2, 9).toUpperCase()}`;
    const ws: Workspace = await services.repos.workspaces.ensure(team, { timezone: "Europe/Berlin" });
    const user = await services.repos.users.upsertFromSlack(ws.id, { slackUserId: `UADA${ws.id}`, name: "Ada Lovelace", email: "Ada@Example.com", timezone: "Europe/Berlin", locale: "en-US", isSlackAdmin: false, inactive: false });
    const rootUser = await services.repos.users.upsertFromSlack(ws.id, { slackUserId: `UROOT${ws.id}`, name: "Root", email: "root@example.com", timezone: "UTC", locale: "en-US", isSlackAdmin: false, inactive: false });
    const root = await services.repos.users.update(rootUser.id, { role: "admin" });
    const ada: Actor = toActor(user, ws, "UTC");
    const waits: number[] = [];
    const make = (workerId = "w1", batchSize?: number, token = hs.accessToken): Crm =>
      createCrm(
        tdb.db,
        { provider: "hubspot", apiUrl: hs.url, accessToken: token, syncMinutes: 5, stageMap: opts.stageMap ?? HUBSPOT_TEST_STAGES },
        { now: () => clock.app, logger: silent, workerId, connector: { searchIntervalMs: 0, requestTimeoutMs: opts.timeoutMs ?? 10_000, sleep: async (ms) => void waits.push(ms) }, push: { batchSize } },
      );
    const crm = make();
    const adaHs = hs.addOwner({ email: "ada@example.com", firstName: "Ada" });
    const acmeHs = hs.create("companies", { name: "Acme", hubspot_owner_id: adaHs });
    const dealHs = hs.create("deals", { dealname: "Acme renewal", amount: "40000", dealstage: "presentationscheduled", closedate: "2026-12-20T00:00:00Z", hubspot_owner_id: adaHs }, [
      { to: "companies", id: acmeHs, typeId: AssociationTypes.primaryDealToCompany },
    ]);
    // A minute later (HubSpot's search index has the seeded records), the first pull links them.
    clock.hs = new Date(clock.hs.getTime() + 60_000);
    const pulled = await crm.sync.sync(ws.id);
    if (pulled.kind !== "done") throw new Error(JSON.stringify(pulled));
    const acme = await tdb.db.prisma.account.findFirstOrThrow({ where: { workspaceId: ws.id, name: "Acme" } });
    const renewal = await tdb.db.prisma.deal.findFirstOrThrow({ where: { accountId: acme.id } });
    const principal = await services.principal(ada);
    const rows = () => tdb.db.prisma.crmOutbox.findMany({ where: { workspaceId: ws.id }, orderBy: { id: "asc" } });
    /** Both clocks move on (a retry's backoff, a rate limit's wait, HubSpot's search index catching up). */
    const later = (ms: number) => {
      clock.app = new Date(clock.app.getTime() + ms);
      clock.hs = new Date(clock.hs.getTime() + ms);
    };
    const log = (kind: string, note: string | null) => services.touches.log(ada, principal, { accountId: acme.id, kind: kind as "call", note, participants: [], source: "command" });
    const requests = (method: string, path: RegExp) => hs.requests.filter((r) => r.method === method && path.test(r.path));
    const companyOf = (type: HsObjectType, id: string) => hs.associations(type, id, "companies");
    /** The DMs of this workspace's people queued in the Slack outbox (the suite shares one database). */
    const dms = async (kind: string) => (await services.repos.outbox.list({ kind })).filter((r) => r.recipient === user.slackUserId || r.recipient === root.slackUserId);
    return { tdb, ws, ada, root, principal, services, hs, crm, make, clock, adaHs, acmeHs, dealHs, acme, renewal, push: () => crm.push!.push(ws.id), rows, later, log, requests, companyOf, dms, waits };
  }

  it("a call, an email, a demo and a note become a call, an email, a meeting and a note on the company, owned by the rep, each with its key; the HubSpot id is stored on the touch", async () => {
    const s = await setup();
    const call = await s.log("call", "Renewal agreed\nThey want a 3-year term.");
    await s.log("email", "Sent pricing");
    await s.log("demo", null);
    await s.log("note", "Champion is leaving in March");
    if (call.kind !== "logged") throw new Error("not logged");

    expect(done(await s.push())).toMatchObject({ written: 4, rejected: 0 });

    const [c] = s.hs.list("calls");
    expect(c!.properties).toMatchObject({
      hs_call_title: "Call: Renewal agreed",
      hs_call_status: "COMPLETED",
      hs_call_direction: "OUTBOUND",
      hs_timestamp: "2026-12-08T14:00:00.000Z",
      hubspot_owner_id: s.adaHs,
      [HUBSPOT_KEY_PROPERTY]: `${s.ws.slackTeamId}-touch-${call.touch.id}`,
    });
    expect(c!.properties.hs_call_body).toContain("They want a 3-year term.\n\nLogged in Slack by Ada Lovelace.");
    expect(s.companyOf("calls", c!.id)).toEqual([{ id: s.acmeHs, typeIds: [AssociationTypes.callToCompany] }]);
    expect(s.hs.list("emails")[0]!.properties).toMatchObject({ hs_email_subject: "Email: Sent pricing", hs_email_direction: "EMAIL", hs_email_status: "SENT" });
    // A demo lasts an hour on the calendar and ends when it was logged.
    expect(s.hs.list("meetings")[0]!.properties).toMatchObject({
      hs_meeting_title: "Demo (logged in Slack)",
      hs_meeting_outcome: "COMPLETED",
      hs_meeting_start_time: "2026-12-08T13:00:00.000Z",
      hs_meeting_end_time: "2026-12-08T14:00:00.000Z",
      hs_timestamp: "2026-12-08T13:00:00.000Z",
    });
    expect(s.hs.list("notes")[0]!.properties.hs_note_body).toContain("Champion is leaving in March");
    for (const type of ["emails", "meetings", "notes"] as const) expect(s.companyOf(type, s.hs.list(type)[0]!.id)).toHaveLength(1);
    // The deal is not touched by the engagements (no association, so its last-modified date stays).
    expect(s.hs.associations("deals", s.dealHs, "calls")).toEqual([]);
    expect((await s.tdb.db.prisma.touch.findUniqueOrThrow({ where: { id: call.touch.id } })).externalId).toBe(`hs:${c!.id}`);
    expect((await s.rows()).map((r) => r.status)).toEqual(["sent", "sent", "sent", "sent"]);
    // One batch create per object type; pushing again writes nothing.
    expect(s.requests("POST", /\/batch\/create$/).map((r) => r.path)).toEqual(["/crm/v3/objects/calls/batch/create", "/crm/v3/objects/emails/batch/create", "/crm/v3/objects/meetings/batch/create", "/crm/v3/objects/notes/batch/create"]);
    expect(done(await s.push())).toMatchObject({ written: 0 });
    expect(s.hs.list("calls")).toHaveLength(1);
  });

  it("150 touches go in batches of at most 100 per request", async () => {
    const s = await setup();
    for (let i = 0; i < 150; i++) await s.log("call", `call ${i}`);
    expect(done(await s.push())).toMatchObject({ written: 150 });
    expect(s.requests("POST", /\/calls\/batch\/create$/)).toHaveLength(2);
    expect(new Set(s.hs.list("calls").map((c) => c.properties[HUBSPOT_KEY_PROPERTY])).size).toBe(150);
  });

  it("a follow-up becomes a task due at its time, NOT_STARTED until it is done, then COMPLETED", async () => {
    const s = await setup();
    const f = await s.services.followUps.create(s.ada, s.principal, { accountId: s.acme.id, title: "Send the contract", dueDate: "2026-12-10" });
    if (f.kind !== "created") throw new Error("not created");
    done(await s.push());
    const [task] = s.hs.list("tasks");
    // Due at the start of Dec 10 in Ada's zone (Berlin).
    expect(task!.properties).toMatchObject({ hs_task_subject: "Send the contract", hs_task_status: "NOT_STARTED", hs_timestamp: "2026-12-09T23:00:00.000Z", hs_task_type: "TODO", hubspot_owner_id: s.adaHs });
    expect(s.companyOf("tasks", task!.id)).toEqual([{ id: s.acmeHs, typeIds: [AssociationTypes.taskToCompany] }]);

    await s.services.followUps.complete(s.ada, s.principal, f.followUp.id);
    done(await s.push());
    expect(s.hs.get("tasks", task!.id).properties.hs_task_status).toBe("COMPLETED");
    expect(s.hs.list("tasks")).toHaveLength(1);
    expect(s.requests("POST", /\/tasks\/batch\/update$/)).toHaveLength(1);
    expect((await s.tdb.db.prisma.followUp.findUniqueOrThrow({ where: { id: f.followUp.id } })).externalId).toBe(`hs:${task!.id}`);
  });

  it("a deal opened in Slack becomes a deal in the stage's pipeline, on the company as its primary, and keeps its HubSpot id; the next pull finds it as ours", async () => {
    const s = await setup();
    const created = await s.services.deals.create(s.ada, s.principal, s.acme, { amountCents: 2_500_000, stage: "qualified", expectedCloseAt: new Date("2027-01-14T23:00:00Z") });
    if (created.kind !== "created") throw new Error("not created");
    done(await s.push());
    const made = s.hs.list("deals").find((d) => d.id !== s.dealHs)!;
    expect(made.properties).toMatchObject({
      dealname: "Acme – 2026-12-08",
      amount: "25000",
      dealstage: "qualifiedtobuy",
      pipeline: "default",
      closedate: "2027-01-15T12:00:00.000Z",
      hubspot_owner_id: s.adaHs,
      [HUBSPOT_KEY_PROPERTY]: `${s.ws.slackTeamId}-deal-${created.deal.id}`,
    });
    expect(s.companyOf("deals", made.id)).toEqual([{ id: s.acmeHs, typeIds: [AssociationTypes.primaryDealToCompany, AssociationTypes.dealToCompany].sort((a, b) => a - b) }]);
    const deal = await s.tdb.db.prisma.deal.findUniqueOrThrow({ where: { id: created.deal.id } });
    expect(deal).toMatchObject({ externalId: `hs:${made.id}`, crmModifiedAt: new Date(made.properties.hs_lastmodifieddate!) });
    s.later(5 * 60_000);
    expect(await s.crm.sync.sync(s.ws.id, { full: true })).toMatchObject({ kind: "done" });
    expect(await s.tdb.db.prisma.deal.count({ where: { accountId: s.acme.id } })).toBe(2);
  });

  it("a deal the push made but could not record (a timeout) is linked by the next pull by its key, never pulled in as a second deal", async () => {
    const s = await setup({ timeoutMs: 500 });
    const created = await s.services.deals.create(s.ada, s.principal, s.acme, { amountCents: 700_000, stage: "proposal", expectedCloseAt: null });
    if (created.kind !== "created") throw new Error("not created");
    s.hs.hangAfterWrite();
    expect(await s.push()).toMatchObject({ kind: "stopped", reason: "failing" });
    expect(s.hs.list("deals")).toHaveLength(2);
    s.later(5 * 60_000);
    expect(await s.crm.sync.sync(s.ws.id)).toMatchObject({ kind: "done" });
    expect(await s.tdb.db.prisma.deal.count({ where: { accountId: s.acme.id } })).toBe(2);
    done(await s.push());
    const made = s.hs.list("deals").find((d) => d.id !== s.dealHs)!;
    expect(await s.tdb.db.prisma.deal.findUniqueOrThrow({ where: { id: created.deal.id } })).toMatchObject({ externalId: `hs:${made.id}` });
    expect(s.hs.list("deals")).toHaveLength(2);
    expect(await s.tdb.db.prisma.deal.count({ where: { accountId: s.acme.id } })).toBe(2);
  });

  it("a stage of another pipeline: pipelineId:stageId entries name the pipeline; a deal keeps its own pipeline when its stage changes", async () => {
    const map = stageMap("renewals:r-discovery=prospect;renewals:r-offer=proposal;renewals:r-won=won;renewals:r-lost=lost;presentationscheduled=proposal;contractsent=negotiation;closedwon=won;closedlost=lost");
    const s = await setup({ stageMap: map });
    s.hs.addPipeline({ id: "renewals", label: "Renewals", stages: [{ id: "r-discovery", label: "Discovery" }, { id: "r-offer", label: "Offer" }, { id: "r-won", label: "Won", closed: true }, { id: "r-lost", label: "Lost", closed: true }] });
    const created = await s.services.deals.create(s.ada, s.principal, s.acme, { amountCents: 100_000, stage: "prospect", expectedCloseAt: null });
    if (created.kind !== "created") throw new Error("not created");
    done(await s.push());
    const made = s.hs.list("deals").find((d) => d.id !== s.dealHs)!;
    expect(made.properties).toMatchObject({ pipeline: "renewals", dealstage: "r-discovery" });
    const found = await s.services.deals.find(s.ada, s.principal, { kind: "number", id: created.deal.id });
    if (found.kind !== "found") throw new Error("not found");
    // "proposal" is presentationscheduled in the default pipeline, r-offer in this deal's.
    await s.services.deals.setStage(s.ada, found.deal, "proposal");
    expect(done(await s.push())).toMatchObject({ written: 1 });
    expect(s.hs.get("deals", made.id).properties).toMatchObject({ pipeline: "renewals", dealstage: "r-offer" });
  });

  it("won and lost write dealstage, amount and closedate to the deal and take its new stamp", async () => {
    const s = await setup();
    const found = await s.services.deals.find(s.ada, s.principal, { kind: "number", id: s.renewal.id });
    if (found.kind !== "found") throw new Error("not found");
    s.clock.hs = new Date("2026-12-08T14:00:05Z");
    await s.services.deals.win(s.ada, found.deal, 4_250_000);
    done(await s.push());
    expect(s.hs.get("deals", s.dealHs).properties).toMatchObject({ dealstage: "closedwon", amount: "42500", closedate: "2026-12-08T12:00:00.000Z", hs_lastmodifieddate: "2026-12-08T14:00:05.000Z" });
    expect(s.requests("PATCH", new RegExp(`/deals/${s.dealHs}$`))).toHaveLength(1);
    expect(await s.tdb.db.prisma.deal.findUniqueOrThrow({ where: { id: s.renewal.id } })).toMatchObject({ status: "won", stage: "won", amountCents: 4_250_000n, crmModifiedAt: new Date("2026-12-08T14:00:05Z") });

    const other = await s.services.deals.create(s.ada, s.principal, s.acme, { amountCents: 900_000, stage: "prospect", expectedCloseAt: null });
    if (other.kind !== "created") throw new Error("not created");
    done(await s.push());
    await s.services.deals.lose(s.ada, other.deal, "went with a competitor");
    done(await s.push());
    expect(s.hs.list("deals").find((d) => d.properties[HUBSPOT_KEY_PROPERTY]?.endsWith(`-deal-${other.deal.id}`))?.properties).toMatchObject({ dealstage: "closedlost", closedate: "2026-12-08T12:00:00.000Z" });
  });

  it("a conflict: the deal changed in HubSpot since the last pull, so nothing is overwritten there, our deal takes HubSpot's values, and the rep is told", async () => {
    const s = await setup();
    s.clock.hs = new Date("2026-12-08T13:00:00Z");
    s.hs.update("deals", s.dealHs, { amount: "45000", dealstage: "contractsent" });
    const found = await s.services.deals.find(s.ada, s.principal, { kind: "number", id: s.renewal.id });
    if (found.kind !== "found") throw new Error("not found");
    await runAs({ kind: "slack", userId: s.ada.user.id }, () => s.services.deals.win(s.ada, found.deal, 5_000_000));

    expect(done(await s.push())).toMatchObject({ conflicts: 1, written: 0 });
    // In the audit trail: the win as Ada's, HubSpot's values taken back as the sync's.
    const trail = (await new AuditRepository(s.tdb.db.prisma).forEntities("deal", [String(s.renewal.id)])).filter((e) => e.action === "update");
    expect(trail.map((e) => [e.actorKind, e.actorDetail, e.actorUserId, e.changes?.status])).toEqual([
      ["slack", null, s.ada.user.id, ["open", "won"]],
      ["sync", "hubspot", null, ["won", "open"]],
    ]);
    expect(s.hs.get("deals", s.dealHs).properties).toMatchObject({ dealstage: "contractsent", amount: "45000", hs_lastmodifieddate: "2026-12-08T13:00:00.000Z" });
    expect(s.requests("PATCH", /\/deals\//)).toEqual([]);
    expect(await s.tdb.db.prisma.deal.findUniqueOrThrow({ where: { id: s.renewal.id } })).toMatchObject({ status: "open", stage: "negotiation", amountCents: 4_500_000n, wonAt: null });
    expect(await s.rows()).toEqual([expect.objectContaining({ status: "conflict", errorCode: "CONFLICT", userId: s.ada.user.id })]);
    expect(await planCrmNotices(s.services, s.ws.id, s.clock.app, "UTC")).toBe(1);
    const [dm] = await s.dms(OUTBOX_KIND.crmRep);
    expect(dm!.recipient).toBe(s.ada.user.slackUserId);
    expect(dm!.payload).toContain("changed in HubSpot since the last sync");
  });

  it("a record HubSpot refuses (VALIDATION_ERROR) is recorded with HubSpot's words and shown to its owner; the rest of its batch is written", async () => {
    const s = await setup();
    await s.log("call", "first");
    await s.log("call", "second");
    // The batch is refused as a whole (nothing made), then the first record alone again.
    s.hs.fail({
      on: "write",
      objectType: "calls",
      status: 400,
      category: "VALIDATION_ERROR",
      message: 'Property values were not valid: [{"isValid":false,"message":"Calls need a disposition","error":"REQUIRED_PROPERTY","name":"hs_call_disposition"}]',
      body: { errors: [{ message: "Calls need a disposition", code: "REQUIRED_PROPERTY", context: { propertyName: ["hs_call_disposition"] } }] },
      times: 2,
    });
    expect(done(await s.push())).toMatchObject({ rejected: 1, written: 1 });
    expect(s.hs.list("calls").map((c) => c.properties.hs_call_title)).toEqual(["Call: second"]);
    const [first, second] = await s.rows();
    expect(first).toMatchObject({ status: "rejected", errorCode: "REQUIRED_PROPERTY", lastError: "Calls need a disposition" });
    expect(second).toMatchObject({ status: "sent" });
    // Not retried on its own; its owner is told, with HubSpot's words.
    s.later(3600_000);
    expect(done(await s.push())).toMatchObject({ rejected: 0, written: 0 });
    expect(await planCrmNotices(s.services, s.ws.id, s.clock.app, "UTC")).toBe(1);
    const [dm] = await s.dms(OUTBOX_KIND.crmRep);
    expect(dm!.payload).toContain("HubSpot refused it: “Calls need a disposition”");
    // Fixed in HubSpot: sent again.
    expect(await s.crm.push!.requeue(s.ws.id, null)).toBe(1);
    expect(done(await s.push())).toMatchObject({ written: 1 });
    expect(s.hs.list("calls")).toHaveLength(2);
  });

  it("a 401 marks the connection broken at once (a private-app token cannot be refreshed), the queue holds, the admins are told once; the new token drains it", async () => {
    const s = await setup();
    await s.log("call", "waits");
    const token = s.hs.rotateToken();
    expect(await s.push()).toMatchObject({ kind: "stopped", reason: "broken", waiting: 1 });
    expect((await s.crm.sync.status(s.ws.id)).connection).toMatchObject({ status: "broken", statusReason: expect.stringContaining("HUBSPOT_ACCESS_TOKEN") });
    expect((await s.rows())[0]).toMatchObject({ status: "pending", attempts: 0 });
    expect(await s.push()).toMatchObject({ kind: "held", reason: "broken" });
    await planCrmNotices(s.services, s.ws.id, s.clock.app, "UTC");
    s.later(5 * 60_000);
    await planCrmNotices(s.services, s.ws.id, s.clock.app, "UTC");
    const told = await s.dms(OUTBOX_KIND.crmAdmin);
    expect(told.map((r) => r.recipient)).toEqual([s.root.slackUserId]);
    expect(told[0]!.payload).toContain("The HubSpot connection is broken");

    // The admin puts the new token in HUBSPOT_ACCESS_TOKEN: the next pass works and the queue drains.
    const fixed = s.make("w1", undefined, token);
    expect(await fixed.sync.sync(s.ws.id)).toMatchObject({ kind: "done" });
    expect(done(await fixed.push!.push(s.ws.id))).toMatchObject({ written: 1 });
    expect(s.hs.list("calls").map((c) => c.properties.hs_call_title)).toEqual(["Call: waits"]);
  });

  it("429s: a SECONDLY limit is waited out for its Retry-After; a longer one, or the DAILY limit, backs the whole connection off at least that long", async () => {
    const s = await setup();
    await s.log("call", "one");
    s.hs.rateLimit({ on: "write", policy: "SECONDLY", retryAfterSeconds: 2, times: 2 });
    expect(done(await s.push())).toMatchObject({ written: 1 });
    expect(s.waits.filter((w) => w === 2_000)).toHaveLength(2);

    await s.log("call", "two");
    s.hs.rateLimit({ on: "write", policy: "TEN_SECONDLY_ROLLING", retryAfterSeconds: 600 });
    expect(await s.push()).toMatchObject({ kind: "stopped", reason: "backing-off" });
    // Retry-After (10 minutes) is longer than the backoff's first step (CRM_SYNC_MINUTES, 5): it wins.
    expect((await s.crm.sync.status(s.ws.id)).connection).toMatchObject({ status: "limited", backoffUntil: new Date(s.clock.app.getTime() + 600_000) });
    expect(await s.push()).toMatchObject({ kind: "held", reason: "backing-off" });
    s.later(600_000);
    expect(done(await s.push())).toMatchObject({ written: 1 });

    await s.log("call", "three");
    s.hs.rateLimit({ on: "write", policy: "DAILY" });
    expect(await s.push()).toMatchObject({ kind: "stopped", reason: "backing-off", error: expect.stringContaining("daily") });
    expect((await s.crm.sync.status(s.ws.id)).connection).toMatchObject({ backoffUntil: new Date(s.clock.app.getTime() + 3600_000) });
    expect((await s.rows()).at(-1)).toMatchObject({ status: "pending", attempts: 0 });
  });

  it("a timeout is 'maybe written': a minute later (HubSpot's search has caught up) the retry finds the call by its key instead of making a second", async () => {
    const s = await setup({ timeoutMs: 500, fake: { searchLagMs: 30_000 } });
    const logged = await s.log("call", "in limbo");
    if (logged.kind !== "logged") throw new Error("not logged");
    s.hs.hangAfterWrite();
    expect(await s.push()).toMatchObject({ kind: "stopped", reason: "failing", error: expect.stringContaining("did not answer") });
    expect(s.hs.list("calls")).toHaveLength(1);
    // Not tried again before HubSpot's search index can be trusted to have it.
    expect((await s.rows())[0]).toMatchObject({ status: "pending", attempts: 1, nextAttemptAt: new Date(s.clock.app.getTime() + 60_000) });
    s.later(30_000);
    expect(done(await s.push())).toMatchObject({ written: 0 });

    s.later(30_000);
    expect(done(await s.push())).toMatchObject({ written: 1 });
    const calls = s.hs.list("calls");
    expect(calls).toHaveLength(1);
    expect((await s.tdb.db.prisma.touch.findUniqueOrThrow({ where: { id: logged.touch.id } })).externalId).toBe(`hs:${calls[0]!.id}`);
    expect(s.requests("POST", /\/calls\/search$/)).toHaveLength(1);
    expect(s.requests("POST", /\/calls\/batch\/create$/)).toHaveLength(1);
  });

  it("a deal HubSpot already has under its key (409 CONFLICT on the unique property) is ours: its id is recorded, no second deal", async () => {
    const s = await setup();
    const created = await s.services.deals.create(s.ada, s.principal, s.acme, { amountCents: 700_000, stage: "proposal", expectedCloseAt: null });
    if (created.kind !== "created") throw new Error("not created");
    // An earlier attempt made it (and its row was reset by `crm retry` after being given up).
    const earlier = s.hs.create("deals", { dealname: "made before", dealstage: "presentationscheduled", [HUBSPOT_KEY_PROPERTY]: `${s.ws.slackTeamId}-deal-${created.deal.id}` }, [{ to: "companies", id: s.acmeHs, typeId: AssociationTypes.primaryDealToCompany }]);
    expect(done(await s.push())).toMatchObject({ written: 1 });
    expect(s.hs.list("deals")).toHaveLength(2);
    expect(await s.tdb.db.prisma.deal.findUniqueOrThrow({ where: { id: created.deal.id } })).toMatchObject({ externalId: `hs:${earlier}` });
  });

  it("without the key property the push holds (a retry could make a second record), doctor names it, and it goes out once the admin creates it", async () => {
    const s = await setup({ keyProperty: false });
    await s.log("call", "x");
    expect(await s.push()).toMatchObject({ kind: "stopped", reason: "on-hold", error: expect.stringContaining(HUBSPOT_KEY_PROPERTY) });
    expect(s.hs.list("calls")).toEqual([]);
    expect((await s.crm.sync.status(s.ws.id)).connection).toMatchObject({ pushBlocked: expect.stringContaining("calls have no property ae_assistant_id") });
    const checks = await s.crm.push!.checks();
    expect(checks.filter((c) => !c.ok).map((c) => c.text)).toEqual(expect.arrayContaining([expect.stringContaining("deals have no property ae_assistant_id"), expect.stringContaining('tick "Require unique values"')]));
    expect(checks.filter((c) => c.ok).map((c) => c.text)).toEqual(expect.arrayContaining([expect.stringContaining("can write deals"), expect.stringContaining("every stage of ours")]));

    s.hs.definePushProperty(HUBSPOT_KEY_PROPERTY);
    s.later(5 * 60_000);
    expect(done(await s.push())).toMatchObject({ written: 1 });
    expect((await s.crm.push!.checks()).every((c) => c.ok)).toBe(true);
  });

  it("a missing write scope holds the push (the pull goes on) and doctor names the scope", async () => {
    const s = await setup();
    await s.log("call", "x");
    s.hs.revokeScope("crm.objects.contacts.write");
    expect(await s.push()).toMatchObject({ kind: "stopped", reason: "on-hold", error: expect.stringContaining("crm.objects.contacts.write") });
    expect((await s.crm.sync.status(s.ws.id)).connection?.status).toBe("ok");
    expect((await s.crm.push!.checks()).find((c) => !c.ok)?.text).toContain("lacks crm.objects.contacts.write, needed to write calls, emails, meetings, notes and tasks");
  });

  it("two replicas pushing the same backlog write each record once", async () => {
    const s = await setup();
    for (let i = 0; i < 60; i++) await s.log(i % 3 === 0 ? "meeting" : "call", `touch ${i}`);
    for (let i = 0; i < 20; i++) {
      const f = await s.services.followUps.create(s.ada, s.principal, { accountId: s.acme.id, title: `follow-up ${i}`, dueDate: "2026-12-11" });
      if (f.kind === "created" && i % 2 === 0) await s.services.followUps.complete(s.ada, s.principal, f.followUp.id);
    }
    const [a, b] = [s.make("replica-a", 7), s.make("replica-b", 7)];
    const results = await Promise.all([a.push!.push(s.ws.id), b.push!.push(s.ws.id), a.push!.push(s.ws.id)]);
    for (const r of results) expect(r.kind).toBe("done");
    await vi.waitFor(async () => expect((await s.rows()).filter((r) => r.status !== "sent")).toEqual([]));
    const keys = (["calls", "meetings", "tasks"] as const).flatMap((t) => s.hs.list(t).map((r) => r.properties[HUBSPOT_KEY_PROPERTY]));
    expect(keys).toHaveLength(80);
    expect(new Set(keys).size).toBe(80);
    expect(s.hs.list("tasks").filter((t) => t.properties.hs_task_status === "COMPLETED")).toHaveLength(10);
  });
});
