import { afterAll, beforeAll, expect, it, vi } from "vitest";
import { AssociationTypes } from "@hubspot/api-client";
import { FakeHubSpot } from "../../src/demo/fake-hubspot.js";
import { FakeSalesforce } from "../../src/demo/fake-salesforce.js";
import { CRM_NOTICE_KINDS } from "../../src/jobs/crm-notices.js";
import { CrmSyncJob, pushWhenQueued } from "../../src/jobs/crm-sync-job.js";
import { createCrm } from "../../src/services/crm/create-crm-sync.js";
import { HUBSPOT_KEY_PROPERTY } from "../../src/services/crm/hubspot-writer.js";
import { Notifier } from "../../src/slack/notifier.js";
import { OutboxSender } from "../../src/slack/outbox-sender.js";
import { startSeededApp, TEST_BOT_TOKEN, textOf, type SeededApp } from "../support/e2e-harness.js";
import { describeEachProvider } from "../support/providers.js";
import { HUBSPOT_TEST_STAGES, TEST_STAGES as STAGES } from "../support/crm.js";
import { appHomeOpenedEvent, eventCallback, jsonBody } from "../support/slack-requests.js";


/**
 * Issue 13, "done when" (push half), through the real Bolt app wired as main.ts wires it: a touch
 * logged in Slack on an account the CRM has arrives in the fake Salesforce as a Task at once; a
 * won deal that changed in Salesforce meanwhile is not overwritten and the rep is told by DM;
 * the admin's Home tab shows the sync's line.
 */
describeEachProvider("Salesforce push, end to end [%s]", (provider) => {
  let t: SeededApp<"UADA" | "UROOT">;
  let sf: FakeSalesforce;
  let job: CrmSyncJob;

  beforeAll(async () => {
    t = await startSeededApp({
      provider,
      now: new Date("2026-12-08T14:00:00Z"),
      users: [
        { id: "UADA", real_name: "Ada Lovelace", tz: "Europe/Berlin", profile: { email: "Ada@Example.com" } },
        { id: "UROOT", real_name: "Root Admin", locale: "de-DE", profile: { email: "root@example.com" } },
      ],
      roles: { UROOT: "admin" },
      crm: { provider: "salesforce", push: true },
    });
    sf = await FakeSalesforce.start({ now: () => t.clock.now });
    const crm = createCrm(
      t.database.db,
      { provider: "salesforce", loginUrl: sf.url, clientId: sf.clientId, clientSecret: sf.clientSecret, syncMinutes: 5, stageMap: STAGES },
      { now: () => t.clock.now, logger: t.deps.logger, workerId: "replica-1", onSecret: (s) => t.deps.logger.addSecrets([s]) },
    );
    job = new CrmSyncJob(crm.sync, t.deps.logger, undefined, { push: crm.push, notices: { services: t.services, defaultTimezone: "America/New_York" } });
    const sender = new OutboxSender(t.services.repos.outbox, new Notifier(TEST_BOT_TOKEN, { slackApiUrl: t.fake.apiUrl }), t.deps.logger, { workerId: "replica-1" });
    pushWhenQueued(t.services.events, job, () => t.clock.now, () => sender.deliverDue(t.clock.now, CRM_NOTICE_KINDS), t.deps.logger);
  });
  afterAll(async () => {
    await sf?.stop();
    await t?.close();
  });

  it("/ae log on a Salesforce account → the Task is in Salesforce; a won deal changed there meanwhile → not overwritten, the rep is told; the admin's Home shows the sync line", async () => {
    const ada = sf.create("User", { Name: "Ada Lovelace", Email: "ada@example.com" });
    const acme = sf.create("Account", { Name: "Acme Rockets", OwnerId: ada });
    const opp = sf.create("Opportunity", { Name: "Rocket skates", AccountId: acme, Amount: 12000, CloseDate: "2026-12-18", StageName: "Qualification", OwnerId: ada });
    await job.plan(t.clock.now);

    const logged = await t.command("log Acme Rockets call renewal agreed", "UADA");
    expect(textOf(logged.reply)).toContain("Logged: Call with *Acme Rockets*");
    await vi.waitFor(() => expect(sf.list("Task")).toHaveLength(1));
    expect(sf.list("Task")[0]).toMatchObject({ Subject: "Call: renewal agreed", Status: "Completed", TaskSubtype: "Call", ActivityDate: "2026-12-08", WhatId: acme.slice(0, 15), OwnerId: ada });
    await vi.waitFor(async () => expect((await t.database.db.prisma.touch.findFirstOrThrow()).externalId).toMatch(/^sf:00T/));

    // Someone moves the opportunity in Salesforce; Ada, not knowing, marks it won in Slack.
    t.clock.now = new Date(t.clock.now.getTime() + 60_000);
    sf.update("Opportunity", opp, { Amount: 15000, StageName: "Negotiation/Review" });
    const deal = await t.database.db.prisma.deal.findFirstOrThrow({ where: { externalId: `sf:${opp.slice(0, 15)}` } });
    const won = await t.command(`won ${deal.id} 13k`, "UADA");
    expect(textOf(won.reply)).toContain("won: *Acme Rockets*, $13,000");
    const dm = await t.fake.waitFor("chat.postMessage", (c) => c.body.channel === "DUADA" && String(c.body.text).includes("did not take"));
    expect(String(dm.body.text)).toContain("changed in Salesforce since the last sync, so nothing was overwritten there");
    expect(String(dm.body.text)).toContain("It shows Salesforce's values now (Negotiation, $15,000, closes Fri, Dec 18). Your change (stage Won, amount $13,000, close date Tue, Dec 8) was not written.");
    expect(sf.get("Opportunity", opp)).toMatchObject({ StageName: "Negotiation/Review", Amount: 15000 });
    const page = textOf((await t.command("account Acme Rockets", "UADA")).reply);
    expect(page).toContain("15,000");
    expect(page.toLowerCase()).toContain("negotiation");

    // The admin (German) sees the sync's line on the Home tab.
    await t.post(jsonBody(eventCallback(appHomeOpenedEvent({ userId: "UROOT" }))));
    const home = await t.fake.waitFor("views.publish", (c) => c.body.user_id === "UROOT");
    expect(textOf(home.body.view as Record<string, unknown>)).toMatch(/\*Salesforce:\* abgeglichen · letzter Abgleich .+ · nichts wartet/);
    // The access token never reached a log line.
    expect(t.logs.join("\n")).not.toMatch(/00D\w+!AQ/);
  });
});

/**
 * The same with the fake HubSpot: `/ae log <company> call …` arrives as a call on the company at
 * once; `/ae followup` as a task; `/ae won` on a deal HubSpot changed meanwhile is not written and
 * the rep is told.
 */
describeEachProvider("HubSpot push, end to end [%s]", (provider) => {
  let t: SeededApp<"UADA">;
  let hs: FakeHubSpot;
  let job: CrmSyncJob;

  beforeAll(async () => {
    t = await startSeededApp({
      provider,
      now: new Date("2026-12-08T14:00:00Z"),
      users: [{ id: "UADA", real_name: "Ada Lovelace", tz: "Europe/Berlin", profile: { email: "Ada@Example.com" } }],
      crm: { provider: "hubspot", push: true },
    });
    hs = await FakeHubSpot.start({ now: () => t.clock.now });
    hs.definePushProperty(HUBSPOT_KEY_PROPERTY);
    const crm = createCrm(
      t.database.db,
      { provider: "hubspot", apiUrl: hs.url, accessToken: hs.accessToken, syncMinutes: 5, stageMap: HUBSPOT_TEST_STAGES },
      { now: () => t.clock.now, logger: t.deps.logger, workerId: "replica-1", onSecret: (s) => t.deps.logger.addSecrets([s]), connector: { searchIntervalMs: 0 } },
    );
    job = new CrmSyncJob(crm.sync, t.deps.logger, undefined, { push: crm.push, notices: { services: t.services, defaultTimezone: "America/New_York" } });
    const sender = new OutboxSender(t.services.repos.outbox, new Notifier(TEST_BOT_TOKEN, { slackApiUrl: t.fake.apiUrl }), t.deps.logger, { workerId: "replica-1" });
    pushWhenQueued(t.services.events, job, () => t.clock.now, () => sender.deliverDue(t.clock.now, CRM_NOTICE_KINDS), t.deps.logger);
  });
  afterAll(async () => {
    await hs?.stop();
    await t?.close();
  });

  it("/ae log on a HubSpot company → the call is on the company in HubSpot; /ae followup → a task; a won deal changed there meanwhile → not overwritten, the rep is told", async () => {
    const ada = hs.addOwner({ email: "ada@example.com", firstName: "Ada" });
    const acme = hs.create("companies", { name: "Acme Rockets", hubspot_owner_id: ada });
    const deal = hs.create("deals", { dealname: "Rocket skates", amount: "12000", dealstage: "qualifiedtobuy", closedate: "2026-12-18T00:00:00Z", hubspot_owner_id: ada }, [
      { to: "companies", id: acme, typeId: AssociationTypes.primaryDealToCompany },
    ]);
    await job.plan(t.clock.now);

    const logged = await t.command("log Acme Rockets call renewal agreed", "UADA");
    expect(textOf(logged.reply)).toContain("Logged: Call with *Acme Rockets*");
    await vi.waitFor(() => expect(hs.list("calls")).toHaveLength(1));
    const [call] = hs.list("calls");
    expect(call!.properties).toMatchObject({ hs_call_title: "Call: renewal agreed", hs_call_status: "COMPLETED", hs_timestamp: "2026-12-08T14:00:00.000Z", hubspot_owner_id: ada });
    expect(hs.associations("calls", call!.id, "companies").map((a) => a.id)).toEqual([acme]);
    await vi.waitFor(async () => expect((await t.database.db.prisma.touch.findFirstOrThrow()).externalId).toBe(`hs:${call!.id}`));

    expect(textOf((await t.command("followup Acme Rockets tomorrow send the contract", "UADA")).reply)).toContain("send the contract");
    await vi.waitFor(() => expect(hs.list("tasks")).toHaveLength(1));
    expect(hs.list("tasks")[0]!.properties).toMatchObject({ hs_task_subject: "send the contract", hs_task_status: "NOT_STARTED" });

    // Someone moves the deal in HubSpot; Ada, not knowing, marks it won in Slack.
    t.clock.now = new Date(t.clock.now.getTime() + 60_000);
    hs.update("deals", deal, { amount: "15000", dealstage: "contractsent" });
    const ours = await t.database.db.prisma.deal.findFirstOrThrow({ where: { externalId: `hs:${deal}` } });
    await t.command(`won ${ours.id} 13k`, "UADA");
    const dm = await t.fake.waitFor("chat.postMessage", (c) => c.body.channel === "DUADA" && String(c.body.text).includes("did not take"));
    expect(String(dm.body.text)).toContain("changed in HubSpot since the last sync, so nothing was overwritten there");
    expect(hs.get("deals", deal).properties).toMatchObject({ dealstage: "contractsent", amount: "15000" });
    // The private app's token never reached a log line.
    expect(t.logs.join("\n")).not.toContain(hs.accessToken);
  });
});
