import { openDatabase, type Provider } from "../../src/db/client.js";
import type { CrmConfig } from "../../src/config/load-config.js";
import { FakeHubSpot } from "../../src/demo/fake-hubspot.js";
import { FakeSalesforce } from "../../src/demo/fake-salesforce.js";
import { HUBSPOT_STAGE_MAP_EXAMPLE, parseStageMap, STAGE_MAP_EXAMPLE, type StageMap } from "../../src/domain/crm-sync.js";
import { TOUCH_KINDS } from "../../src/domain/touch-args.js";
import { createLogger } from "../../src/logger.js";
import { createCrm } from "../../src/services/crm/create-crm-sync.js";
import { HUBSPOT_KEY_PROPERTY } from "../../src/services/crm/hubspot-writer.js";
import { createServices } from "../../src/services/services.js";
import { median } from "../stats.js";
import { createBenchDatabase } from "./databases.js";

export interface CrmPushBench {
  crm: "salesforce" | "hubspot";
  touches: number;
  /** Each run: from the first claim to the last row recorded, ms. */
  runs: number[];
  medianMs: number;
  /** REST requests to the CRM per run (Salesforce's token endpoint not counted). */
  requests: number[];
}

const STAGES = (parseStageMap(STAGE_MAP_EXAMPLE) as { ok: true; map: StageMap }).map;
const HUBSPOT_STAGES = (parseStageMap(HUBSPOT_STAGE_MAP_EXAMPLE) as { ok: true; map: StageMap }).map;

/** The fake CRM of the bench: its reps (owners by email), its accounts, and what the push made there. */
interface BenchCrm {
  config: CrmConfig;
  /** The CRM's id of a new account (already prefixed as stored: `sf:…`, `hs:…`). */
  account(name: string): string;
  owner(name: string, email: string): void;
  records(): number;
  requests(): number;
  stop(): Promise<void>;
}

async function startFakeCrm(crm: CrmPushBench["crm"]): Promise<BenchCrm> {
  if (crm === "hubspot") {
    const hs = await FakeHubSpot.start();
    hs.definePushProperty(HUBSPOT_KEY_PROPERTY);
    const types = ["calls", "emails", "meetings", "notes"] as const;
    return {
      config: { provider: "hubspot", apiUrl: hs.url, accessToken: hs.accessToken, syncMinutes: 5, stageMap: HUBSPOT_STAGES },
      account: (name) => `hs:${hs.create("companies", { name })}`,
      owner: (name, email) => void hs.addOwner({ email, firstName: name }),
      records: () => types.reduce((n, t) => n + hs.count(t), 0),
      requests: () => hs.apiRequests(),
      stop: () => hs.stop(),
    };
  }
  const sf = await FakeSalesforce.start();
  return {
    config: { provider: "salesforce", loginUrl: sf.url, clientId: sf.clientId, clientSecret: sf.clientSecret, syncMinutes: 5, stageMap: STAGES },
    account: (name) => `sf:${sf.create("Account", { Name: name }).slice(0, 15)}`,
    owner: (name, email) => void sf.create("User", { Name: name, Email: email }),
    records: () => sf.count("Task") + sf.count("Event"),
    requests: () => sf.apiRequests(),
    stop: () => sf.stop(),
  };
}

/**
 * The CRM push against a fake CRM (in the same process, answering at once): `touches` touches
 * (every kind: Salesforce Tasks and Events, HubSpot calls, emails, meetings and notes) by 20 reps
 * on 200 accounts the CRM has, queued as the app queues them (one TouchRepository.create each, not
 * timed), then one push timed from its first claim to its last commit — `runs` times, each with
 * fresh touches. The first run also logs in (Salesforce) and looks the owners up. HubSpot's search
 * pace is off (the push searches only after a maybe-written create, which never happens here).
 */
export async function benchCrmPush(provider: Provider, opts: { crm: CrmPushBench["crm"]; touches: number; runs: number; log: (line: string) => void }): Promise<CrmPushBench> {
  const bench = await createBenchDatabase(provider);
  const db = await openDatabase(bench.url);
  const fake = await startFakeCrm(opts.crm);
  try {
    const now = () => new Date();
    const logger = createLogger("error", () => undefined, []);
    const services = createServices(db, { defaultTimezone: "UTC", now, logger, crm: { provider: opts.crm, push: true } });
    const ws = await services.repos.workspaces.ensure("TCRMPUSH", { timezone: "America/New_York" });
    const reps = [];
    for (let i = 0; i < 20; i++) {
      reps.push(await services.repos.users.upsertFromSlack(ws.id, { slackUserId: `UPUSH${i}`, name: `Rep ${i}`, email: `rep${i}@bench.example`, timezone: "America/New_York", locale: "en-US", isSlackAdmin: false, inactive: false }));
      fake.owner(`Rep ${i}`, `rep${i}@bench.example`);
    }
    const accounts: { id: number; ownerId: number }[] = [];
    for (let i = 0; i < 200; i++) {
      const owner = reps[i % reps.length]!;
      accounts.push(await db.prisma.account.create({ data: { workspaceId: ws.id, ownerId: owner.id, name: `Account ${i}`, nameKey: `account ${i}`, externalId: fake.account(`Account ${i}`) }, select: { id: true, ownerId: true } }));
    }
    const crm = createCrm(db, fake.config, { now, logger, workerId: "bench", connector: { searchIntervalMs: 0 } });
    const runs: number[] = [];
    const requests: number[] = [];
    for (let run = 0; run < opts.runs; run++) {
      for (let i = 0; i < opts.touches; i++) {
        const account = accounts[i % accounts.length]!;
        await services.repos.touches.create({ accountId: account.id, userId: account.ownerId, kind: TOUCH_KINDS[i % TOUCH_KINDS.length]!, occurredAt: new Date(), note: `Bench touch ${run}-${i}\nsecond line`, source: "command", participants: [] });
      }
      const before = { requests: fake.requests(), records: fake.records() };
      const t0 = performance.now();
      const result = await crm.push!.push(ws.id);
      const elapsed = performance.now() - t0;
      const made = fake.records() - before.records;
      if (result.kind !== "done" || result.report.written !== opts.touches || made !== opts.touches) throw new Error(`CRM push did not write ${opts.touches} touches: ${JSON.stringify(result)}, ${made} records made`);
      runs.push(elapsed);
      requests.push(fake.requests() - before.requests);
    }
    const medianMs = median(runs);
    opts.log(`  push of ${opts.touches.toLocaleString("en-US")} touches to ${opts.crm}: median ${medianMs.toFixed(0)} ms (${runs.map((r) => r.toFixed(0)).join(", ")}; REST requests per run: ${requests.join(", ")})`);
    return { crm: opts.crm, touches: opts.touches, runs, medianMs, requests };
  } finally {
    await fake.stop();
    await db.close();
    await bench.drop();
  }
}
