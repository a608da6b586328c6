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

export interface CommandBench {
  results: CommandResult[];
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
  log: (line: string) => void;
}

export async function benchCommands(bench: BenchDatabase, fake: FakeSlack, o: CommandOptions): Promise<CommandBench> {
  const names = await accountNames(bench);
  const commands: { name: string; text: (rep: string) => string }[] = [
    // Baseline: Bolt, signature check, the actor lookup and the reply, with no feature work.
    { name: BASELINE_COMMAND, text: () => "help" },
    { name: "/ae accounts", text: () => "accounts" },
    { name: "/ae account <name>", text: (rep) => `account "${names.get(rep) ?? "none"}"` },
    { name: "/ae quota", text: () => "quota" },
    { name: "/ae today", text: () => "today" },
    { name: "/ae leaderboard", text: () => "leaderboard" },
  ];
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
      const replied = fake.waitForResponse((r) => r.id === id, 30_000).then((r) => ({ r, at: performance.now() }));
      const http = await postSigned(eventsUrl, body, { secret: BENCH_SIGNING_SECRET, timeoutMs: 30_000 });
      const ack = performance.now() - t0;
      if (http.status !== 200) throw new Error(`the app answered ${http.status} to /ae ${text}: ${http.text.slice(0, 200)}`);
      const { r, at } = await replied;
      const replyText = typeof r.body.text === "string" ? r.body.text : "";
      return { ack, reply: at - t0, error: replyText === INTERNAL_ERROR, text: replyText };
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
    const statements = (await child.request("statements")).statements as CapturedStatement[];
    const appRssMb = Number((await child.request("counter")).rss) / 2 ** 20;
    await child.request("stop").catch(() => undefined);
    await child.exited;
    return { results, statements, appRssMb };
  } finally {
    if (child.process.exitCode === null) child.process.kill("SIGKILL");
  }
}
