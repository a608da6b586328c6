import { afterAll, beforeAll, expect, it } from "vitest";
import { FakeSalesforce } from "../../src/demo/fake-salesforce.js";
import { AssociationTypes } from "@hubspot/api-client";
import { FakeHubSpot } from "../../src/demo/fake-hubspot.js";
import { HUBSPOT_STAGE_MAP_EXAMPLE } from "../../src/domain/crm-sync.js";
import { CrmSyncJob } from "../../src/jobs/crm-sync-job.js";
import type { CrmConfig } from "../../src/config/load-config.js";
import type { Provider } from "../../src/db/client.js";
import { createCrmSync, type CrmConnectorKnobs } from "../../src/services/crm/create-crm-sync.js";
import { startSeededApp, textOf, type SeededApp } from "../support/e2e-harness.js";
import { describeEachProvider } from "../support/providers.js";
import { stageMap, TEST_STAGES as STAGES } from "../support/crm.js";

const HUBSPOT_STAGES = stageMap(HUBSPOT_STAGE_MAP_EXAMPLE);

/** The real app with Ada (known by her Slack email), and the scheduled pull from `crm` as one replica runs it. */
async function startWithCrm(provider: Provider, crm: (t: SeededApp<"UADA">) => CrmConfig, knobs?: CrmConnectorKnobs): Promise<{ t: SeededApp<"UADA">; job: CrmSyncJob }> {
  const t = await startSeededApp({
    provider,
    now: new Date("2026-11-30T09:00:00Z"),
    users: [{ id: "UADA", real_name: "Ada Lovelace", profile: { email: "Ada@Example.com" } }],
  });
  const sync = createCrmSync(t.database.db, crm(t), { now: () => t.clock.now, logger: t.deps.logger, workerId: "replica-1", onSecret: (s) => t.deps.logger.addSecrets([s]), connector: knobs });
  return { t, job: new CrmSyncJob(sync, t.deps.logger) };
}

/**
 * Issue 13, "done when" (pull half): with the fake Salesforce running, the scheduled pull brings the
 * CRM's accounts into `/ae accounts`, and an opportunity changed in the CRM shows in `/ae account`
 * after the next pull. Through the real Bolt app.
 */
describeEachProvider("Salesforce pull, end to end [%s]", (provider) => {
  let t: SeededApp<"UADA">;
  let sf: FakeSalesforce;
  let job: CrmSyncJob;

  beforeAll(async () => {
    sf = await FakeSalesforce.start();
    ({ t, job } = await startWithCrm(provider, () => ({ provider: "salesforce", loginUrl: sf.url, clientId: sf.clientId, clientSecret: sf.clientSecret, syncMinutes: 5, stageMap: STAGES })));
  });
  afterAll(async () => {
    await sf?.stop();
    await t?.close();
  });

  it("the CRM's accounts appear in /ae accounts, and an opportunity changed in the CRM shows in /ae account after the next pull", async () => {
    const ada = sf.create("User", { Name: "Ada Lovelace", Email: "ada@example.com" });
    const acme = sf.create("Account", { Name: "Acme Rockets", Industry: "Aerospace", OwnerId: ada });
    sf.create("Account", { Name: "Globex", OwnerId: ada });
    const opp = sf.create("Opportunity", { Name: "Rocket skates", AccountId: acme, Amount: 12000, CloseDate: "2026-12-18", StageName: "Qualification", OwnerId: ada });

    await job.plan(t.clock.now);
    const list = textOf((await t.command("accounts", "UADA")).reply);
    expect(list).toContain("Acme Rockets");
    expect(list).toContain("Globex");
    const before = textOf((await t.command("account Acme Rockets", "UADA")).reply);
    expect(before).toContain("Rocket skates");
    expect(before).toContain("12,000");

    sf.update("Opportunity", opp, { Amount: 30500, StageName: "Negotiation/Review" });
    // Not due yet: the pull runs every CRM_SYNC_MINUTES.
    t.clock.now = new Date(t.clock.now.getTime() + 60_000);
    await job.plan(t.clock.now);
    expect(textOf((await t.command("account Acme Rockets", "UADA")).reply)).toContain("12,000");

    t.clock.now = new Date(t.clock.now.getTime() + 5 * 60_000);
    await job.plan(t.clock.now);
    const after = textOf((await t.command("account Acme Rockets", "UADA")).reply);
    expect(after).toContain("30,500");
    expect(after).not.toContain("12,000");
    expect(after.toLowerCase()).toContain("negotiation");
    // One line per pass in the log; the access token never reaches a log line.
    expect(t.logs.join("\n")).toContain("deals: 1 read, 0 new, 1 changed");
    expect(t.logs.join("\n")).not.toMatch(/00D\w+!AQ/);
  });
});

/** The same "done when" with the fake HubSpot: companies in /ae accounts, a deal changed in HubSpot in /ae account. */
describeEachProvider("HubSpot pull, end to end [%s]", (provider) => {
  let t: SeededApp<"UADA">;
  let hs: FakeHubSpot;
  let job: CrmSyncJob;

  beforeAll(async () => {
    hs = await FakeHubSpot.start();
    ({ t, job } = await startWithCrm(provider, () => ({ provider: "hubspot", apiUrl: hs.url, accessToken: hs.accessToken, syncMinutes: 5, stageMap: HUBSPOT_STAGES }), { searchIntervalMs: 0 }));
  });
  afterAll(async () => {
    await hs?.stop();
    await t?.close();
  });

  it("HubSpot's companies appear in /ae accounts, and a deal changed in HubSpot shows in /ae account after the next pull", async () => {
    const ada = hs.addOwner({ email: "ada@example.com", firstName: "Ada" });
    const acme = hs.create("companies", { name: "Acme Rockets", industry: "AVIATION_AEROSPACE", hubspot_owner_id: ada });
    hs.create("companies", { name: "Globex", hubspot_owner_id: ada });
    const deal = hs.create("deals", { dealname: "Rocket skates", amount: "12000", closedate: "2026-12-18", dealstage: "qualifiedtobuy", hubspot_owner_id: ada }, [
      { to: "companies", id: acme, typeId: AssociationTypes.primaryDealToCompany },
    ]);

    await job.plan(t.clock.now);
    const list = textOf((await t.command("accounts", "UADA")).reply);
    expect(list).toContain("Acme Rockets");
    expect(list).toContain("Globex");
    const before = textOf((await t.command("account Acme Rockets", "UADA")).reply);
    expect(before).toContain("Rocket skates");
    expect(before).toContain("12,000");

    hs.update("deals", deal, { amount: "30500", dealstage: "contractsent" });
    t.clock.now = new Date(t.clock.now.getTime() + 6 * 60_000);
    await job.plan(t.clock.now);
    const after = textOf((await t.command("account Acme Rockets", "UADA")).reply);
    expect(after).toContain("30,500");
    expect(after.toLowerCase()).toContain("negotiation");
    expect(t.logs.join("\n")).toMatch(/crm hubspot pull: .*deals: 1 read, 0 new, 1 changed/);
    expect(t.logs.join("\n")).not.toContain(hs.accessToken);
  });
});
