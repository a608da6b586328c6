import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../../src/cli/main.js";
import { FakeSalesforce } from "../../src/demo/fake-salesforce.js";
import { FakeHubSpot } from "../../src/demo/fake-hubspot.js";
import { HUBSPOT_STAGE_MAP_EXAMPLE, STAGE_MAP_EXAMPLE } from "../../src/domain/crm-sync.js";
import { createTestDatabase, type TestDatabase } from "../support/test-database.js";
import { seedWorkspace } from "../support/deals-fixtures.js";
import { createServices } from "../../src/services/services.js";
import { createLogger } from "../../src/logger.js";

/** `ae-assistant crm sync|status` and the CRM lines of `doctor`, against the fake Salesforce. */
describe("ae-assistant crm and doctor with Salesforce", () => {
  let t: TestDatabase;
  let sf: FakeSalesforce;
  let env: Record<string, string>;

  beforeAll(async () => {
    t = await createTestDatabase("sqlite");
    sf = await FakeSalesforce.start({ maxPageSize: 2 });
    const ws = await seedWorkspace(t.db);
    await t.db.prisma.user.create({ data: { workspaceId: ws.id, slackUserId: "UADA", name: "Ada", email: "ada@example.com", timezone: "UTC" } });
    const ada = sf.create("User", { Name: "Ada", Email: "ada@example.com" });
    for (const name of ["Acme", "Globex", "Initech"]) sf.create("Account", { Name: name, OwnerId: ada });
    env = {
      DATABASE_URL: t.url,
      SALESFORCE_LOGIN_URL: sf.url,
      SALESFORCE_CLIENT_ID: sf.clientId,
      SALESFORCE_CLIENT_SECRET: sf.clientSecret,
      CRM_STAGE_MAP: STAGE_MAP_EXAMPLE,
    };
  });
  afterAll(async () => {
    await sf?.stop();
    await t?.drop();
  });

  async function cli(args: string[], extra: Record<string, string> = {}): Promise<{ code: number; text: string }> {
    const out: string[] = [];
    const code = await runCli(args, { out: (l) => out.push(l), err: (l) => out.push(l), env: { ...env, ...extra } });
    return { code, text: out.join("\n") };
  }

  it("a dry run writes nothing; a sync prints progress and the counts; status shows cursor, counts and the last pull", async () => {
    const dry = await cli(["crm", "sync", "--dry-run"]);
    expect(dry.code).toBe(0);
    expect(dry.text).toContain("dry run: nothing will be written");
    expect(dry.text).toContain("accounts: 3 read, 3 new");
    expect(await t.db.prisma.account.count()).toBe(0);

    const run = await cli(["crm", "sync"]);
    expect(run.code).toBe(0);
    expect(run.text).toContain("  accounts: 2 of 3\n  accounts: 3 of 3");
    expect(run.text).toContain("accounts: 3 read, 3 new, 0 changed, 0 archived, 0 skipped");
    expect(await t.db.prisma.account.count()).toBe(3);

    const status = await cli(["crm", "status"]);
    expect(status.code).toBe(0);
    expect(status.text).toContain("connection: ok");
    expect(status.text).toMatch(/accounts: last pull \d{4}-\d\d-\d\dT[\d:.]+Z \(incremental\); cursor \d{4}-[\d:T.-]+Z sf:001\w{12}/);
    expect(status.text).toContain("3 read, 3 created, 0 updated, 0 archived, 0 skipped (totals)");
  });

  it("crm sync pushes what waits; crm status shows the push per object, the backlog and refused records; crm retry sends them again", async () => {
    const services = createServices(t.db, { defaultTimezone: "UTC", now: () => new Date(), logger: createLogger("error", () => undefined, []), crm: { provider: "salesforce", push: true } });
    const acme = await t.db.prisma.account.findFirstOrThrow({ where: { name: "Acme" } });
    const touch = (note: string) => services.repos.touches.create({ accountId: acme.id, userId: acme.ownerId, kind: "call", occurredAt: new Date(), note, source: "command", participants: [] });
    sf.addValidationRule("Task", { message: "No calls without an outcome", field: "Subject", when: (r) => r.Subject === "Call: no outcome" });
    await touch("renewal agreed");
    await touch("no outcome");
    expect((await cli(["crm", "status"])).text).toContain("backlog 2 waiting");

    const run = await cli(["crm", "sync"]);
    expect(run.code).toBe(0);
    expect(run.text).toContain("push to salesforce: 1 written, 1 refused, 0 conflicts (the CRM won)");
    expect(sf.list("Task").map((x) => x.Subject)).toEqual(["Call: renewal agreed"]);

    const status = await cli(["crm", "status"]);
    expect(status.text).toMatch(/push \(bot → CRM\): last push \d{4}-[\d:T.-]+Z; backlog 0 waiting/);
    expect(status.text).toMatch(/touches \(Task \/ Event\): last push \d{4}-[\d:T.-]+Z; 1 written, 0 waiting, 1 refused, 0 conflicts \(the CRM won\), 0 given up/);
    expect(status.text).toMatch(/#\d+ rejected \S+ touch \d+ on "Acme" \(call\): No calls without an outcome \[FIELD_CUSTOM_VALIDATION_EXCEPTION\]/);

    sf.clearValidationRules();
    const retry = await cli(["crm", "retry", "--all"]);
    expect(retry.text).toContain("1 refused record(s) queued again");
    expect((await cli(["crm", "sync"])).text).toContain("push to salesforce: 1 written");
    expect(sf.list("Task")).toHaveLength(2);
    expect((await cli(["crm", "retry"])).code).toBe(2);
  });

  it("refuses to run without a stage map, naming the variable", async () => {
    const r = await cli(["crm", "status"], { CRM_STAGE_MAP: "" });
    expect(r.code).toBe(1);
    expect(r.text).toContain("CRM_STAGE_MAP is missing: stages are mapped by configuration, never guessed");
  });

  it("doctor checks what the push needs: Create and Edit, the unique external id field (named with where to create it), the stages", async () => {
    const base = { SLACK_BOT_TOKEN: "xoxb-unused", SLACK_SIGNING_SECRET: "x", SLACK_API_URL: "http://127.0.0.1:9/api/" };
    const good = await cli(["doctor"], base);
    expect(good.text).toContain("✓ Salesforce push: the run-as user can create and edit Task");
    expect(good.text).toContain("✓ Salesforce push: Opportunity.AE_Assistant_Id__c is a unique external id");
    expect(good.text).toContain("✓ Salesforce push: every stage in CRM_STAGE_MAP is an Opportunity stage of the org");
    const odd = await cli(["doctor"], { ...base, CRM_STAGE_MAP: `${STAGE_MAP_EXAMPLE};Verbal Yes=negotiation` });
    expect(odd.text).toContain('✗ Salesforce push: CRM_STAGE_MAP names stages the org does not have: "Verbal Yes"');
    expect((await cli(["doctor"], { ...base, CRM_PUSH: "off" })).text).toContain("- Salesforce push: off (CRM_PUSH=off)");

    sf.dropField("Event", "AE_Assistant_Id__c");
    const missing = await cli(["doctor"], base);
    expect(missing.text).toContain("✗ Salesforce push: Event has no field AE_Assistant_Id__c. Create it: Setup → Object Manager → Activity (Task and Event share it) → Fields & Relationships → New → Text, length 64");
    expect(missing.code).toBe(1);
  });

  it("doctor checks the login and that each object the sync reads is readable, and names what is missing", async () => {
    const base = { SLACK_BOT_TOKEN: "xoxb-unused", SLACK_SIGNING_SECRET: "x", SLACK_API_URL: "http://127.0.0.1:9/api/" };
    const good = await cli(["doctor"], base);
    expect(good.text).toContain("✓ Salesforce login works (client credentials");
    expect(good.text).toContain("✓ Salesforce: the run-as user can read Opportunity (deals)");

    const wrong = await cli(["doctor"], { ...base, SALESFORCE_CLIENT_SECRET: "wrong-secret-value" });
    expect(wrong.text).toMatch(/✗ Salesforce login at .* failed: .*invalid_client.*Check SALESFORCE_CLIENT_ID and SALESFORCE_CLIENT_SECRET/);
    expect(wrong.text).not.toContain("wrong-secret-value");

    sf.hide("Opportunity");
    const hidden = await cli(["doctor"], base);
    expect(hidden.text).toContain("✗ Salesforce: the run-as user cannot read Opportunity (deals)");
    expect(hidden.text).toContain('"Read" on Opportunity');
    expect(hidden.text).toContain("✓ Salesforce: the run-as user can read Account (accounts)");
  });
});

/** The same commands with HubSpot configured, against the fake HubSpot. */
describe("ae-assistant crm and doctor with HubSpot", () => {
  let t: TestDatabase;
  let hs: FakeHubSpot;
  let env: Record<string, string>;

  beforeAll(async () => {
    t = await createTestDatabase("sqlite");
    hs = await FakeHubSpot.start();
    const ws = await seedWorkspace(t.db);
    await t.db.prisma.user.create({ data: { workspaceId: ws.id, slackUserId: "UADA", name: "Ada", email: "ada@example.com", timezone: "UTC" } });
    const ada = hs.addOwner({ email: "ada@example.com" });
    for (const name of ["Acme", "Globex", "Initech"]) hs.create("companies", { name, hubspot_owner_id: ada });
    env = { DATABASE_URL: t.url, HUBSPOT_API_URL: hs.url, HUBSPOT_ACCESS_TOKEN: hs.accessToken, CRM_STAGE_MAP: HUBSPOT_STAGE_MAP_EXAMPLE };
  });
  afterAll(async () => {
    await hs?.stop();
    await t?.drop();
  });

  async function cli(args: string[], extra: Record<string, string> = {}): Promise<{ code: number; text: string }> {
    const out: string[] = [];
    const code = await runCli(args, { out: (l) => out.push(l), err: (l) => out.push(l), env: { ...env, ...extra } });
    return { code, text: out.join("\n") };
  }

  it("a sync prints its progress and counts; status shows the cursor and the reconcile; --archive-missing needs --full", async () => {
    const run = await cli(["crm", "sync"]);
    expect(run.code).toBe(0);
    expect(run.text).toContain("Pulling from hubspot");
    expect(run.text).toContain("  accounts: 3 of 3");
    expect(run.text).toContain("accounts: 3 read, 3 new, 0 changed, 0 archived, 0 skipped");
    const status = await cli(["crm", "status"]);
    expect(status.text).toContain("CRM: hubspot");
    expect(status.text).toMatch(/accounts: last pull \S+ \(incremental\); cursor \S+ hs:\d+; last reconcile \d{4}-/);
    expect(status.text).not.toContain(hs.accessToken);
    const bad = await cli(["crm", "sync", "--archive-missing"]);
    expect(bad.code).toBe(2);
    expect(bad.text).toContain("--archive-missing goes with --full");
  });

  it("doctor checks the token, names each missing scope and every pipeline stage CRM_STAGE_MAP leaves out", async () => {
    const base = { SLACK_BOT_TOKEN: "xoxb-unused", SLACK_SIGNING_SECRET: "x", SLACK_API_URL: "http://127.0.0.1:9/api/" };
    const good = await cli(["doctor"], base);
    expect(good.text).toContain("✓ HubSpot accepts the private app's token");
    expect(good.text).toContain("✓ HubSpot: the private app can read deals (crm.objects.deals.read)");
    expect(good.text).toContain("✓ HubSpot: CRM_STAGE_MAP maps all 7 stages of 1 deal pipeline(s)");

    hs.revokeScope("crm.objects.contacts.read");
    hs.addPipeline({ id: "renewals", label: "Renewals", stages: [{ id: "12345", label: "Renewal due" }] });
    const missing = await cli(["doctor"], base);
    expect(missing.code).toBe(1);
    expect(missing.text).toContain("✗ HubSpot: the private app lacks the scope crm.objects.contacts.read (needed for contacts)");
    expect(missing.text).toContain('✗ HubSpot: CRM_STAGE_MAP does not map 1 of 8 deal stages, so deals in them are not written: 12345 ("Renewal due", pipeline renewals "Renewals")');
    hs.grantScope("crm.objects.contacts.read");

    const wrong = await cli(["doctor"], { ...base, HUBSPOT_ACCESS_TOKEN: "pat-na1-00000000-dead-beef-0000-000000000000" });
    expect(wrong.text).toMatch(/✗ HubSpot at .* refused HUBSPOT_ACCESS_TOKEN: .*INVALID_AUTHENTICATION.*Show token/);
    expect(wrong.text).not.toContain("pat-na1-00000000-dead");
  });

  it("doctor checks what the push needs (the key property on each object, unique on deals; the write scopes); crm status shows the push per object", async () => {
    const base = { SLACK_BOT_TOKEN: "xoxb-unused", SLACK_SIGNING_SECRET: "x", SLACK_API_URL: "http://127.0.0.1:9/api/" };
    const before = await cli(["doctor"], base);
    expect(before.code).toBe(1);
    expect(before.text).toContain("✗ HubSpot push: calls have no property ae_assistant_id (the key that keeps a retried push from making a second record). HubSpot → Settings → Properties → Call → Create property");
    expect(before.text).toContain('✗ HubSpot push: deals have no property ae_assistant_id (the key that keeps a retried push from making a second record). HubSpot → Settings → Properties → Deal → Create property: label "AE Assistant Id", internal name ae_assistant_id, field type Single-line text, and under Rules tick "Require unique values".');
    expect(before.text).toContain("✓ HubSpot push: the private app can write deals (crm.objects.deals.write)");
    hs.definePushProperty("ae_assistant_id");
    const after = await cli(["doctor"], base);
    expect(after.text).toContain("✓ HubSpot push: deals have the property ae_assistant_id (unique)");
    expect(after.text).toContain("✓ HubSpot push: tasks have the property ae_assistant_id");
    expect(after.text).not.toMatch(/✗ HubSpot push/);
    const status = await cli(["crm", "status"]);
    expect(status.text).toContain("push (bot → CRM): last push");
    expect(status.text).toContain("touches (call / email / meeting / note): last push never; 0 written, 0 waiting");
    const off = await cli(["crm", "status"], { CRM_PUSH: "off" });
    expect(off.text).toContain("push (bot → CRM): off (CRM_PUSH=off)");
  });
});
