/**
 * `npm run demo`: the real bot against the built-in Slack emulator, with a fresh demo database,
 * playing a scripted Monday morning and printing what each person would see. No tokens, no network.
 *
 *   AE_DEMO_DATA_DIR   where demo.db, demo-leaderboard.png and demo-pipeline.png go (default ./data)
 *   LOG_LEVEL          show the bot's own log lines on stderr (default: only warnings, after the run)
 */
import "../runtime/require-supported-node.js"; // first: refuses an old Node before a native module loads
import { rmSync, writeFileSync } from "node:fs";
import { mkdir } from "node:fs/promises";
import { relative, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { DateTime } from "luxon";
import { openAndMigrate } from "../bootstrap.js";
import type { Database } from "../db/client.js";
import { createLogger } from "../logger.js";
import { PEOPLE, TEAM_NAME, WORKSPACE, demoInstant, seedDemoData } from "./demo-data.js";
import { playScript, personLabel, type DemoOutput } from "./script.js";
import { DemoSession } from "./session.js";

export interface DemoOptions {
  /** Where the transcript goes (default stdout). */
  out?: DemoOutput;
  /** Folder for demo.db and demo-leaderboard.png (default $AE_DEMO_DATA_DIR or ./data). */
  dataDir?: string;
  /** The real time the demo Monday is picked from (default now). */
  today?: Date;
}

export interface DemoResult {
  ok: boolean;
  seconds: number;
  databasePath: string;
  chartPath?: string;
  /** The manager's pipeline chart, when one was uploaded. */
  pipelineChartPath?: string;
  /** Warnings and errors the bot logged during the run. */
  problems: string[];
  error?: string;
}

const LEVELS = ["debug", "info", "warn", "error"] as const;

function shown(path: string): string {
  const rel = relative(process.cwd(), path);
  return rel !== "" && !rel.startsWith("..") ? rel : path;
}

export async function runDemo(opts: DemoOptions = {}): Promise<DemoResult> {
  const started = Date.now();
  const out = opts.out ?? process.stdout;
  const dataDir = resolve(opts.dataDir ?? process.env.AE_DEMO_DATA_DIR ?? "data");
  const databasePath = resolve(dataDir, "demo.db");
  const chartFile = resolve(dataDir, "demo-leaderboard.png");
  const pipelineChartFile = resolve(dataDir, "demo-pipeline.png");
  const problems: string[] = [];
  const envLevel = LEVELS.find((l) => l === process.env.LOG_LEVEL);
  const logger = createLogger(
    envLevel ?? "warn",
    envLevel ? (line) => process.stderr.write(`${line}\n`) : (line) => problems.push(line),
  );
  const result = (ok: boolean, extra: Partial<DemoResult> = {}): DemoResult => ({
    ok,
    seconds: (Date.now() - started) / 1000,
    databasePath,
    problems,
    ...extra,
  });

  let db: Database | undefined;
  let session: DemoSession | undefined;
  try {
    await mkdir(dataDir, { recursive: true });
    for (const suffix of ["", "-wal", "-shm", "-journal"]) rmSync(`${databasePath}${suffix}`, { force: true });
    rmSync(chartFile, { force: true });
    rmSync(pipelineChartFile, { force: true });
    db = await openAndMigrate(`file:${databasePath}`, logger);
    const clock = { now: demoInstant(opts.today ?? new Date()) };
    const seed = await seedDemoData(db, clock.now);
    session = await DemoSession.start(db, clock, logger);

    const reps = Object.values(PEOPLE).filter((p) => p.role === "rep");
    out.write(
      [
        "AE Assistant — demo",
        `The real bot (HTTP mode on a local port) against the built-in Slack emulator: no tokens, nothing leaves this machine.`,
        `Workspace “${WORKSPACE.name}” · fresh database ${shown(databasePath)} · demo clock ${DateTime.fromJSDate(clock.now, { zone: WORKSPACE.timezone }).toFormat("cccc d LLLL yyyy, HH:mm")} New York (${seed.quarterLabel})`,
        `Team “${TEAM_NAME}”, posting to #sales-leaderboard: manager ${personLabel(PEOPLE.morgan)}; AEs ${reps.map(personLabel).join(", ")}`,
        `Seeded: ${seed.counts.accounts} accounts (advertising, financial services, pharma), ${seed.counts.touches} touches, ${seed.counts.followUps} follow-ups, ${seed.counts.deals} deals, quarterly quotas, a comp plan, ${seed.counts.gifts} gifts and entertainment entries.`,
        "",
      ].join("\n"),
    );

    const report = await playScript(session, out);
    let chartPath: string | undefined;
    if (report.chart) {
      writeFileSync(chartFile, report.chart.bytes);
      chartPath = chartFile;
    }
    let pipelineChartPath: string | undefined;
    if (report.pipelineChart) {
      writeFileSync(pipelineChartFile, report.pipelineChart.bytes);
      pipelineChartPath = pipelineChartFile;
    }
    const seconds = (Date.now() - started) / 1000;
    out.write(
      [
        "",
        "─".repeat(78),
        `Demo finished in ${seconds.toFixed(1)} s: ${report.commands} commands (${report.germanCommands} in German), ${report.clicks} button clicks, ` +
          `${report.directMessages} DMs, ${report.channelPosts} channel posts.`,
        chartPath ? `Leaderboard chart: ${shown(chartPath)} · database: ${shown(databasePath)} (recreated on every run).` : `No leaderboard chart was uploaded · database: ${shown(databasePath)}.`,
        ...(pipelineChartPath ? [`Pipeline chart: ${shown(pipelineChartPath)}.`] : []),
        "Try it in your own workspace: see “Onboarding a real workspace” in README.md, then `npm start`.",
        "",
      ].join("\n"),
    );
    return result(true, { ...(chartPath ? { chartPath } : {}), ...(pipelineChartPath ? { pipelineChartPath } : {}) });
  } catch (error) {
    return result(false, { error: error instanceof Error ? error.message : String(error) });
  } finally {
    await session?.close().catch(() => undefined);
    await db?.close().catch(() => undefined);
  }
}

async function cli(): Promise<void> {
  const result = await runDemo();
  if (result.problems.length > 0) {
    process.stderr.write(`\nThe bot logged ${result.problems.length} warning(s) during the demo:\n${result.problems.map((p) => `  ${p}`).join("\n")}\n`);
  }
  if (!result.ok) process.stderr.write(`\nThe demo stopped: ${result.error ?? "unknown error"}\n`);
  const code = result.ok ? 0 : 1;
  // Flush, then exit: idle keep-alive sockets must not hold the process open.
  process.stdout.write("", () => process.exit(code));
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) void cli();
