/**
 * EXPLAIN of every distinct statement seen on the hot paths (commands, the reminder run, digest
 * building, leaderboards), as Prisma generated it, with the arguments of its first execution.
 * SQLite: a `SCAN <table>` without an index is a full table scan (FAIL on the big tables);
 * `SCAN … USING INDEX` reads a whole index (noted). PostgreSQL: `Seq Scan` on Account, Touch,
 * Deal or FollowUp on the big data set is a FAIL.
 */
import type { BenchDatabase } from "./databases.js";
import type { CapturedStatement } from "./query-counter.js";
import { openRaw } from "./raw.js";

/** Tables that grow with the business; a full scan of one of them is a failure. */
const BIG_SQLITE = new Set(["Account", "Touch", "Deal", "FollowUp", "User", "Outbox", "OutboxBody", "Quota", "TeamMember", "Gift", "Contact", "TouchParticipant", "CompPlan", "ProcessedRequest"]);
const BIG_PG = new Set(["Account", "Touch", "Deal", "FollowUp"]);

export type Verdict = "ok" | "note" | "FAIL";

export interface PlanCheck {
  labels: string[];
  sql: string;
  count: number;
  plan: string[];
  verdict: Verdict;
  reason: string;
}

function tableAliases(sql: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const m of sql.matchAll(/[`"](?:main[`"]\.[`"])?(\w+)[`"]\s+AS\s+[`"]?(\w+)[`"]?/gi)) out.set(m[2]!, m[1]!);
  return out;
}

function judgeSqlite(plan: string[], sql: string): { verdict: Verdict; reason: string } {
  const aliases = tableAliases(sql);
  const reasons: string[] = [];
  let verdict: Verdict = "ok";
  // Subqueries SQLite runs as co-routines or materializes are scanned by name: not tables.
  const subqueries = new Set(plan.flatMap((l) => /^(?:CO-ROUTINE|MATERIALIZE) (\S+)/.exec(l.trim())?.slice(1, 2) ?? []));
  for (const line of plan) {
    const unqualified = (name: string) => name.replace(/^main\./, "");
    // An index used for the workspace alone reads every row of the workspace: as bad as a scan.
    const search = /^SEARCH (\S+)(?: AS \S+)? USING (?:COVERING )?INDEX \S+ \((\w+)=\?\)$/.exec(line.trim());
    if (search && search[2] === "workspaceId") {
      const table = unqualified(aliases.get(search[1]!) ?? search[1]!);
      if (BIG_SQLITE.has(table)) {
        reasons.push(`${table} searched by workspace only (reads the whole workspace)`);
        verdict = "FAIL";
      }
      continue;
    }
    const m = /^SCAN (\S+)(?: AS (\S+))?(.*)$/.exec(line.trim());
    if (!m || subqueries.has(m[1]!)) continue;
    const name = m[1]!;
    const table = unqualified(aliases.get(name) ?? name);
    const rest = m[3] ?? "";
    if (/USING (COVERING )?INDEX/.test(rest)) {
      reasons.push(`full index scan of ${table}`);
      if (verdict === "ok") verdict = "note";
    } else if (BIG_SQLITE.has(table)) {
      reasons.push(`full table scan of ${table}`);
      verdict = "FAIL";
    } else {
      reasons.push(`scan of small table ${table}`);
      if (verdict === "ok") verdict = "note";
    }
  }
  return { verdict, reason: reasons.join("; ") };
}

function judgePg(plan: string[], bigData: boolean): { verdict: Verdict; reason: string } {
  const reasons: string[] = [];
  let verdict: Verdict = "ok";
  for (const line of plan) {
    const m = /Seq Scan on "?(\w+)"?/.exec(line);
    if (!m) continue;
    const table = m[1]!;
    if (BIG_PG.has(table) && bigData) {
      reasons.push(`Seq Scan on ${table}`);
      verdict = "FAIL";
    } else {
      reasons.push(`Seq Scan on ${table}${BIG_PG.has(table) ? " (small data set)" : ""}`);
      if (verdict === "ok") verdict = "note";
    }
  }
  return { verdict, reason: reasons.join("; ") };
}

/** Statements worth planning: reads and writes of rows, not transactions, pragmas or inserts. */
function planned(sql: string): boolean {
  const s = sql.trim().toUpperCase();
  if (!/^(SELECT|UPDATE|DELETE|WITH)\b/.test(s)) return false;
  return !/^SELECT 1\b/.test(s);
}

export async function explainAll(bench: BenchDatabase, statements: CapturedStatement[], bigData: boolean): Promise<PlanCheck[]> {
  const merged = new Map<string, CapturedStatement>();
  for (const s of statements) {
    if (!planned(s.sql)) continue;
    const m = merged.get(s.sql);
    if (m) {
      m.count += s.count;
      m.labels = [...new Set([...m.labels, ...s.labels])];
    } else merged.set(s.sql, { ...s, labels: [...s.labels] });
  }
  const raw = await openRaw(bench.provider, bench.url, bench.file);
  const out: PlanCheck[] = [];
  try {
    for (const s of merged.values()) {
      let plan: string[];
      try {
        plan = await raw.explain(s.sql, s.args, s.argTypes);
      } catch (error) {
        plan = [`(EXPLAIN failed: ${error instanceof Error ? error.message : String(error)})`];
      }
      const judged = bench.provider === "sqlite" ? judgeSqlite(plan, s.sql) : judgePg(plan, bigData);
      // Shortened for the report (placeholder lists of a whole batch add nothing).
      const short = (text: string, n: number) => (text.length > n ? `${text.slice(0, n - 1)}…` : text);
      out.push({ labels: s.labels.sort(), sql: short(s.sql.replace(/\s+/g, " "), 400), count: s.count, plan: plan.map((l) => short(l, 240)), ...judged });
    }
  } finally {
    await raw.close();
  }
  const rank: Record<Verdict, number> = { FAIL: 0, note: 1, ok: 2 };
  return out.sort((a, b) => rank[a.verdict] - rank[b.verdict] || b.count - a.count);
}
