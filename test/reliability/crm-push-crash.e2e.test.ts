/**
 * The CRM push across crashes and replicas, with real processes:
 * (1) `jobs run crm-sync` is killed with SIGKILL after Salesforce has made the Tasks and before the
 *     process could record them (the fake writes, then never answers). The next run finds each Task
 *     by its external id and records it: one Task per touch, never two.
 * (2) Two replicas on one PostgreSQL (`crm sync` twice at once, outside the job lease, against a
 *     slow Salesforce) push the same backlog: each record is written once.
 */
import { afterEach, describe, expect, it } from "vitest";
import { FakeSalesforce } from "../../src/demo/fake-salesforce.js";
import { STAGE_MAP_EXAMPLE } from "../../src/domain/crm-sync.js";
import { startTestApp, type TestApp } from "../support/e2e-harness.js";
import { appEnv, runCli, startTs, until, type AppProcess } from "../support/processes.js";
import { providerAvailable } from "../support/providers.js";
import { seedAccount, seedUser } from "../support/reminder-fixtures.js";

let t: TestApp | undefined;
let sf: FakeSalesforce | undefined;
let proc: AppProcess | undefined;
afterEach(async () => {
  if (proc && proc.child.exitCode === null && proc.child.signalCode === null) proc.child.kill("SIGKILL");
  await proc?.exited;
  proc = undefined;
  await sf?.stop();
  sf = undefined;
  await t?.close();
  t = undefined;
});

/** A rep known to Salesforce by email, a linked account, and `n` touches and `followUps` follow-ups queued for the push. */
async function seed(app: TestApp, fake: FakeSalesforce, n: number, followUps = 0): Promise<{ touchIds: number[] }> {
  const user = await seedUser(app, { slackUserId: "UCRASH", tz: "America/New_York", name: "Casey" });
  await app.services.repos.users.update(user.id, { email: "casey@example.com" });
  const owner = fake.create("User", { Name: "Casey", Email: "casey@example.com" });
  const acme = fake.create("Account", { Name: "Acme", OwnerId: owner });
  const account = await seedAccount(app, user, { name: "Acme" });
  await app.database.db.prisma.account.update({ where: { id: account.id }, data: { externalId: `sf:${acme.slice(0, 15)}` } });
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

function crmEnv(app: TestApp, fake: FakeSalesforce): NodeJS.ProcessEnv {
  return appEnv(app.database.url, app.fake.apiUrl, {
    SALESFORCE_LOGIN_URL: fake.url,
    SALESFORCE_CLIENT_ID: fake.clientId,
    SALESFORCE_CLIENT_SECRET: fake.clientSecret,
    CRM_STAGE_MAP: STAGE_MAP_EXAMPLE,
  });
}

const keysOf = (fake: FakeSalesforce) => [...fake.list("Task"), ...fake.list("Event")].map((r) => String(r.AE_Assistant_Id__c));

describe("a CRM push killed with SIGKILL between Salesforce's write and our commit, then run again [sqlite]", () => {
  it("leaves exactly one Task or Event per touch, each recorded on its touch", async () => {
    t = await startTestApp({ crm: { provider: "salesforce", push: true } });
    sf = await FakeSalesforce.start();
    const { touchIds } = await seed(t, sf, 25);
    expect(await t.database.db.prisma.crmOutbox.count({ where: { status: "pending" } })).toBe(25);
    const env = crmEnv(t, sf);
    const start = new Date();

    sf.hangAfterWrite();
    proc = startTs("src/cli/main.ts", ["jobs", "run", "crm-sync", "--at", start.toISOString()], env);
    await until(() => keysOf(sf!).length === 25 || proc!.child.exitCode !== null, 60_000, "Salesforce to have made the 25 records");
    proc.child.kill("SIGKILL");
    expect((await proc.exited).signal).toBe("SIGKILL");
    // Salesforce has them; we never heard: the rows are still claimed, the touches have no CRM id.
    const afterKill = await t.database.db.prisma.crmOutbox.findMany();
    expect(afterKill.map((r) => r.status)).toEqual(touchIds.map(() => "sending"));
    expect(await t.database.db.prisma.touch.count({ where: { externalId: { not: null } } })).toBe(0);

    // Restart once the dead run's job lease (5 minutes) and its rows' claims (2 minutes) ran out.
    const rerun = await runCli(["jobs", "run", "crm-sync", "--at", new Date(start.getTime() + 6 * 60_000).toISOString()], env);
    expect(rerun.code, rerun.err).toBe(0);
    const keys = keysOf(sf);
    expect(keys).toHaveLength(25);
    expect(new Set(keys).size).toBe(25);
    const rows = await t.database.db.prisma.crmOutbox.findMany();
    expect(rows.map((r) => r.status)).toEqual(touchIds.map(() => "sent"));
    const ids = new Set([...sf.list("Task"), ...sf.list("Event")].map((r) => `sf:${String(r.Id).slice(0, 15)}`));
    for (const touch of await t.database.db.prisma.touch.findMany()) expect(ids.has(touch.externalId ?? "none"), `touch ${touch.id}`).toBe(true);
  }, 120_000);
});

describe.runIf(providerAvailable("postgresql"))("two replicas on one PostgreSQL push the same backlog [postgresql]", () => {
  it("each touch and follow-up is written once", async () => {
    t = await startTestApp({ provider: "postgresql", crm: { provider: "salesforce", push: true } });
    sf = await FakeSalesforce.start();
    await seed(t, sf, 150, 30);
    // A slow Salesforce keeps both replicas' pushes in flight at the same time.
    sf.slowWrites(400);
    const env = { ...crmEnv(t, sf), CRM_PUSH_BATCH: "25" };
    const runs = await Promise.all([runCli(["crm", "sync"], env), runCli(["crm", "sync"], env)]);
    for (const r of runs) expect(r.out, r.err).toMatch(/push to salesforce: \d+ written/);
    // Both replicas wrote (their claims interleaved), none twice.
    const written = runs.map((r) => Number(/push to salesforce: (\d+) written/.exec(r.out)?.[1] ?? "0"));
    expect(written.every((n) => n > 0), written.join(", ")).toBe(true);
    const keys = keysOf(sf);
    expect(keys).toHaveLength(180);
    expect(new Set(keys).size).toBe(180);
    expect(sf.list("Task").filter((x) => String(x.Subject).startsWith("follow-up") && x.Status === "Completed")).toHaveLength(15);
    expect((await t.database.db.prisma.crmOutbox.findMany()).filter((r) => r.status !== "sent")).toEqual([]);
  }, 120_000);
});
