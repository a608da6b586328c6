import { expect, it, vi } from "vitest";
import type { SObjectType } from "../../src/demo/fake-salesforce.js";
import type { StageMap } from "../../src/domain/crm-sync.js";
import { createCrm, type Crm } from "../../src/services/crm/create-crm-sync.js";
import type { PushResult } from "../../src/services/crm/crm-push-service.js";
import { createServices, type Services } from "../../src/services/services.js";
import { toActor, type Actor } from "../../src/services/actor-service.js";
import type { Workspace } from "../../src/db/repositories/workspace-repository.js";
import { describeEachProvider } from "../support/providers.js";
import { MaintenanceJob } from "../../src/jobs/maintenance-job.js";
import { crmTestbed, silentLogger as silent, stageMap, TEST_STAGES as STAGES } from "../support/crm.js";
import { runAs } from "../../src/db/audit/audit-scope.js";
import { AuditRepository } from "../../src/db/repositories/audit-repository.js";

function done(result: PushResult) {
  if (result.kind !== "done") throw new Error(`expected a finished push, got ${JSON.stringify(result)}`);
  return result.report;
}

/**
 * The CRM push against the fake Salesforce over real HTTP, on both databases: what each change
 * becomes there, exactly once, and every fault the brief names (issue 13).
 */
describeEachProvider("CRM push to Salesforce [%s]", (provider) => {
  const bed = crmTestbed(provider);

  /**
   * A workspace with Ada (Berlin, known by email in Salesforce), a fake Salesforce with Acme and an
   * opportunity, pulled once so the account and the deal are linked; services that queue CRM writes.
   */
  async function setup(opts: { stageMap?: StageMap; timeoutMs?: number; maxAttempts?: number } = {}) {
    const tdb = bed.db();
    const clock = { sf: new Date("2026-12-01T09:00:00Z"), app: new Date("2026-12-08T14:00:00Z") };
    const sf = await bed.startFake({ now: () => clock.sf });
    const services: Services = createServices(tdb.db, { defaultTimezone: "America/New_York", now: () => clock.app, logger: silent, crm: { provider: "salesforce", push: true } });
    const team = `T${Math.random().toString(36).slice(2, 9).toUpperCase()}`;
    const ws: Workspace = await services.repos.workspaces.ensure(team, { timezone: "Europe/Berlin" });
    const user = await services.repos.users.upsertFromSlack(ws.id, { slackUserId: `UADA${ws.id}`, name: "Ada Lovelace", email: "Ada@Example.com", timezone: "Europe/Berlin", locale: "en-US", isSlackAdmin: false, inactive: false });
    const ada: Actor = toActor(user, ws, "UTC");
    const make = (workerId = "w1", batchSize?: number) =>
      createCrm(
        tdb.db,
        { provider: "salesforce", loginUrl: sf.url, clientId: sf.clientId, clientSecret: sf.clientSecret, syncMinutes: 5, stageMap: opts.stageMap ?? STAGES },
        { now: () => clock.app, logger: silent, workerId, connector: { requestTimeoutMs: opts.timeoutMs ?? 10_000 }, push: { maxAttempts: opts.maxAttempts, batchSize } },
      );
    const crm: Crm = make();
    const adaSf = sf.create("User", { Name: "Ada Lovelace", Email: "ada@example.com" });
    const acmeSf = sf.create("Account", { Name: "Acme", OwnerId: adaSf });
    const oppSf = sf.create("Opportunity", { Name: "Acme renewal", AccountId: acmeSf, Amount: 40000, CloseDate: "2026-12-20", StageName: "Proposal/Price Quote", OwnerId: adaSf });
    const pulled = await crm.sync.sync(ws.id);
    if (pulled.kind !== "done") throw new Error(JSON.stringify(pulled));
    const acme = await tdb.db.prisma.account.findFirstOrThrow({ where: { workspaceId: ws.id, name: "Acme" } });
    const renewal = await tdb.db.prisma.deal.findFirstOrThrow({ where: { accountId: acme.id } });
    const principal = await services.principal(ada);
    const push = () => crm.push!.push(ws.id);
    const rows = () => tdb.db.prisma.crmOutbox.findMany({ where: { workspaceId: ws.id }, orderBy: { id: "asc" } });
    const only = (type: SObjectType) => sf.list(type);
    /** The app's clock moves on (a retry's backoff, a rate limit's wait). */
    const later = (ms: number) => (clock.app = new Date(clock.app.getTime() + ms));
    return { tdb, ws, ada, principal, services, sf, crm, make, clock, adaSf, acmeSf, oppSf, acme, renewal, push, rows, only, later };
  }

  it("a call becomes a completed Task and a demo an Event on the account, owned by the rep; the CRM id is stored on the touch", async () => {
    const s = await setup();
    const call = await s.services.touches.log(s.ada, s.principal, { accountId: s.acme.id, kind: "call", note: "Renewal agreed\nThey want a 3-year term.", participants: [], source: "command" });
    const demo = await s.services.touches.log(s.ada, s.principal, { accountId: s.acme.id, kind: "demo", note: null, participants: [], source: "command" });
    if (call.kind !== "logged" || demo.kind !== "logged") throw new Error("not logged");
    expect((await s.rows()).map((r) => [r.entity, r.op, r.status])).toEqual([["touch", "create", "pending"], ["touch", "create", "pending"]]);

    expect(done(await s.push())).toMatchObject({ written: 2, rejected: 0 });

    const [task] = s.only("Task");
    expect(task).toMatchObject({
      Subject: "Call: Renewal agreed",
      Status: "Completed",
      TaskSubtype: "Call",
      ActivityDate: "2026-12-08",
      WhatId: s.acmeSf.slice(0, 15),
      OwnerId: s.adaSf,
      AE_Assistant_Id__c: `${s.ws.slackTeamId}-touch-${call.touch.id}`,
    });
    expect(String(task!.Description)).toContain("They want a 3-year term.\n\nLogged in Slack by Ada Lovelace.");
    const [event] = s.only("Event");
    // A demo lasts an hour on the calendar and ends when it was logged.
    expect(event).toMatchObject({ Subject: "Demo (logged in Slack)", StartDateTime: "2026-12-08T13:00:00.000Z", DurationInMinutes: 60, WhatId: s.acmeSf.slice(0, 15) });
    const touch = await s.tdb.db.prisma.touch.findUniqueOrThrow({ where: { id: call.touch.id } });
    expect(touch.externalId).toBe(`sf:${String(task!.Id).slice(0, 15)}`);
    expect((await s.rows()).map((r) => r.status)).toEqual(["sent", "sent"]);
    // One request for both (an sObject Collection), and pushing again writes nothing.
    expect(s.sf.requests.filter((r) => r.path.endsWith("/composite/sobjects"))).toHaveLength(1);
    expect(done(await s.push())).toMatchObject({ written: 0 });
    expect(s.only("Task")).toHaveLength(1);
    // Housekeeping forgets pushes the CRM took a month ago; the touch keeps its CRM id.
    await new MaintenanceJob(s.tdb.db).plan(new Date(s.clock.app.getTime() + 31 * 86_400_000));
    expect(await s.rows()).toEqual([]);
    expect((await s.tdb.db.prisma.touch.findUniqueOrThrow({ where: { id: call.touch.id } })).externalId).toMatch(/^sf:00T/);
  });

  it("nothing is queued for an account the CRM does not have", async () => {
    const s = await setup();
    const local = await s.services.accounts.add(s.ada, { name: "Local Only", tier: "standard", annualValueCents: 0, industry: null, kind: "company" });
    if (local.kind !== "created") throw new Error("not created");
    await s.services.touches.log(s.ada, s.principal, { accountId: local.account.id, kind: "call", note: null, participants: [], source: "command" });
    await s.services.followUps.create(s.ada, s.principal, { accountId: local.account.id, title: "Send deck", dueDate: "2026-12-10" });
    expect(await s.rows()).toEqual([]);
  });

  it("a follow-up becomes an open Task due on its day, completed when it is done; done before the push, it arrives completed", async () => {
    const s = await setup();
    const f = await s.services.followUps.create(s.ada, s.principal, { accountId: s.acme.id, title: "Send the contract", dueDate: "2026-12-10" });
    if (f.kind !== "created") throw new Error("not created");
    done(await s.push());
    expect(s.only("Task")).toEqual([expect.objectContaining({ Subject: "Send the contract", Status: "Not Started", ActivityDate: "2026-12-10", OwnerId: s.adaSf })]);
    const taskId = String(s.only("Task")[0]!.Id);

    await s.services.followUps.complete(s.ada, s.principal, f.followUp.id);
    done(await s.push());
    expect(s.sf.get("Task", taskId)).toMatchObject({ Status: "Completed", IsClosed: true });
    expect(s.only("Task")).toHaveLength(1);
    expect((await s.tdb.db.prisma.followUp.findUniqueOrThrow({ where: { id: f.followUp.id } })).externalId).toBe(`sf:${taskId.slice(0, 15)}`);

    const quick = await s.services.followUps.create(s.ada, s.principal, { accountId: s.acme.id, title: "Quick one", dueDate: "2026-12-09" });
    if (quick.kind !== "created") throw new Error("not created");
    await s.services.followUps.complete(s.ada, s.principal, quick.followUp.id);
    done(await s.push());
    expect(s.only("Task").filter((t) => t.Subject === "Quick one")).toEqual([expect.objectContaining({ Status: "Completed" })]);
  });

  it("a follow-up's completion waits for its creation: while the create is retrying, the complete is not sent", async () => {
    const s = await setup();
    const f = await s.services.followUps.create(s.ada, s.principal, { accountId: s.acme.id, title: "Call back", dueDate: "2026-12-10" });
    if (f.kind !== "created") throw new Error("not created");
    s.sf.fail({ on: "write", status: 503, errorCode: "SERVER_UNAVAILABLE", message: "down for maintenance" });
    expect(await s.push()).toMatchObject({ kind: "stopped", reason: "failing" });
    await s.services.followUps.complete(s.ada, s.principal, f.followUp.id);
    // The create waits for its retry; the complete must not overtake it.
    expect(done(await s.push())).toMatchObject({ written: 0 });
    expect((await s.rows()).map((r) => [r.op, r.status])).toEqual([["create", "pending"], ["complete", "pending"]]);
    s.later(10_000);
    done(await s.push());
    expect(s.only("Task")).toEqual([expect.objectContaining({ Subject: "Call back", Status: "Completed" })]);
    expect((await s.rows()).map((r) => r.status)).toEqual(["sent", "sent"]);
  });

  it("a deal opened in Slack on a CRM account becomes an Opportunity (stage through CRM_STAGE_MAP read backwards) and keeps its CRM id", async () => {
    const s = await setup();
    const created = await s.services.deals.create(s.ada, s.principal, s.acme, { amountCents: 2_500_000, stage: "qualified", expectedCloseAt: new Date("2027-01-14T23:00:00Z") });
    if (created.kind !== "created") throw new Error("not created");
    done(await s.push());
    const opp = s.only("Opportunity").find((o) => o.Name !== "Acme renewal")!;
    expect(opp).toMatchObject({ AccountId: s.acmeSf.slice(0, 15), Amount: 25000, StageName: "Qualification", CloseDate: "2027-01-15", OwnerId: s.adaSf, AE_Assistant_Id__c: `${s.ws.slackTeamId}-deal-${created.deal.id}` });
    expect(opp.Name).toBe("Acme – 2026-12-08");
    const deal = await s.tdb.db.prisma.deal.findUniqueOrThrow({ where: { id: created.deal.id } });
    expect(deal).toMatchObject({ externalId: `sf:${String(opp.Id).slice(0, 15)}`, crmModifiedAt: new Date("2026-12-01T09:00:00Z") });
    // Its CRM id is a recorded change, the CRM's (the push runs as the sync).
    const trail = await new AuditRepository(s.tdb.db.prisma).forEntities("deal", [String(deal.id)]);
    expect(trail.filter((e) => e.changes?.externalId).map((e) => [e.action, e.actorKind, e.actorDetail, e.changes?.externalId])).toEqual([["update", "sync", "salesforce", [null, deal.externalId]]]);
    // The next pull finds it as ours: no second deal.
    const pulled = await s.crm.sync.sync(s.ws.id, { full: true });
    expect(pulled).toMatchObject({ kind: "done" });
    expect(await s.tdb.db.prisma.deal.count({ where: { accountId: s.acme.id } })).toBe(2);
  });

  it("an opportunity the push made but could not record (a timeout) is linked by the next pull, never pulled in as a second deal", async () => {
    const s = await setup({ timeoutMs: 500 });
    const created = await s.services.deals.create(s.ada, s.principal, s.acme, { amountCents: 700_000, stage: "proposal", expectedCloseAt: null });
    if (created.kind !== "created") throw new Error("not created");
    s.sf.hangAfterWrite();
    expect(await s.push()).toMatchObject({ kind: "stopped", reason: "failing" });
    expect(s.only("Opportunity")).toHaveLength(2);
    s.later(5 * 60_000);
    expect(await s.crm.sync.sync(s.ws.id)).toMatchObject({ kind: "done" });
    expect(await s.tdb.db.prisma.deal.count({ where: { accountId: s.acme.id } })).toBe(2);
    done(await s.push());
    const made = s.only("Opportunity").find((o) => o.Name !== "Acme renewal")!;
    expect(await s.tdb.db.prisma.deal.findUniqueOrThrow({ where: { id: created.deal.id } })).toMatchObject({ externalId: `sf:${String(made.Id).slice(0, 15)}` });
    expect(s.only("Opportunity")).toHaveLength(2);
  });

  it("a stage no CRM stage maps to is reported, not written; a stage several CRM stages map to keeps the opportunity's or takes the first listed", async () => {
    const partial = stageMap("Prospecting=prospect;Needs Analysis=qualified;Qualification=qualified;Proposal/Price Quote=proposal;Closed Won=won;Closed Lost=lost");
    const s = await setup({ stageMap: partial });
    const created = await s.services.deals.create(s.ada, s.principal, s.acme, { amountCents: 100_000, stage: "negotiation", expectedCloseAt: null });
    if (created.kind !== "created") throw new Error("not created");
    expect(done(await s.push())).toMatchObject({ rejected: 1, written: 0 });
    expect(await s.rows()).toEqual([expect.objectContaining({ status: "rejected", errorCode: "UNMAPPED_STAGE", lastError: expect.stringContaining('our stage "negotiation"') })]);
    expect(s.only("Opportunity")).toHaveLength(1);

    const second = await s.services.deals.create(s.ada, s.principal, s.acme, { amountCents: 100_000, stage: "qualified", expectedCloseAt: null });
    if (second.kind !== "created") throw new Error("not created");
    done(await s.push());
    // "qualified" is written as the first CRM stage listed for it; no close date → the end of the fiscal quarter.
    expect(s.only("Opportunity").find((o) => String(o.AE_Assistant_Id__c).endsWith(`-deal-${second.deal.id}`))).toMatchObject({ StageName: "Needs Analysis", CloseDate: "2026-12-31" });
  });

  it("won and lost write StageName, Amount and CloseDate to the opportunity and take its new stamp", async () => {
    const s = await setup();
    const found = await s.services.deals.find(s.ada, s.principal, { kind: "number", id: s.renewal.id });
    if (found.kind !== "found") throw new Error("not found");
    s.clock.sf = new Date("2026-12-08T14:00:05Z");
    await s.services.deals.win(s.ada, found.deal, 4_250_000);
    done(await s.push());
    expect(s.sf.get("Opportunity", s.oppSf)).toMatchObject({ StageName: "Closed Won", Amount: 42500, CloseDate: "2026-12-08", SystemModstamp: "2026-12-08T14:00:05.000+0000" });
    expect(await s.tdb.db.prisma.deal.findUniqueOrThrow({ where: { id: s.renewal.id } })).toMatchObject({ status: "won", stage: "won", amountCents: 4_250_000n, crmModifiedAt: new Date("2026-12-08T14:00:05Z") });

    const other = await s.services.deals.create(s.ada, s.principal, s.acme, { amountCents: 900_000, stage: "prospect", expectedCloseAt: null });
    if (other.kind !== "created") throw new Error("not created");
    done(await s.push());
    await s.services.deals.lose(s.ada, other.deal, "went with a competitor");
    done(await s.push());
    const lost = s.only("Opportunity").find((o) => String(o.AE_Assistant_Id__c).endsWith(`-deal-${other.deal.id}`));
    expect(lost).toMatchObject({ StageName: "Closed Lost", CloseDate: "2026-12-08" });
  });

  it("a close date pushed from the reminder's button and a stage moved reach the opportunity (only what changed)", async () => {
    const s = await setup();
    const found = await s.services.deals.find(s.ada, s.principal, { kind: "number", id: s.renewal.id });
    if (found.kind !== "found") throw new Error("not found");
    const pushed = await s.services.deals.pushCloseDate(s.ada, found.deal, "2027-01-08");
    if (pushed.kind !== "pushed") throw new Error(JSON.stringify(pushed));
    await s.services.deals.setStage(s.ada, pushed.deal, "negotiation");
    done(await s.push());
    expect(s.sf.get("Opportunity", s.oppSf)).toMatchObject({ CloseDate: "2027-01-08", StageName: "Negotiation/Review", Amount: 40000 });
    // One PATCH with both changes (the two queued rows went together).
    expect(s.sf.requests.filter((r) => r.method === "PATCH" && r.path.includes("/sobjects/Opportunity/"))).toHaveLength(1);
  });

  it("a conflict: the opportunity changed in Salesforce since the last pull, so nothing is overwritten there and our deal takes Salesforce's values", async () => {
    const s = await setup();
    s.clock.sf = new Date("2026-12-08T13:00:00Z");
    s.sf.update("Opportunity", s.oppSf, { Amount: 45000, StageName: "Negotiation/Review" });
    const found = await s.services.deals.find(s.ada, s.principal, { kind: "number", id: s.renewal.id });
    if (found.kind !== "found") throw new Error("not found");
    await runAs({ kind: "slack", userId: s.ada.user.id }, () => s.services.deals.win(s.ada, found.deal, 5_000_000));

    expect(done(await s.push())).toMatchObject({ conflicts: 1, written: 0 });
    // In the audit trail: the win as Ada's, the CRM's values taken back as the sync's.
    const trail = (await new AuditRepository(s.tdb.db.prisma).forEntities("deal", [String(s.renewal.id)])).filter((e) => e.action === "update");
    expect(trail.map((e) => [e.actorKind, e.actorUserId, e.changes?.status, e.changes?.amountCents])).toEqual([
      ["slack", s.ada.user.id, ["open", "won"], [4_000_000, 5_000_000]],
      ["sync", null, ["won", "open"], [5_000_000, 4_500_000]],
    ]);
    expect(trail[1]).toMatchObject({ actorDetail: "salesforce" });
    expect(s.sf.get("Opportunity", s.oppSf)).toMatchObject({ StageName: "Negotiation/Review", Amount: 45000, SystemModstamp: "2026-12-08T13:00:00.000+0000" });
    expect(s.sf.requests.filter((r) => r.method === "PATCH")).toEqual([]);
    expect(await s.tdb.db.prisma.deal.findUniqueOrThrow({ where: { id: s.renewal.id } })).toMatchObject({ status: "open", stage: "negotiation", amountCents: 4_500_000n, wonAt: null });
    const [row] = await s.rows();
    expect(row).toMatchObject({ status: "conflict", errorCode: "CONFLICT", userId: s.ada.user.id, notifiedAt: null });
    const status = await s.crm.push!.status(s.ws.id);
    expect(status.problems).toEqual([expect.objectContaining({ status: "conflict", accountName: "Acme", entity: "deal" })]);
  });

  it("a change waiting for the push is not undone by a pull that re-reads the same version of the opportunity", async () => {
    const s = await setup();
    const found = await s.services.deals.find(s.ada, s.principal, { kind: "number", id: s.renewal.id });
    if (found.kind !== "found") throw new Error("not found");
    await s.services.deals.setStage(s.ada, found.deal, "negotiation");
    // The pull (full: it reads the opportunity again, unchanged in Salesforce) leaves our change alone.
    await s.crm.sync.sync(s.ws.id, { full: true });
    expect((await s.tdb.db.prisma.deal.findUniqueOrThrow({ where: { id: s.renewal.id } })).stage).toBe("negotiation");
    done(await s.push());
    expect(s.sf.get("Opportunity", s.oppSf).StageName).toBe("Negotiation/Review");
  });

  it("a record Salesforce refuses is recorded with its message, not retried, listed for its owner, and sent again once the rule is fixed", async () => {
    const s = await setup();
    s.sf.addValidationRule("Task", { message: "Calls need a subject longer than the kind", field: "Subject", when: (r) => r.Subject === "Call (logged in Slack)" });
    await s.services.touches.log(s.ada, s.principal, { accountId: s.acme.id, kind: "call", note: null, participants: [], source: "command" });
    expect(done(await s.push())).toMatchObject({ rejected: 1 });
    expect(await s.rows()).toEqual([expect.objectContaining({ status: "rejected", errorCode: "FIELD_CUSTOM_VALIDATION_EXCEPTION", lastError: "Calls need a subject longer than the kind", attempts: 1 })]);
    s.later(3600_000);
    expect(done(await s.push())).toMatchObject({ rejected: 0, written: 0 });
    expect((await s.crm.push!.status(s.ws.id)).problems[0]).toMatchObject({ label: "call", accountName: "Acme", lastError: "Calls need a subject longer than the kind" });

    s.sf.clearValidationRules();
    expect(await s.crm.push!.requeue(s.ws.id, null)).toBe(1);
    expect(done(await s.push())).toMatchObject({ written: 1 });
    expect(s.only("Task")).toHaveLength(1);
  });

  it("a 401 logs in again once; refused again, the connection is broken, the queue holds, and drains when a pull finds it working", async () => {
    const s = await setup();
    await s.services.touches.log(s.ada, s.principal, { accountId: s.acme.id, kind: "call", note: "one", participants: [], source: "command" });
    s.sf.revokeTokens();
    expect(done(await s.push())).toMatchObject({ written: 1 });

    await s.services.touches.log(s.ada, s.principal, { accountId: s.acme.id, kind: "call", note: "two", participants: [], source: "command" });
    s.sf.fail({ on: "write", status: 401, errorCode: "INVALID_SESSION_ID", message: "Session expired or invalid", times: 2 });
    expect(await s.push()).toMatchObject({ kind: "stopped", reason: "broken", waiting: 1 });
    expect((await s.crm.sync.status(s.ws.id)).connection).toMatchObject({ status: "broken", statusReason: expect.stringContaining("INVALID_SESSION_ID") });
    expect((await s.rows()).at(-1)).toMatchObject({ status: "pending", attempts: 0 });
    // Held: nothing is tried while the connection is broken.
    const requests = s.sf.requests.length;
    expect(await s.push()).toMatchObject({ kind: "held", reason: "broken", waiting: 1 });
    expect(s.sf.requests.length).toBe(requests);

    // A person fixed it; the next pull works and marks the connection ok; the push goes out.
    s.later(5 * 60_000);
    expect(await s.crm.sync.sync(s.ws.id)).toMatchObject({ kind: "done" });
    expect(done(await s.push())).toMatchObject({ written: 1 });
    expect(s.only("Task").map((t) => t.Subject)).toEqual(["Call: one", "Call: two"]);
  });

  it("429 and REQUEST_LIMIT_EXCEEDED back the whole connection off (the pull's backoff), and the rows go out when it ends", async () => {
    const s = await setup();
    await s.services.touches.log(s.ada, s.principal, { accountId: s.acme.id, kind: "email", note: "Sent pricing", participants: [], source: "command" });
    s.sf.fail({ on: "write", status: 403, errorCode: "REQUEST_LIMIT_EXCEEDED", message: "TotalRequests Limit exceeded." });
    expect(await s.push()).toMatchObject({ kind: "stopped", reason: "backing-off" });
    const c = (await s.crm.sync.status(s.ws.id)).connection!;
    expect(c).toMatchObject({ status: "limited", backoffCount: 1, backoffUntil: new Date(s.clock.app.getTime() + 5 * 60_000) });
    // Shared: the pull waits too.
    expect(await s.crm.sync.due(s.ws.id, new Date(s.clock.app.getTime() + 60_000))).toBe(false);
    expect(await s.push()).toMatchObject({ kind: "held", reason: "backing-off" });

    s.later(5 * 60_000);
    s.sf.fail({ on: "write", status: 429, errorCode: "REQUEST_LIMIT_EXCEEDED", message: "slow down" });
    expect(await s.push()).toMatchObject({ kind: "stopped", reason: "backing-off" });
    expect((await s.crm.sync.status(s.ws.id)).connection).toMatchObject({ backoffCount: 2, backoffUntil: new Date(s.clock.app.getTime() + 10 * 60_000) });
    s.later(10 * 60_000);
    expect(done(await s.push())).toMatchObject({ written: 1 });
    expect(s.only("Task")).toEqual([expect.objectContaining({ TaskSubtype: "Email", Subject: "Email: Sent pricing" })]);
    expect((await s.crm.sync.status(s.ws.id)).connection).toMatchObject({ status: "ok", backoffCount: 0, backoffUntil: null });
  });

  it("a timeout is 'maybe written': the retry finds the Task Salesforce already made (by its external id) instead of making a second", async () => {
    const s = await setup({ timeoutMs: 500 });
    const logged = await s.services.touches.log(s.ada, s.principal, { accountId: s.acme.id, kind: "call", note: "in limbo", participants: [], source: "command" });
    if (logged.kind !== "logged") throw new Error("not logged");
    s.sf.hangAfterWrite();
    expect(await s.push()).toMatchObject({ kind: "stopped", reason: "failing", error: expect.stringContaining("did not answer") });
    expect(s.only("Task")).toHaveLength(1);
    expect((await s.rows())[0]).toMatchObject({ status: "pending", attempts: 1 });

    s.later(10_000);
    expect(done(await s.push())).toMatchObject({ written: 1 });
    const tasks = s.only("Task");
    expect(tasks).toHaveLength(1);
    expect((await s.tdb.db.prisma.touch.findUniqueOrThrow({ where: { id: logged.touch.id } })).externalId).toBe(`sf:${String(tasks[0]!.Id).slice(0, 15)}`);
    expect(s.sf.requests.some((r) => r.path.includes("/sobjects/Task/AE_Assistant_Id__c/"))).toBe(true);
  });

  it("a setup problem (no external id field) holds the push without telling every rep; it goes out once the field exists", async () => {
    const s = await setup();
    s.sf.dropField("Task", "AE_Assistant_Id__c");
    await s.services.touches.log(s.ada, s.principal, { accountId: s.acme.id, kind: "call", note: "x", participants: [], source: "command" });
    expect(await s.push()).toMatchObject({ kind: "stopped", reason: "on-hold", error: expect.stringContaining("AE_Assistant_Id__c") });
    const c = (await s.crm.sync.status(s.ws.id)).connection!;
    expect(c).toMatchObject({ pushBlocked: expect.stringContaining("No such column"), pushRetryAt: new Date(s.clock.app.getTime() + 5 * 60_000) });
    expect(await s.push()).toMatchObject({ kind: "held", reason: "on-hold" });
    expect((await s.rows())[0]).toMatchObject({ status: "pending", notifiedAt: null });
    const checks = await s.crm.push!.checks();
    expect(checks.find((c) => !c.ok)?.text).toContain("Task has no field AE_Assistant_Id__c");
  });

  it("two replicas pushing the same backlog write each record once", async () => {
    const s = await setup();
    for (let i = 0; i < 60; i++) await s.services.touches.log(s.ada, s.principal, { accountId: s.acme.id, kind: i % 3 === 0 ? "meeting" : "call", note: `touch ${i}`, participants: [], source: "command" });
    for (let i = 0; i < 20; i++) {
      const f = await s.services.followUps.create(s.ada, s.principal, { accountId: s.acme.id, title: `follow-up ${i}`, dueDate: "2026-12-11" });
      if (f.kind === "created" && i % 2 === 0) await s.services.followUps.complete(s.ada, s.principal, f.followUp.id);
    }
    // Small batches, so the two replicas' claims interleave.
    const [a, b] = [s.make("replica-a", 7), s.make("replica-b", 7)];
    const results = await Promise.all([a.push!.push(s.ws.id), b.push!.push(s.ws.id), a.push!.push(s.ws.id)]);
    for (const r of results) expect(r.kind).toBe("done");
    await vi.waitFor(async () => expect((await s.rows()).filter((r) => r.status !== "sent")).toEqual([]));
    const keys = [...s.only("Task"), ...s.only("Event")].map((r) => String(r.AE_Assistant_Id__c));
    expect(keys).toHaveLength(80);
    expect(new Set(keys).size).toBe(80);
    expect(s.only("Task").filter((t) => String(t.Subject).startsWith("follow-up")).map((t) => t.Status).filter((x) => x === "Completed")).toHaveLength(10);
  });
});
