import { AssociationTypes } from "@hubspot/api-client";
import { openDatabase, type Database, type Provider } from "../../src/db/client.js";
import { FakeHubSpot } from "../../src/demo/fake-hubspot.js";
import { FakeSalesforce } from "../../src/demo/fake-salesforce.js";
import { HUBSPOT_STAGE_MAP_EXAMPLE, parseStageMap, STAGE_MAP_EXAMPLE, type StageMap } from "../../src/domain/crm-sync.js";
import type { CrmConfig } from "../../src/config/load-config.js";
import { createLogger } from "../../src/logger.js";
import { createCrmSync } from "../../src/services/crm/create-crm-sync.js";
import type { CrmSyncService, SyncResult } from "../../src/services/crm/crm-sync-service.js";
import { median } from "../stats.js";
import { createBenchDatabase } from "./databases.js";

export interface CrmPullBench {
  initial: { accounts: number; opportunities: number; contacts: number; ms: number; recordsPerSecond: number };
  incremental: { changed: number; runs: number[]; medianMs: number; recordsRead: number[] };
  /** The daily reconcile on its own: every live id read from the CRM and compared with ours. */
  reconcile: { ids: number; ms: number; archived: number };
  /** The same engine against the fake HubSpot with no pace (the real one allows ~5 searches/s). */
  hubspot?: { records: number; ms: number; recordsPerSecond: number; requests: number };
}

const SF_STAGES = (parseStageMap(STAGE_MAP_EXAMPLE) as { ok: true; map: StageMap }).map;
const SF_STAGE_NAMES = [...SF_STAGES.keys()];
const HS_STAGES = (parseStageMap(HUBSPOT_STAGE_MAP_EXAMPLE) as { ok: true; map: StageMap }).map;
const HS_STAGE_IDS = [...HS_STAGES.keys()];
const REPS = 20;

function ensureDone(r: SyncResult): Extract<SyncResult, { kind: "done" }> {
  if (r.kind !== "done") throw new Error(`CRM pull did not finish: ${JSON.stringify(r)}`);
  return r;
}

const count = (n: number) => n.toLocaleString("en-US");

/** A workspace with REPS users known by email (the CRM's owners). */
async function seedOwners(db: Database): Promise<number> {
  const ws = await db.prisma.workspace.create({ data: { slackTeamId: "TCRMBENCH" } });
  for (let i = 0; i < REPS; i++) await db.prisma.user.create({ data: { workspaceId: ws.id, slackUserId: `UCRM${i}`, email: `rep${i}@bench.example`, timezone: "America/New_York" } });
  return ws.id;
}

function engine(db: Database, config: CrmConfig, now: () => Date): CrmSyncService {
  return createCrmSync(db, config, { now, logger: createLogger("error", () => undefined, []), workerId: "bench", connector: { searchIntervalMs: 0 } });
}

/**
 * The CRM pull against the fake Salesforce (answering at once, 2,000 records per page): a first
 * pull of the given book, `runs` incremental pulls of `changed` records each (40 % accounts, 30 %
 * opportunities, 30 % contacts edited) an hour apart, each measured from the first request to the
 * last write, then the daily reconcile on its own (a day later, with `purged` accounts deleted for
 * good). `hubspot` also times a first pull of a smaller book from the fake HubSpot.
 */
export async function benchCrmPull(
  provider: Provider,
  opts: { accounts: number; opportunities: number; contacts: number; changed: number; runs: number; purged?: number; hubspot?: { companies: number; deals: number; contacts: number }; log: (line: string) => void },
): Promise<CrmPullBench> {
  const bench = await createBenchDatabase(provider);
  const db = await openDatabase(bench.url);
  // Every write in the fake CRM happens a second after the one before (SystemModstamps are spread
  // as a team's edits are); a later run starts an hour later.
  let clock = new Date("2026-11-01T00:00:00Z").getTime();
  const sf = await FakeSalesforce.start({ now: () => new Date((clock += 1_000)) });
  let result: CrmPullBench;
  try {
    const workspaceId = await seedOwners(db);
    const sfUsers: string[] = [];
    for (let i = 0; i < REPS; i++) sfUsers.push(sf.create("User", { Name: `Rep ${i}`, Email: `rep${i}@bench.example` }));
    const accounts: string[] = [];
    for (let i = 0; i < opts.accounts; i++) accounts.push(sf.create("Account", { Name: `Account ${i}`, Industry: "Software", AnnualRevenue: 1000 * i, OwnerId: sfUsers[i % REPS]! }));
    const opps: string[] = [];
    for (let i = 0; i < opts.opportunities; i++) {
      opps.push(sf.create("Opportunity", { Name: `Deal ${i}`, AccountId: accounts[i % accounts.length]!, Amount: 500 + i, CloseDate: "2026-12-31", StageName: SF_STAGE_NAMES[i % SF_STAGE_NAMES.length]!, OwnerId: sfUsers[i % REPS]! }));
    }
    const contacts: string[] = [];
    for (let i = 0; i < opts.contacts; i++) contacts.push(sf.create("Contact", { FirstName: "Pat", LastName: `Contact ${i}`, AccountId: accounts[i % accounts.length]!, Email: `c${i}@bench.example` }));

    let now = new Date("2026-11-30T09:00:00Z");
    const crm = engine(db, { provider: "salesforce", loginUrl: sf.url, clientId: sf.clientId, clientSecret: sf.clientSecret, syncMinutes: 5, stageMap: SF_STAGES }, () => now);
    const total = opts.accounts + opts.opportunities + opts.contacts;
    const t0 = performance.now();
    ensureDone(await crm.sync(workspaceId));
    const initialMs = performance.now() - t0;
    opts.log(`  first pull: ${count(total)} records in ${(initialMs / 1000).toFixed(1)} s (${count(Math.round(total / (initialMs / 1000)))} records/s)`);

    const runs: number[] = [];
    const reads: number[] = [];
    for (let run = 0; run < opts.runs; run++) {
      // An hour later (the daily reconcile is not due). The pull reads the changed records and,
      // again, the few within the overlap (one minute) before the cursor.
      clock += 3600_000;
      now = new Date(now.getTime() + 3600_000);
      const nA = Math.round(opts.changed * 0.4);
      const nO = Math.round(opts.changed * 0.3);
      const nC = opts.changed - nA - nO;
      for (let i = 0; i < nA; i++) sf.update("Account", accounts[(run * nA + i) % accounts.length]!, { Name: `Account ${i} r${run}` });
      for (let i = 0; i < nO; i++) sf.update("Opportunity", opps[(run * nO + i) % opps.length]!, { Amount: 1000 + run + i, StageName: SF_STAGE_NAMES[(run + i + 1) % SF_STAGE_NAMES.length]! });
      for (let i = 0; i < nC; i++) sf.update("Contact", contacts[(run * nC + i) % contacts.length]!, { Title: `Title r${run}` });
      const t = performance.now();
      const r = ensureDone(await crm.sync(workspaceId));
      runs.push(performance.now() - t);
      const read = r.objects.accounts.pulled + r.objects.deals.pulled + r.objects.contacts.pulled;
      const updated = r.objects.accounts.updated + r.objects.deals.updated + r.objects.contacts.updated;
      if (updated !== opts.changed || read > opts.changed + 200) throw new Error(`expected ${opts.changed} changed records, read ${read} and updated ${updated}`);
      reads.push(read);
    }
    const medianMs = median(runs);
    opts.log(`  incremental pull of ${count(opts.changed)} changed records: median ${medianMs.toFixed(0)} ms (${runs.map((r) => r.toFixed(0)).join(", ")}; records read with the overlap: ${reads.join(", ")})`);

    // A day later: the daily reconcile reads every live id and archives what Salesforce no longer has.
    const purged = Math.min(opts.purged ?? 100, accounts.length);
    for (const id of accounts.slice(0, purged)) sf.purge("Account", id);
    clock += 24 * 3600_000;
    now = new Date(now.getTime() + 24 * 3600_000);
    const t1 = performance.now();
    const daily = ensureDone(await crm.sync(workspaceId));
    const reconcileMs = performance.now() - t1;
    const archived = daily.objects.accounts.archived;
    if (archived !== purged) throw new Error(`the reconcile archived ${archived} accounts, expected ${purged}`);
    opts.log(`  daily pass with the reconcile (${count(total - purged)} ids read, ${purged} accounts gone): ${(reconcileMs / 1000).toFixed(1)} s`);
    result = {
      initial: { accounts: opts.accounts, opportunities: opts.opportunities, contacts: opts.contacts, ms: initialMs, recordsPerSecond: total / (initialMs / 1000) },
      incremental: { changed: opts.changed, runs, medianMs, recordsRead: reads },
      reconcile: { ids: total - purged, ms: reconcileMs, archived },
    };
  } finally {
    await sf.stop();
    await db.close();
    await bench.drop();
  }
  if (opts.hubspot) result.hubspot = await benchHubSpot(provider, opts.hubspot, opts.log);
  return result;
}

/** A first pull from the fake HubSpot: 200 a page, one associations request per page of deals. */
async function benchHubSpot(provider: Provider, book: { companies: number; deals: number; contacts: number }, log: (line: string) => void): Promise<NonNullable<CrmPullBench["hubspot"]>> {
  const bench = await createBenchDatabase(provider);
  const db = await openDatabase(bench.url);
  let clock = new Date("2026-11-01T00:00:00Z").getTime();
  const hs = await FakeHubSpot.start({ now: () => new Date((clock += 1_000)), tenSecondlyMax: 1_000_000 });
  try {
    const workspaceId = await seedOwners(db);
    const owners = Array.from({ length: REPS }, (_, i) => hs.addOwner({ email: `rep${i}@bench.example` }));
    const companies: string[] = [];
    for (let i = 0; i < book.companies; i++) companies.push(hs.create("companies", { name: `Company ${i}`, industry: "COMPUTER_SOFTWARE", annualrevenue: String(1000 * i), hubspot_owner_id: owners[i % REPS]! }));
    for (let i = 0; i < book.deals; i++) {
      hs.create("deals", { dealname: `Deal ${i}`, amount: String(500 + i), closedate: "2026-12-31", dealstage: HS_STAGE_IDS[i % HS_STAGE_IDS.length]!, hubspot_owner_id: owners[i % REPS]! }, [
        { to: "companies", id: companies[i % companies.length]!, typeId: AssociationTypes.primaryDealToCompany },
      ]);
    }
    for (let i = 0; i < book.contacts; i++) hs.create("contacts", { firstname: "Pat", lastname: `Contact ${i}`, email: `c${i}@bench.example`, associatedcompanyid: companies[i % companies.length]! });
    const crm = engine(db, { provider: "hubspot", apiUrl: hs.url, accessToken: hs.accessToken, syncMinutes: 5, stageMap: HS_STAGES }, () => new Date("2026-11-30T09:00:00Z"));
    const records = book.companies + book.deals + book.contacts;
    const t0 = performance.now();
    ensureDone(await crm.sync(workspaceId));
    const ms = performance.now() - t0;
    const requests = hs.apiRequests();
    log(`  first pull from the fake HubSpot (no pace): ${count(records)} records in ${(ms / 1000).toFixed(1)} s (${count(Math.round(records / (ms / 1000)))} records/s, ${count(requests)} requests)`);
    return { records, ms, recordsPerSecond: records / (ms / 1000), requests };
  } finally {
    await hs.stop();
    await db.close();
    await bench.drop();
  }
}
