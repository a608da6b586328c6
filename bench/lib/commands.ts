/**
 * Command latency through the real Bolt HTTP receiver: the app runs in a child process (as in
 * production, apart from the load generator), signed `/ae …` requests are posted at a fixed
 * concurrency, and a request is done when its ephemeral reply reaches the fake Slack's
 * response_url. Ack latency is the time to the HTTP 200.
 */
import pg from "pg";
import BetterSqlite3 from "better-sqlite3";
import { translate } from "../../src/i18n/translate.js";
import type { FakeSlack } from "../../test/support/fake-slack.js";
import { postSigned, slashCommandBody } from "../../test/support/slack-requests.js";
import { median, summarize } from "../stats.js";
import { BENCH_NOW, BENCH_SIGNING_SECRET, BENCH_TEAM_ID, repSlackId } from "./constants.js";
import type { BenchDatabase } from "./databases.js";
import { forkChild } from "./ipc.js";
import type { CapturedStatement } from "./query-counter.js";

export interface CommandResult {
  command: string;
  requests: number;
  concurrency: number;
  reply: { median: number; p99: number; max: number };
  ack: { median: number; p99: number; max: number };
  /** SQL statements one request runs (median of a few sequential requests). */
  queries: number;
  /** CPU time the app process spent per request (user + system), over the timed requests. */
  appCpuMs: number;
  errors: number;
  sample: string;
}

/** Commands arriving on a schedule (open loop): each is timed from when it was due, not when sent. */
export interface OpenLoopResult {
  rate: number;
  seconds: number;
  requests: number;
  /** Per command: reply latency from the scheduled arrival (so queueing in the app counts). */
  perCommand: { command: string; median: number; p99: number }[];
  /** The worst command's p99. */
  worstP99: number;
  errors: number;
}

export interface CommandBench {
  results: CommandResult[];
  /** Mixed commands at fixed rates (100 and 250/s by default). */
  openLoop: OpenLoopResult[];
  /** The highest rate tried at which every command's p99 stayed under the target, and the rates tried. */
  maxRate: { rate: number; p99Target: number; tried: { rate: number; worstP99: number }[] };
  statements: CapturedStatement[];
  /** RSS of the app process after the run. */
  appRssMb: number;
}

const INTERNAL_ERROR = translate("en", "error.internal");
/** Not a target: what any command costs before it does its own work. */
export const BASELINE_COMMAND = "/ae help (baseline)";

/** One account name per rep (their first account), to look up with `/ae account <name>`. */
async function accountNames(bench: BenchDatabase): Promise<Map<string, string>> {
  const sql = `SELECT u."slackUserId" AS "rep", a."name" AS "name" FROM "Account" a JOIN "User" u ON u."id" = a."ownerId"
               WHERE a."id" IN (SELECT MIN("id") FROM "Account" GROUP BY "ownerId")`;
  if (bench.provider === "sqlite") {
    const db = new BetterSqlite3(bench.file ?? "", { readonly: true });
    try {
      return new Map((db.prepare(sql).all() as { rep: string; name: string }[]).map((r) => [r.rep, r.name]));
    } finally {
      db.close();
    }
  }
  const c = new pg.Client({ connectionString: bench.url });
  await c.connect();
  try {
    return new Map((await c.query<{ rep: string; name: string }>(sql)).rows.map((r) => [r.rep, r.name]));
  } finally {
    await c.end();
  }
}

export interface CommandOptions {
  reps: number;
  requests: number;
  concurrency: number;
  warmup: number;
  /** Open-loop rates reported in the table (commands per second). */
  rates: number[];
  /** Rates tried, in order, for the highest one with every p99 under `p99Target`. */
  searchRates: number[];
  p99Target: number;
  /** Seconds each open-loop rate runs. */
  openLoopSeconds: number;
  log: (line: string) => void;
}

export async function benchCommands(bench: BenchDatabase, fake: FakeSlack, o: CommandOptions): Promise<CommandBench> {
  const names = await accountNames(bench);
  // `openLoop: false`: measured one at a time and in the table, but kept out of the open-loop mix,
  // so that mix (and its p99 targets) stays the one earlier runs were measured with.
  const commands: { name: string; text: (rep: string) => string; openLoop?: false }[] = [
    // Baseline: Bolt, signature check, the actor lookup and the reply, with no feature work.
    { name: BASELINE_COMMAND, text: () => "help" },
    { name: "/ae accounts", text: () => "accounts" },
    { name: "/ae account <name>", text: (rep) => `account "${names.get(rep) ?? "none"}"` },
    { name: "/ae quota", text: () => "quota" },
    { name: "/ae today", text: () => "today" },
    { name: "/ae leaderboard", text: () => "leaderboard" },
    // Two writes: logging a touch (the hot path the reminders depend on) and opening a deal.
    { name: "/ae log <name> call", text: (rep) => `log "${names.get(rep) ?? "none"}" call bench run` },
    { name: "/ae deal <name> 50k", text: (rep) => `deal "${names.get(rep) ?? "none"}" 50k` },
    { name: "/ae pipeline", text: () => "pipeline", openLoop: false },
  ];
  const mixed = commands.filter((c) => c.openLoop !== false);
  const child = forkChild(new URL("../children/app-server.ts", import.meta.url), {
    BENCH_DB_URL: bench.url,
    BENCH_SLACK_API_URL: fake.apiUrl,
    BENCH_AT: BENCH_NOW,
  });
  try {
    const ready = await child.next("ready", 120_000);
    const eventsUrl = `http://127.0.0.1:${Number(ready.port)}/slack/events`;
    let seq = 0;
    const send = async (text: string, userId: string) => {
      const id = `c${++seq}`;
      const body = slashCommandBody({ teamId: BENCH_TEAM_ID, userId, text, responseUrl: fake.responseUrl(id) });
      const t0 = performance.now();
      const wall0 = Date.now();
      const http = await postSigned(eventsUrl, body, { secret: BENCH_SIGNING_SECRET, timeoutMs: 30_000 });
      const ack = performance.now() - t0;
      if (http.status !== 200) throw new Error(`the app answered ${http.status} to /ae ${text}: ${http.text.slice(0, 200)}`);
      // Answered in the acknowledgement: the reply arrived with the ack. Else it came to response_url.
      const answer = await fake.commandReply(http, id, 30_000);
      const replyText = typeof answer.body.text === "string" ? answer.body.text : "";
      const reply = answer.via === "ack" ? ack : answer.at - wall0;
      return { ack, reply, repliedAt: t0 + reply, error: replyText === INTERNAL_ERROR, text: replyText };
    };
    // Requests are spread over the reps with a stride, so consecutive requests hit different reps.
    const repFor = (k: number) => repSlackId((k * 7919) % o.reps);
    const results: CommandResult[] = [];
    for (const cmd of commands) {
      await child.request("label", { label: `command:${cmd.name}` });
      // Statements per request: a few requests one at a time, counted in the app.
      const perRequest: number[] = [];
      let sample = "";
      for (let k = 0; k < 3; k++) {
        const before = Number((await child.request("counter")).count);
        const r = await send(cmd.text(repFor(k)), repFor(k));
        sample ||= r.text;
        perRequest.push(Number((await child.request("counter")).count) - before);
      }
      const run = async (n: number, offset: number) => {
        const acks: number[] = [];
        const replies: number[] = [];
        let errors = 0;
        let next = 0;
        const worker = async () => {
          while (next < n) {
            const k = offset + next++;
            const r = await send(cmd.text(repFor(k)), repFor(k));
            acks.push(r.ack);
            replies.push(r.reply);
            if (r.error) errors++;
          }
        };
        await Promise.all(Array.from({ length: o.concurrency }, worker));
        return { acks, replies, errors };
      };
      await run(o.warmup, 1_000_000);
      const cpu0 = Number((await child.request("counter")).cpuMs);
      const timed = await run(o.requests, 0);
      const appCpuMs = (Number((await child.request("counter")).cpuMs) - cpu0) / Math.max(1, o.requests);
      const reply = summarize(timed.replies);
      const ack = summarize(timed.acks);
      results.push({
        command: cmd.name,
        requests: timed.replies.length,
        concurrency: o.concurrency,
        reply: { median: reply.median, p99: reply.p99, max: reply.max },
        ack: { median: ack.median, p99: ack.p99, max: ack.max },
        queries: median(perRequest),
        appCpuMs,
        errors: timed.errors,
        sample: sample.slice(0, 120),
      });
      o.log(`  ${cmd.name.padEnd(22)} median ${reply.median.toFixed(1)} ms, p99 ${reply.p99.toFixed(1)} ms, ack p99 ${ack.p99.toFixed(1)} ms, ${median(perRequest)} queries, app CPU ${appCpuMs.toFixed(1)} ms/request${timed.errors ? `, ${timed.errors} ERRORS` : ""}`);
      fake.reset();
    }
    /**
     * Open loop: the mixed commands (round-robin over the table's commands, spread over the reps)
     * arrive at `rate` per second whether or not earlier ones have been answered, as Slack would
     * send them. A command's latency runs from when it was due, so a backlog in the app shows.
     */
    const openLoop = async (rate: number): Promise<OpenLoopResult> => {
      const n = Math.round(rate * o.openLoopSeconds);
      const start = performance.now() + 20;
      const pending: Promise<{ command: string; latency: number; error: boolean }>[] = [];
      for (let i = 0; i < n; ) {
        const now = performance.now();
        // Fire every command that is due; timers are late by a millisecond or more, never early.
        for (; i < n && start + (i * 1000) / rate <= now; i++) {
          const due = start + (i * 1000) / rate;
          const cmd = mixed[i % mixed.length]!;
          const rep = repFor(2_000_000 + i);
          pending.push(send(cmd.text(rep), rep).then((r) => ({ command: cmd.name, latency: r.repliedAt - due, error: r.error })));
        }
        if (i < n) await new Promise((resolve) => setTimeout(resolve, Math.max(0, start + (i * 1000) / rate - performance.now())));
      }
      const done = await Promise.all(pending);
      const perCommand = mixed.map((c) => {
        const s = summarize(done.filter((d) => d.command === c.name).map((d) => d.latency));
        return { command: c.name, median: s.median, p99: s.p99 };
      });
      return { rate, seconds: o.openLoopSeconds, requests: n, perCommand, worstP99: Math.max(...perCommand.map((c) => c.p99)), errors: done.filter((d) => d.error).length };
    };
    await child.request("label", { label: "open-loop" });
    const openLoopResults: OpenLoopResult[] = [];
    for (const rate of o.rates) {
      const r = await openLoop(rate);
      openLoopResults.push(r);
      o.log(`  open loop ${rate}/s for ${o.openLoopSeconds} s: ${r.perCommand.map((c) => `${c.command.split(" ")[1]} ${c.median.toFixed(1)}/${c.p99.toFixed(1)}`).join(", ")} ms (median/p99)${r.errors ? `, ${r.errors} ERRORS` : ""}`);
      fake.reset();
    }
    const tried: { rate: number; worstP99: number }[] = [];
    let best = 0;
    for (const rate of o.searchRates) {
      const r = openLoopResults.find((x) => x.rate === rate) ?? (await openLoop(rate));
      fake.reset();
      tried.push({ rate, worstP99: r.worstP99 });
      if (r.worstP99 >= o.p99Target || r.errors > 0) break;
      best = rate;
    }
    o.log(`  highest open-loop rate with every p99 < ${o.p99Target} ms: ${best}/s (tried ${tried.map((t) => `${t.rate}/s → ${t.worstP99.toFixed(1)} ms`).join(", ")})`);
    const statements = (await child.request("statements")).statements as CapturedStatement[];
    const appRssMb = Number((await child.request("counter")).rss) / 2 ** 20;
    await child.request("stop").catch(() => undefined);
    await child.exited;
    return { results, openLoop: openLoopResults, maxRate: { rate: best, p99Target: o.p99Target, tried }, statements, appRssMb };
  } finally {
    if (child.process.exitCode === null) child.process.kill("SIGKILL");
  }
}
