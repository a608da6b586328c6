/**
 * `npm run bench -- [--reps 1000] [--db sqlite|postgresql|both] [--scaling 100,1000,10000] [--quick]`
 *
 * Seeds the deterministic data set (src/bench/seed-data.ts) into a throwaway database per provider
 * and measures: command latency through the real Bolt HTTP receiver, the daily reminder run against
 * the fake Slack (wall time, digest building, SQL statements, peak RSS), the same run against the
 * fake Slack in rate-limit mode (time, 429s, retries, send rate vs the limit), the leaderboard of a
 * 1,000-rep team, the raw-SQL floor and the ratio to it, scaling of the reminder run, cold start,
 * EXPLAIN of every hot-path statement, and the CRM sync against the fake Salesforce (a first pull
 * of 330,000 records, incremental pulls of 1,000 changed records, the daily reconcile, and pushes
 * of 1,000 touches) and against the fake HubSpot (a first pull, pushes of 1,000 touches). Prints a
 * table and writes bench/results.json.
 */
import "../src/runtime/require-supported-node.js"; // first: refuses an old Node before a native module loads
import type { Server } from "node:http";
import { cpus, totalmem } from "node:os";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import type { Provider } from "../src/db/client.js";
import { startFakeSlack } from "../test/support/fake-slack.js";
import { postgresAvailable } from "../test/support/test-database.js";
import { median } from "./stats.js";
import { benchCommands, type CommandBench } from "./lib/commands.js";
import { BENCH_NOW, BENCH_TEAM_ID } from "./lib/constants.js";
import { build, coldStart, ROOT, type ColdStart } from "./lib/cold-start.js";
import { createBenchDatabase, dropAll, seed, type BenchDatabase } from "./lib/databases.js";
import { openDatabase, providerOf, sqlitePathOf } from "../src/db/client.js";
import { explainAll, type PlanCheck } from "./lib/explain.js";
import { benchFloor, type FloorBench } from "./lib/floor-bench.js";
import { productionRun, reminderRun, resetReminders, type ProductionRun, type ReminderRun } from "./lib/reminders.js";
import { rateLimitedRun, type RateLimitedRun } from "./lib/rate-limited.js";
import { printReport, TARGETS } from "./lib/report.js";
import type { SeedReport } from "../src/bench/seed-data.js";
import { benchCrmPull, type CrmPullBench } from "./lib/crm-pull.js";
import { benchCrmPush, type CrmPushBench } from "./lib/crm-push.js";

const SECTIONS = ["commands", "reminders", "ratelimit", "floor", "scaling", "cold", "explain", "crm"] as const;
type Section = (typeof SECTIONS)[number];

const { values } = parseArgs({
  options: {
    reps: { type: "string", default: "1000" },
    db: { type: "string", default: "both" },
    scaling: { type: "string" },
    quick: { type: "boolean", default: false },
    requests: { type: "string" },
    concurrency: { type: "string", default: "1" },
    /** Open-loop rates (mixed commands per second) shown in the table. */
    rates: { type: "string", default: "100,250" },
    /** Rates tried in order for the highest one at which every command's p99 stays under 25 ms. */
    "search-rates": { type: "string", default: "100,150,200,250,300,350,400,500" },
    "open-loop-seconds": { type: "string" },
    repeat: { type: "string" },
    "cold-runs": { type: "string" },
    "scaling-touches": { type: "string", default: "2" },
    skip: { type: "string", default: "" },
    "no-build": { type: "boolean", default: false },
    out: { type: "string" },
    /**
     * Measure an already seeded database (from `npm run bench:seed`; a SQLite file path or URL, or
     * a postgresql:// URL) instead of seeding one; it is kept. Selects its provider alone.
     */
    reuse: { type: "string" },
  },
});

function int(name: string, text: string | undefined, fallback: number): number {
  const n = text === undefined ? fallback : Number(text);
  if (!Number.isInteger(n) || n < 1) {
    console.error(`--${name} must be a positive whole number (got ${text})`);
    process.exit(2);
  }
  return n;
}

const quick = values.quick ?? false;
const reps = int("reps", values.reps, 1000);
const requests = int("requests", values.requests, quick ? 64 : 500);
const concurrency = int("concurrency", values.concurrency, 1);
const rates = (values.rates ?? "").split(",").map((s) => int("rates", s.trim(), 100));
const searchRates = (values["search-rates"] ?? "").split(",").map((s) => int("search-rates", s.trim(), 100));
const openLoopSeconds = int("open-loop-seconds", values["open-loop-seconds"], quick ? 2 : 4);
const repeat = int("repeat", values.repeat, quick ? 1 : 3);
const coldRuns = int("cold-runs", values["cold-runs"], quick ? 3 : 7);
const scalingTouches = int("scaling-touches", values["scaling-touches"], 2);
const scaling = (values.scaling ?? (quick ? String(reps) : "100,1000,10000")).split(",").map((s) => int("scaling", s.trim(), 0));
const skip = new Set(values.skip?.split(",").map((s) => s.trim()).filter(Boolean));
for (const s of skip) {
  if (!(SECTIONS as readonly string[]).includes(s)) {
    console.error(`--skip takes a comma-separated list of: ${SECTIONS.join(", ")}`);
    process.exit(2);
  }
}
const run = (s: Section) => !skip.has(s);
const dbArg = values.db ?? "both";
if (!["sqlite", "postgresql", "both"].includes(dbArg)) {
  console.error("--db must be sqlite, postgresql or both");
  process.exit(2);
}
const out = values.out ?? join(ROOT, "bench", "results.json");
const log = (line: string) => console.log(line);

/** Touches per account for a scaling size (10,000 reps are seeded lighter, and the output says so). */
const touchesFor = (size: number) => (size >= 10_000 ? scalingTouches : 20);

export interface ScalingPoint {
  reps: number;
  touchesPerAccount: number;
  accounts: number;
  touches: number;
  seedSeconds: number;
  wallMs: number;
  buildMs: number;
  queries: number;
  peakRssMb: number;
  msPerRep: number;
  buildMsPerRep: number;
}

export interface ProviderResult {
  provider: Provider;
  seed: SeedReport;
  commands?: Omit<CommandBench, "statements">;
  /** `firstDay`: the run that opened every DM; `median` and `all`: the days after (DM channels remembered). */
  reminders?: { runs: number; median: Omit<ReminderRun, "statements">; all: Omit<ReminderRun, "statements">[]; firstDay?: Omit<ReminderRun, "statements">; production: ProductionRun | null };
  rateLimited?: RateLimitedRun;
  floor?: Omit<FloorBench, "statements">;
  scaling?: ScalingPoint[];
  scalingErrors?: { reps: number; error: string }[];
  coldStart?: ColdStart;
  explain?: { checked: number; fail: number; note: number; checks: PlanCheck[] };
  crm?: CrmPullBench;
  crmPush?: CrmPushBench;
  crmPushHubSpot?: CrmPushBench;
}

function withoutStatements<T extends { statements: unknown }>(x: T): Omit<T, "statements"> {
  const { statements: _s, ...rest } = x;
  return rest;
}

function medianRun(runs: ReminderRun[]): Omit<ReminderRun, "statements"> {
  const base = withoutStatements(runs[0]!);
  const m = (k: "wallMs" | "planMs" | "buildMs" | "deliverMs" | "peakRssMb" | "maxRssMb" | "rssBeforeMb" | "dbMs") => median(runs.map((r) => r[k]));
  return { ...base, wallMs: m("wallMs"), planMs: m("planMs"), buildMs: m("buildMs"), deliverMs: m("deliverMs"), peakRssMb: m("peakRssMb"), maxRssMb: m("maxRssMb"), rssBeforeMb: m("rssBeforeMb"), dbMs: m("dbMs") };
}

async function benchProvider(provider: Provider): Promise<ProviderResult> {
  const { main, seeded } = reused ? await reuseDatabase(reused) : await seedMain(provider);
  log(`  ${reused ? "reusing" : "seeded"} ${seeded.reps} reps, ${seeded.teams} teams, ${seeded.accounts} accounts, ${seeded.touches} touches in ${(seeded.ms / 1000).toFixed(1)} s`);
  return measure(provider, main, seeded);
}

/** An existing seeded database: measured as it is (its reminder rows are reset), never deleted. */
async function reuseDatabase(url: string): Promise<{ main: BenchDatabase; seeded: SeedReport }> {
  const main: BenchDatabase =
    providerOf(url) === "sqlite"
      ? { provider: "sqlite", url: `file:${sqlitePathOf(url)}`, file: sqlitePathOf(url), drop: async () => undefined }
      : { provider: "postgresql", url, drop: async () => undefined };
  await resetReminders(main);
  const db = await openDatabase(main.url);
  try {
    const p = db.prisma;
    const [repCount, teams, accounts, touches, followUps, deals] = await Promise.all([
      p.user.count({ where: { role: "rep" } }),
      p.team.count(),
      p.account.count(),
      p.touch.count(),
      p.followUp.count(),
      p.deal.count(),
    ]);
    return { main, seeded: { reps: repCount, teams, accounts, touches, followUps, deals, ms: 0 } };
  } finally {
    await db.close();
  }
}

async function seedMain(provider: Provider): Promise<{ main: BenchDatabase; seeded: SeedReport }> {
  log(`\n== ${provider}: seeding ${reps} reps …`);
  const main = await createBenchDatabase(provider);
  let lastShown = Date.now();
  const seeded = await seed(main, {
    reps,
    now: new Date(BENCH_NOW),
    companyTeam: true,
    workspaceSlackId: BENCH_TEAM_ID,
    onProgress: (done, total) => {
      if (Date.now() - lastShown > 10_000) {
        lastShown = Date.now();
        log(`  ${done}/${total} reps`);
      }
    },
  });
  return { main, seeded };
}

async function measure(provider: Provider, main: BenchDatabase, seeded: SeedReport): Promise<ProviderResult> {
  const fake = await startBenchSlack();
  const result: ProviderResult = { provider, seed: seeded };
  const statements = [];
  try {
    if (run("commands")) {
      log(`-- commands: ${requests} requests each at concurrency ${concurrency}, then open loop at ${rates.join(", ")}/s`);
      const c = await benchCommands(main, fake, {
        reps: seeded.reps,
        requests,
        concurrency,
        warmup: Math.min(64, requests),
        rates,
        searchRates,
        p99Target: TARGETS.commandP99Ms,
        openLoopSeconds,
        log,
      });
      statements.push(...c.statements);
      result.commands = withoutStatements(c);
    }
    if (run("reminders")) {
      log(`-- reminder run: everyone's first day, then ${repeat}× a day after (DM channels remembered)`);
      // The first day opens every DM (conversations.open) and remembers the channels; every later day posts straight away.
      await resetReminders(main, { forgetDmChannels: true });
      const first = await reminderRun(main, fake, true);
      log(`  first day: ${first.wallMs.toFixed(0)} ms (digests ${first.buildMs.toFixed(0)} ms), ${first.queries} queries, ${first.sent} sent, ${first.skipped} skipped, peak RSS ${first.peakRssMb.toFixed(0)} MB`);
      statements.push(...first.statements);
      const runs: ReminderRun[] = [];
      for (let i = 0; i < repeat; i++) {
        await resetReminders(main);
        const r = await reminderRun(main, fake, false);
        log(`  run ${i + 1}: ${r.wallMs.toFixed(0)} ms (digests ${r.buildMs.toFixed(0)} ms), ${r.queries} queries, ${r.sent} sent, ${r.skipped} skipped, peak RSS ${r.peakRssMb.toFixed(0)} MB`);
        runs.push(r);
      }
      ensureBuilt();
      const production = await productionRun(main, fake, ROOT);
      if (production) log(`  as deployed (node dist/cli/main.js jobs run reminders): ${production.processMs.toFixed(0)} ms for the whole process, max RSS ${production.maxRssMb.toFixed(0)} MB`);
      result.reminders = { runs: runs.length, median: medianRun(runs), all: runs.map(withoutStatements), firstDay: withoutStatements(first), production };
    }
    if (run("ratelimit")) {
      log("-- reminder run against the fake Slack in rate-limit mode");
      const r = await rateLimitedRun(main, fake);
      const served = Object.entries(r.served429).map(([m, n]) => `${m} ${n}`).join(", ") || "none";
      log(`  ${r.wallMs.toFixed(0)} ms, ${r.sent} sent, ${r.failed} failed; 429s served: ${served}; ${r.retried} retries, at most ${r.maxRowRetries} per row; ${r.postsPerSecond?.toFixed(1) ?? "—"} posts/s (limit ${r.limitPerSecond})`);
      result.rateLimited = r;
    }
    if (run("floor")) {
      log("-- product vs raw-SQL floor");
      const f = await benchFloor(main, { iterations: quick ? 2 : 7, log });
      statements.push(...f.statements);
      result.floor = withoutStatements(f);
    }
    if (run("explain")) {
      const checks = await explainAll(main, statements, seeded.reps >= 1000);
      const fail = checks.filter((c) => c.verdict === "FAIL").length;
      const note = checks.filter((c) => c.verdict === "note").length;
      result.explain = { checked: checks.length, fail, note, checks };
      log(`-- EXPLAIN: ${checks.length} hot-path statements, ${fail} FAIL, ${note} noted`);
    }
    if (run("cold")) {
      log(`-- cold start (${coldRuns} runs)`);
      ensureBuilt();
      result.coldStart = await coldStart(main, fake.apiUrl, coldRuns);
      log(`  median ${result.coldStart.median.toFixed(0)} ms (${result.coldStart.runs.map((r) => r.toFixed(0)).join(", ")})`);
    }
  } finally {
    await main.drop();
  }
  if (run("scaling")) {
    log("-- scaling");
    result.scaling = [];
    for (const size of scaling) {
      let r: ReminderRun | Omit<ReminderRun, "statements">;
      let s: SeedReport;
      if (size === seeded.reps && result.reminders) {
        r = result.reminders.median;
        s = seeded;
      } else {
        const db = await createBenchDatabase(provider);
        try {
          s = await seed(db, { reps: size, now: new Date(BENCH_NOW), touchesPerAccount: touchesFor(size), workspaceSlackId: BENCH_TEAM_ID });
          r = await reminderRun(db, fake, false);
        } catch (error) {
          // One size failing (a shared server restarted, a disk filled) leaves the others measured.
          const message = error instanceof Error ? error.message.split("\n").filter(Boolean).slice(-1)[0] ?? error.message : String(error);
          log(`  ${size} reps: FAILED (${message})`);
          result.scalingErrors = [...(result.scalingErrors ?? []), { reps: size, error: message }];
          continue;
        } finally {
          await db.drop().catch(() => undefined);
        }
      }
      const point: ScalingPoint = {
        reps: size,
        touchesPerAccount: size === seeded.reps ? 20 : touchesFor(size),
        accounts: s.accounts,
        touches: s.touches,
        seedSeconds: s.ms / 1000,
        wallMs: r.wallMs,
        buildMs: r.buildMs,
        queries: r.queries,
        peakRssMb: r.peakRssMb,
        msPerRep: r.wallMs / size,
        buildMsPerRep: r.buildMs / size,
      };
      result.scaling.push(point);
      log(`  ${size} reps (${point.touches} touches): ${point.wallMs.toFixed(0)} ms = ${point.msPerRep.toFixed(2)} ms/rep, digests ${point.buildMs.toFixed(0)} ms, ${point.queries} queries, peak RSS ${point.peakRssMb.toFixed(0)} MB`);
    }
  }
  if (run("crm")) {
    // Issue 13's size: 100,000 accounts, 30,000 opportunities, 200,000 contacts (a fiftieth with --quick).
    const book = quick ? { accounts: 2_000, opportunities: 600, contacts: 4_000 } : { accounts: 100_000, opportunities: 30_000, contacts: 200_000 };
    log(`-- CRM pull (fake Salesforce): ${book.accounts} accounts, ${book.opportunities} opportunities, ${book.contacts} contacts, then 1,000 changed (${repeat}×)`);
    const hubspot = quick ? { companies: 1_000, deals: 300, contacts: 2_000 } : { companies: 10_000, deals: 3_000, contacts: 20_000 };
    result.crm = await benchCrmPull(provider, { ...book, changed: 1_000, runs: repeat, hubspot, log });
    log(`-- CRM push (fake Salesforce, answering at once): 1,000 touches (${repeat}×)`);
    result.crmPush = await benchCrmPush(provider, { crm: "salesforce", touches: 1_000, runs: repeat, log });
    log(`-- CRM push (fake HubSpot, answering at once): 1,000 touches (${repeat}×)`);
    result.crmPushHubSpot = await benchCrmPush(provider, { crm: "hubspot", touches: 1_000, runs: repeat, log });
  }
  await fake.close();
  return result;
}

/**
 * The fake Slack, answering at once. Its HTTP server closes idle connections after 1 s, which
 * undici (Node's fetch, used by the Web API client and Bolt's respond) reads as "do not reuse": every
 * call would pay a new TCP connection that real Slack, which keeps connections alive, does not cost.
 */
async function startBenchSlack() {
  const fake = await startFakeSlack({ teamId: BENCH_TEAM_ID, log: false });
  const server = (fake as unknown as { server?: Server }).server;
  if (server) server.keepAliveTimeout = 60_000;
  return fake;
}

let built = false;
/** `npm run build` once per benchmark (cold start and the as-deployed reminder run use dist/). */
function ensureBuilt(): void {
  if (built || values["no-build"]) return;
  build(log);
  built = true;
}

const reused = values.reuse;
let providers: Provider[] = reused ? [providerOf(reused)] : dbArg === "both" ? ["sqlite", "postgresql"] : [dbArg as Provider];

async function main(): Promise<void> {
  if (providers.includes("postgresql") && !(await postgresAvailable())) {
    if (dbArg === "postgresql") throw new Error("PostgreSQL is not reachable at 127.0.0.1:5432");
    log("PostgreSQL is not reachable: running SQLite only");
    providers = providers.filter((p) => p !== "postgresql");
  }
  const started = Date.now();
  const results: ProviderResult[] = [];
  for (const p of providers) results.push(await benchProvider(p));
  const report = {
    generatedAt: new Date().toISOString(),
    machine: { cpus: cpus().length, cpuModel: cpus()[0]?.model ?? "", memoryGb: Math.round(totalmem() / 2 ** 30), node: process.version, platform: `${process.platform}-${process.arch}` },
    options: { reps, requests, concurrency, rates, openLoopSeconds, repeat, coldRuns, scaling, scalingTouchesPer10kAccount: scalingTouches, quick, benchNow: BENCH_NOW, skipped: [...skip] },
    targets: TARGETS,
    providers: Object.fromEntries(results.map((r) => [r.provider, r])),
    seconds: Math.round((Date.now() - started) / 1000),
  };
  printReport(report);
  writeFileSync(out, JSON.stringify(report, null, 2) + "\n");
  log(`\nwrote ${out}`);
  const failedPlans = results.reduce((n, r) => n + (r.explain?.fail ?? 0), 0);
  if (failedPlans > 0) {
    log(`${failedPlans} hot-path statement(s) read a whole table (see the EXPLAIN verdicts above)`);
    process.exitCode = 1;
  }
}

const interrupt = () => {
  void dropAll().finally(() => process.exit(130));
};
process.once("SIGINT", interrupt);
process.once("SIGTERM", interrupt);

main().catch(async (error: unknown) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
  await dropAll();
  process.exit(1);
});
