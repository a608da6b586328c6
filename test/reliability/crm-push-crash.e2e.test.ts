/**
 * The CRM push across crashes and replicas, with real processes, for each CRM:
 * (1) `jobs run crm-sync` is killed with SIGKILL after the CRM has made records and before the
 *     process could record them (the fake writes, then never answers). The next run finds each by
 *     its key and records it: one record per touch, never two. Salesforce refuses a second create
 *     with the same external id; HubSpot has no upsert for engagements, so the rerun searches by
 *     the key property before it creates anything again.
 * (2) Two replicas on one PostgreSQL (`crm sync` twice at once, outside the job lease, against a
 *     slow CRM) push the same backlog: each record is written once.
 */
import { afterEach, describe, expect, it } from "vitest";
import { FakeHubSpot } from "../../src/demo/fake-hubspot.js";
import { FakeSalesforce } from "../../src/demo/fake-salesforce.js";
import { HUBSPOT_STAGE_MAP_EXAMPLE, STAGE_MAP_EXAMPLE } from "../../src/domain/crm-sync.js";
import { HUBSPOT_KEY_PROPERTY } from "../../src/services/crm/hubspot-writer.js";
import { startTestApp, type TestApp } from "../support/e2e-harness.js";
import { appEnv, runCli, startTs, until, type AppProcess } from "../support/processes.js";
import { providerAvailable } from "../support/providers.js";
import { seedAccount, seedUser } from "../support/reminder-fixtures.js";

let t: TestApp | undefined;
let fake: { stop(): Promise<void> } | undefined;
let proc: AppProcess | undefined;
afterEach(async () => {
  if (proc && proc.child.exitCode === null && proc.child.signalCode === null) proc.child.kill("SIGKILL");
  await proc?.exited;
  proc = undefined;
  await fake?.stop();
  fake = undefined;
  await t?.close();
  t = undefined;
});

/**
 * A rep (Casey, known to the CRM by email), an account the CRM has (`link` makes the owner and the
 * account there and returns our external id), and `n` touches and `followUps` follow-ups queued.
 */
async function seed(app: TestApp, link: (ownerEmail: string) => string, n: number, followUps = 0): Promise<{ touchIds: number[] }> {
  const user = await seedUser(app, { slackUserId: "UCRASH", tz: "America/New_York", name: "Casey" });
  await app.services.repos.users.update(user.id, { email: "casey@example.com" });
  const account = await seedAccount(app, user, { name: "Acme" });
  await app.database.db.prisma.account.update({ where: { id: account.id }, data: { externalId: link("casey@example.com") } });
  const touchIds: number[] = [];
  for (let i = 0; i < n; i++) {
    const touch = await app.services.repos.touches.create({ accountId: account.id, userId: user.id, kind: i % 4 === 0 ? "meeting" : "call", occurredAt: new Date(), note: `touch ${i}`, source: "command", participants: [] });
    touchIds.push(touch.id);
  }
  for (let i = 0; i < followUps; i++) {
    const f = await app.services.repos.followUps.create({ accountId: account.id, userId: user.id, title: `follow-up ${i}`, dueAt: new Date(Date.now() + 86_400_000) });
    if (i % 2 === 0) await app.services.repos.followUps.complete(f.id, new Date());
  }
  return { touchIds };
}

function startSalesforce(sf: FakeSalesforce) {
  fake = sf;
  return {
    link: (email: string) => {
      const owner = sf.create("User", { Name: "Casey", Email: email });
      return `sf:${sf.create("Account", { Name: "Acme", OwnerId: owner }).slice(0, 15)}`;
    },
    env: (app: TestApp) => appEnv(app.database.url, app.fake.apiUrl, { SALESFORCE_LOGIN_URL: sf.url, SALESFORCE_CLIENT_ID: sf.clientId, SALESFORCE_CLIENT_SECRET: sf.clientSecret, CRM_STAGE_MAP: STAGE_MAP_EXAMPLE }),
    /** Every key the push wrote (touches and follow-ups), and each record as we store its id. */
    keys: () => [...sf.list("Task"), ...sf.list("Event")].map((r) => String(r.AE_Assistant_Id__c)),
    ids: () => new Set([...sf.list("Task"), ...sf.list("Event")].map((r) => `sf:${String(r.Id).slice(0, 15)}`)),
    completedFollowUps: () => sf.list("Task").filter((x) => String(x.Subject).startsWith("follow-up") && x.Status === "Completed").length,
    holdWritesUntil: (gate: Promise<unknown>) => sf.holdWritesUntil(gate),
  };
}

function startHubSpot(hs: FakeHubSpot) {
  fake = hs;
  hs.definePushProperty(HUBSPOT_KEY_PROPERTY);
  const records = () => [...hs.list("calls"), ...hs.list("meetings"), ...hs.list("tasks")];
  return {
    link: (email: string) => `hs:${hs.create("companies", { name: "Acme", hubspot_owner_id: hs.addOwner({ email, firstName: "Casey" }) })}`,
    env: (app: TestApp) => appEnv(app.database.url, app.fake.apiUrl, { HUBSPOT_API_URL: hs.url, HUBSPOT_ACCESS_TOKEN: hs.accessToken, CRM_STAGE_MAP: HUBSPOT_STAGE_MAP_EXAMPLE }),
    keys: () => records().map((r) => String(r.properties[HUBSPOT_KEY_PROPERTY])),
    ids: () => new Set(records().map((r) => `hs:${r.id}`)),
    completedFollowUps: () => hs.list("tasks").filter((x) => x.properties.hs_task_status === "COMPLETED").length,
    holdWritesUntil: (gate: Promise<unknown>) => hs.holdWritesUntil(gate),
  };
}

type Crm = ReturnType<typeof startSalesforce>;

/** Kills `jobs run crm-sync` once `written()` holds (the CRM made records and never answered), then runs it again past the leases. */
async function crashAndRerun(app: TestApp, crm: Crm, touchIds: number[], written: () => boolean, what: string): Promise<void> {
  const env = crm.env(app);
  const start = new Date();
  proc = startTs("src/cli/main.ts", ["jobs", "run", "crm-sync", "--at", start.toISOString()], env);
  await until(() => written() || proc!.child.exitCode !== null, 60_000, what);
  proc.child.kill("SIGKILL");
  expect((await proc.exited).signal).toBe("SIGKILL");
  // The CRM has them; we never heard: the rows are still claimed, the touches have no CRM id.
  expect((await app.database.db.prisma.crmOutbox.findMany()).map((r) => r.status)).toEqual(touchIds.map(() => "sending"));
  expect(await app.database.db.prisma.touch.count({ where: { externalId: { not: null } } })).toBe(0);

  // Restart once the dead run's job lease (5 minutes) and its rows' claims (2 minutes) ran out.
  const rerun = await runCli(["jobs", "run", "crm-sync", "--at", new Date(start.getTime() + 6 * 60_000).toISOString()], env);
  expect(rerun.code, rerun.err).toBe(0);
  const keys = crm.keys();
  expect(keys).toHaveLength(touchIds.length);
  expect(new Set(keys).size).toBe(touchIds.length);
  expect((await app.database.db.prisma.crmOutbox.findMany()).map((r) => r.status)).toEqual(touchIds.map(() => "sent"));
  const ids = crm.ids();
  for (const touch of await app.database.db.prisma.touch.findMany()) expect(ids.has(touch.externalId ?? "none"), `touch ${touch.id}`).toBe(true);
}

/**
 * Two `crm sync` processes at once (small batches, so their claims interleave): both write, none
 * twice. The CRM answers no write until both hold claimed rows, so the two really overlap however
 * slowly either one starts on a busy machine.
 */
async function twoReplicas(app: TestApp, crm: Crm, provider: string, records: number, completed: number): Promise<void> {
  const env = { ...crm.env(app), CRM_PUSH_BATCH: "25" };
  const claimers = async () => new Set((await app.database.db.prisma.crmOutbox.findMany({ where: { status: "sending" }, select: { lockedBy: true } })).map((r) => r.lockedBy)).size;
  crm.holdWritesUntil(until(async () => (await claimers()) >= 2, 60_000, "both replicas to claim rows"));
  const runs = await Promise.all([runCli(["crm", "sync"], env), runCli(["crm", "sync"], env)]);
  const pattern = new RegExp(`push to ${provider}: (\\d+) written`);
  for (const r of runs) expect(r.out, r.err).toMatch(pattern);
  const written = runs.map((r) => Number(pattern.exec(r.out)?.[1] ?? "0"));
  expect(written.every((n) => n > 0), written.join(", ")).toBe(true);
  const keys = crm.keys();
  expect(keys).toHaveLength(records);
  expect(new Set(keys).size).toBe(records);
  expect(crm.completedFollowUps()).toBe(completed);
  expect((await app.database.db.prisma.crmOutbox.findMany()).filter((r) => r.status !== "sent")).toEqual([]);
}

describe("a CRM push killed with SIGKILL between Salesforce's write and our commit, then run again [sqlite]", () => {
  it("leaves exactly one Task or Event per touch, each recorded on its touch", async () => {
    t = await startTestApp({ crm: { provider: "salesforce", push: true } });
    const sf = await FakeSalesforce.start();
    const crm = startSalesforce(sf);
    const { touchIds } = await seed(t, crm.link, 25);
    sf.hangAfterWrite();
    await crashAndRerun(t, crm, touchIds, () => crm.keys().length === 25, "Salesforce to have made the 25 records");
  }, 120_000);
});

describe("a HubSpot push killed with SIGKILL between HubSpot's write and our commit, then run again [sqlite]", () => {
  it("leaves exactly one call or meeting per touch, each recorded on its touch: what HubSpot made is found by its key, the rest is made", async () => {
    t = await startTestApp({ crm: { provider: "hubspot", push: true } });
    const hs = await FakeHubSpot.start();
    const crm = startHubSpot(hs);
    const { touchIds } = await seed(t, crm.link, 25);
    // The first batch create (the 7 meetings) is made and never answered; the calls' never goes out.
    hs.hangAfterWrite();
    await crashAndRerun(t, crm, touchIds, () => hs.list("meetings").length === 7, "HubSpot to have made the 7 meetings");
    // The rerun looked the meetings up by their key instead of making them again, and made the calls.
    expect(hs.list("meetings")).toHaveLength(7);
    expect(hs.list("calls")).toHaveLength(18);
    expect(hs.requests.filter((r) => r.method === "POST" && r.path === "/crm/v3/objects/meetings/search")).toHaveLength(1);
    expect(hs.requests.filter((r) => r.method === "POST" && r.path === "/crm/v3/objects/meetings/batch/create")).toHaveLength(1);
  }, 120_000);
});

describe.runIf(providerAvailable("postgresql"))("two replicas on one PostgreSQL push the same backlog [postgresql]", () => {
  it("to Salesforce: each touch and follow-up is written once", async () => {
    t = await startTestApp({ provider: "postgresql", crm: { provider: "salesforce", push: true } });
    const sf = await FakeSalesforce.start();
    const crm = startSalesforce(sf);
    await seed(t, crm.link, 150, 30);
    // A slow CRM keeps both replicas' pushes in flight at the same time.
    sf.slowWrites(400);
    await twoReplicas(t, crm, "salesforce", 180, 15);
  }, 120_000);

  it("to HubSpot: each touch and follow-up is written once", async () => {
    t = await startTestApp({ provider: "postgresql", crm: { provider: "hubspot", push: true } });
    const hs = await FakeHubSpot.start();
    const crm = startHubSpot(hs);
    await seed(t, crm.link, 150, 30);
    hs.slowWrites(400);
    await twoReplicas(t, crm, "hubspot", 180, 15);
  }, 120_000);
});
