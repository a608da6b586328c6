import { openDatabase, type Provider } from "../../src/db/client.js";
import { FakeSalesforce } from "../../src/demo/fake-salesforce.js";
import { parseStageMap, STAGE_MAP_EXAMPLE, type StageMap } from "../../src/domain/crm-sync.js";
import { createLogger } from "../../src/logger.js";
import { createCrmSync } from "../../src/services/crm/create-crm-sync.js";
import type { SyncResult } from "../../src/services/crm/crm-sync-service.js";
import { median } from "../stats.js";
import { createBenchDatabase } from "./databases.js";

export interface CrmPullBench {
  initial: { accounts: number; opportunities: number; contacts: number; ms: number; recordsPerSecond: number };
  incremental: { changed: number; runs: number[]; medianMs: number; recordsRead: number[] };
}

const STAGES = (parseStageMap(STAGE_MAP_EXAMPLE) as { ok: true; map: StageMap }).map;
const STAGE_NAMES = [...STAGES.keys()];

function ensureDone(r: SyncResult): void {
  if (r.kind !== "done") throw new Error(`CRM pull did not finish: ${JSON.stringify(r)}`);
}

/**
 * The CRM pull against the fake Salesforce (answering at once, 2,000 records per page): a first
 * pull of the given book, then `runs` incremental pulls of `changed` records each (40 % accounts,
 * 30 % opportunities, 30 % contacts edited), each measured from the first request to the last write.
 */
export async function benchCrmPull(
  provider: Provider,
  opts: { accounts: number; opportunities: number; contacts: number; changed: number; runs: number; log: (line: string) => void },
): Promise<CrmPullBench> {
  const bench = await createBenchDatabase(provider);
  const db = await openDatabase(bench.url);
  // Every write in the fake CRM happens a second after the one before (SystemModstamps are spread
  // as a team's edits are); a later run starts a day later.
  let clock = new Date("2026-11-01T00:00:00Z").getTime();
  const sf = await FakeSalesforce.start({ now: () => new Date((clock += 1_000)) });
  try {
    const ws = await db.prisma.workspace.create({ data: { slackTeamId: "TCRMBENCH" } });
    const reps = 20;
    const sfUsers: string[] = [];
    for (let i = 0; i < reps; i++) {
      await db.prisma.user.create({ data: { workspaceId: ws.id, slackUserId: `UCRM${i}`, email: `rep${i}@bench.example`, timezone: "America/New_York" } });
      sfUsers.push(sf.create("User", { Name: `Rep ${i}`, Email: `rep${i}@bench.example` }));
    }
    const accounts: string[] = [];
    for (let i = 0; i < opts.accounts; i++) accounts.push(sf.create("Account", { Name: `Account ${i}`, Industry: "Software", AnnualRevenue: 1000 * i, OwnerId: sfUsers[i % reps]! }));
    const opps: string[] = [];
    for (let i = 0; i < opts.opportunities; i++) {
      opps.push(sf.create("Opportunity", { Name: `Deal ${i}`, AccountId: accounts[i % accounts.length]!, Amount: 500 + i, CloseDate: "2026-12-31", StageName: STAGE_NAMES[i % STAGE_NAMES.length]!, OwnerId: sfUsers[i % reps]! }));
    }
    const contacts: string[] = [];
    for (let i = 0; i < opts.contacts; i++) contacts.push(sf.create("Contact", { FirstName: "Pat", LastName: `Contact ${i}`, AccountId: accounts[i % accounts.length]!, Email: `c${i}@bench.example` }));

    let now = new Date("2026-11-30T09:00:00Z");
    const crm = createCrmSync(
      db,
      { provider: "salesforce", loginUrl: sf.url, clientId: sf.clientId, clientSecret: sf.clientSecret, syncMinutes: 5, stageMap: STAGES },
      { now: () => now, logger: createLogger("error", () => undefined, []), workerId: "bench" },
    );
    const total = opts.accounts + opts.opportunities + opts.contacts;
    const t0 = performance.now();
    ensureDone(await crm.sync(ws.id));
    const initialMs = performance.now() - t0;
    opts.log(`  first pull: ${total.toLocaleString("en-US")} records in ${(initialMs / 1000).toFixed(1)} s (${Math.round(total / (initialMs / 1000)).toLocaleString("en-US")} records/s)`);

    const runs: number[] = [];
    const reads: number[] = [];
    for (let run = 0; run < opts.runs; run++) {
      // A later day. The pull reads the changed records and, again, the few within the overlap
      // (one minute) before the cursor.
      clock += 24 * 3600_000;
      now = new Date(now.getTime() + 24 * 3600_000);
      const nA = Math.round(opts.changed * 0.4);
      const nO = Math.round(opts.changed * 0.3);
      const nC = opts.changed - nA - nO;
      for (let i = 0; i < nA; i++) sf.update("Account", accounts[(run * nA + i) % accounts.length]!, { Name: `Account ${i} r${run}` });
      for (let i = 0; i < nO; i++) sf.update("Opportunity", opps[(run * nO + i) % opps.length]!, { Amount: 1000 + run + i, StageName: STAGE_NAMES[(run + i) % STAGE_NAMES.length]! });
      for (let i = 0; i < nC; i++) sf.update("Contact", contacts[(run * nC + i) % contacts.length]!, { Title: `Title r${run}` });
      const t = performance.now();
      const r = await crm.sync(ws.id);
      ensureDone(r);
      runs.push(performance.now() - t);
      if (r.kind === "done") {
        const read = r.objects.accounts.pulled + r.objects.deals.pulled + r.objects.contacts.pulled;
        const updated = r.objects.accounts.updated + r.objects.deals.updated + r.objects.contacts.updated;
        if (updated !== opts.changed || read > opts.changed + 200) throw new Error(`expected ${opts.changed} changed records, read ${read} and updated ${updated}`);
        reads.push(read);
      }
    }
    const medianMs = median(runs);
    opts.log(`  incremental pull of ${opts.changed.toLocaleString("en-US")} changed records: median ${medianMs.toFixed(0)} ms (${runs.map((r) => r.toFixed(0)).join(", ")}; records read with the overlap: ${reads.join(", ")})`);
    return { initial: { accounts: opts.accounts, opportunities: opts.opportunities, contacts: opts.contacts, ms: initialMs, recordsPerSecond: total / (initialMs / 1000) }, incremental: { changed: opts.changed, runs, medianMs, recordsRead: reads } };
  } finally {
    await sf.stop();
    await db.close();
    await bench.drop();
  }
}
