import { afterAll, beforeAll, expect, it } from "vitest";
import { FakeSalesforce } from "../../src/demo/fake-salesforce.js";
import { CrmSyncJob } from "../../src/jobs/crm-sync-job.js";
import { createCrmSync } from "../../src/services/crm/create-crm-sync.js";
import { startSeededApp, textOf, type SeededApp } from "../support/e2e-harness.js";
import { describeEachProvider } from "../support/providers.js";
import { TEST_STAGES as STAGES } from "../support/crm.js";


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
    t = await startSeededApp({
      provider,
      now: new Date("2026-11-30T09:00:00Z"),
      users: [{ id: "UADA", real_name: "Ada Lovelace", profile: { email: "Ada@Example.com" } }],
    });
    sf = await FakeSalesforce.start();
    const crm = createCrmSync(
      t.database.db,
      { provider: "salesforce", loginUrl: sf.url, clientId: sf.clientId, clientSecret: sf.clientSecret, syncMinutes: 5, stageMap: STAGES },
      { now: () => t.clock.now, logger: t.deps.logger, workerId: "replica-1", onSecret: (s) => t.deps.logger.addSecrets([s]) },
    );
    job = new CrmSyncJob(crm, t.deps.logger);
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
