import { openDatabase, type Provider } from "../../src/db/client.js";
import { FakeSalesforce } from "../../src/demo/fake-salesforce.js";
import { parseStageMap, STAGE_MAP_EXAMPLE, type StageMap } from "../../src/domain/crm-sync.js";
import { TOUCH_KINDS } from "../../src/domain/touch-args.js";
import { createLogger } from "../../src/logger.js";
import { createCrm } from "../../src/services/crm/create-crm-sync.js";
import { createServices } from "../../src/services/services.js";
import { median } from "../stats.js";
import { createBenchDatabase } from "./databases.js";

export interface CrmPushBench {
  touches: number;
  /** Each run: from the first claim to the last row recorded, ms. */
  runs: number[];
  medianMs: number;
  /** REST requests to Salesforce per run (the token endpoint not counted). */
  requests: number[];
}

const STAGES = (parseStageMap(STAGE_MAP_EXAMPLE) as { ok: true; map: StageMap }).map;

/**
 * The CRM push against the fake Salesforce (in the same process, answering at once): `touches`
 * touches (every kind, so Tasks and Events) by 20 reps on 200 accounts the CRM has, queued as the
 * app queues them (one TouchRepository.create each, not timed), then one push timed from its first
 * claim to its last commit — `runs` times, each with fresh touches. The first run also logs in and
 * looks the owners up.
 */
export async function benchCrmPush(provider: Provider, opts: { touches: number; runs: number; log: (line: string) => void }): Promise<CrmPushBench> {
  const bench = await createBenchDatabase(provider);
  const db = await openDatabase(bench.url);
  const sf = await FakeSalesforce.start();
  try {
    const now = () => new Date();
    const logger = createLogger("error", () => undefined, []);
    const services = createServices(db, { defaultTimezone: "UTC", now, logger, crm: { provider: "salesforce", push: true } });
    const ws = await services.repos.workspaces.ensure("TCRMPUSH", { timezone: "America/New_York" });
    const reps = [];
    for (let i = 0; i < 20; i++) {
      reps.push(await services.repos.users.upsertFromSlack(ws.id, { slackUserId: `UPUSH${i}`, name: `Rep ${i}`, email: `rep${i}@bench.example`, timezone: "America/New_York", locale: "en-US", isSlackAdmin: false, inactive: false }));
      sf.create("User", { Name: `Rep ${i}`, Email: `rep${i}@bench.example` });
    }
    const accounts: { id: number; ownerId: number }[] = [];
    for (let i = 0; i < 200; i++) {
      const owner = reps[i % reps.length]!;
      const crmId = sf.create("Account", { Name: `Account ${i}` });
      accounts.push(await db.prisma.account.create({ data: { workspaceId: ws.id, ownerId: owner.id, name: `Account ${i}`, nameKey: `account ${i}`, externalId: `sf:${crmId.slice(0, 15)}` }, select: { id: true, ownerId: true } }));
    }
    const crm = createCrm(
      db,
      { provider: "salesforce", loginUrl: sf.url, clientId: sf.clientId, clientSecret: sf.clientSecret, syncMinutes: 5, stageMap: STAGES },
      { now, logger, workerId: "bench" },
    );
    const runs: number[] = [];
    const requests: number[] = [];
    for (let run = 0; run < opts.runs; run++) {
      for (let i = 0; i < opts.touches; i++) {
        const account = accounts[i % accounts.length]!;
        await services.repos.touches.create({ accountId: account.id, userId: account.ownerId, kind: TOUCH_KINDS[i % TOUCH_KINDS.length]!, occurredAt: new Date(), note: `Bench touch ${run}-${i}\nsecond line`, source: "command", participants: [] });
      }
      const before = { requests: sf.apiRequests(), records: sf.count("Task") + sf.count("Event") };
      const t0 = performance.now();
      const result = await crm.push!.push(ws.id);
      const elapsed = performance.now() - t0;
      const made = sf.count("Task") + sf.count("Event") - before.records;
      if (result.kind !== "done" || result.report.written !== opts.touches || made !== opts.touches) throw new Error(`CRM push did not write ${opts.touches} touches: ${JSON.stringify(result)}, ${made} records made`);
      runs.push(elapsed);
      requests.push(sf.apiRequests() - before.requests);
    }
    const medianMs = median(runs);
    opts.log(`  push of ${opts.touches.toLocaleString("en-US")} touches: median ${medianMs.toFixed(0)} ms (${runs.map((r) => r.toFixed(0)).join(", ")}; REST requests per run: ${requests.join(", ")})`);
    return { touches: opts.touches, runs, medianMs, requests };
  } finally {
    await sf.stop();
    await db.close();
    await bench.drop();
  }
}
