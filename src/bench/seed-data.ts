import { runAs } from "../db/audit/audit-scope.js";
import BetterSqlite3 from "better-sqlite3";
import { DateTime } from "luxon";
import type { Database } from "../db/client.js";
import { normalizeName } from "../domain/names.js";

/**
 * Deterministic benchmark data: teams of 10 reps (`teamSize`), 100 accounts per rep (10 % key,
 * 30 % growth, 60 % standard), about 20 touches per account over 18 months, open follow-ups and
 * 20 done ones, 10 deals (some won this quarter) and 20 closed in the past 18 months, and quotas
 * for this quarter and the 5 before (so the tables hold history, as in production). Every user's reminder time is their local time at
 * `now` (on their local weekday), so a reminder run at `now` plans a digest for everyone. With
 * `companyTeam`, one more team holds every rep (no manager, no channel): a large team for
 * leaderboards. The same --seed always builds the same rows.
 */

export interface SeedOptions {
  reps: number;
  /** The clock the data is built around (touch dates, due dates, the current quarter). */
  now: Date;
  seed?: number;
  accountsPerRep?: number;
  touchesPerAccount?: number;
  /** Reps per team (default 10); each team has its own manager. */
  teamSize?: number;
  /** Also one team "Whole Company" with every rep in it (no manager, no channel). */
  companyTeam?: boolean;
  workspaceSlackId?: string;
  onProgress?: (done: number, total: number) => void;
}

export interface SeedReport {
  reps: number;
  teams: number;
  accounts: number;
  touches: number;
  followUps: number;
  deals: number;
  ms: number;
}

/** mulberry32: a tiny, well-known seeded PRNG, so every run builds identical data. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const ZONES = ["America/New_York", "America/Chicago", "America/Los_Angeles", "Europe/London", "Europe/Berlin", "Asia/Tokyo"];
const INDUSTRIES = ["Advertising", "Financial services", "Pharma", "Retail", "Software", "Manufacturing"];
const KINDS = ["call", "email", "meeting", "demo", "meal", "note"];
const WORDS = ["Acme", "Globex", "Initech", "Umbrella", "Stark", "Wayne", "Wonka", "Tyrell", "Cyberdyne", "Soylent", "Hooli", "Vandelay", "Nakatomi", "Oscorp", "Gringotts"];
const SUFFIX = ["Corp", "Labs", "GmbH", "Holdings", "Partners", "AG", "Group", "Capital", "Pharma", "Media"];

const DAY = 86_400_000;
/** Per rep, besides this quarter's work: done follow-ups, closed deals and past quarters' quotas. */
const HISTORY_FOLLOW_UPS = 20;
const HISTORY_DEALS = 20;
const HISTORY_QUARTERS = 5;
const CHUNK = 5_000;

type TouchRow = { accountId: number; userId: number; kind: string; occurredAt: Date; note: string };

/** UTC wall time, as Prisma stores DateTime in PostgreSQL `timestamp(3)` columns. */
function pgTimestamp(d: Date): string {
  return d.toISOString().replace("T", " ").replace("Z", "");
}

/** Prisma's SQLite DateTime text format (ISO with an explicit +00:00 offset). */
function sqliteTime(d: Date): string {
  return d.toISOString().replace("Z", "+00:00");
}

/**
 * Touches are 95 % of the rows. On SQLite they go through one prepared statement in a transaction
 * on the raw driver (the same text format Prisma writes); on PostgreSQL through array-valued inserts.
 */
function touchWriterFor(db: Database): { write(rows: TouchRow[]): Promise<void>; close(): void } {
  if (db.provider === "sqlite" && db.sqlitePath) {
    const raw = new BetterSqlite3(db.sqlitePath, { timeout: 10_000 });
    raw.pragma("journal_mode = WAL");
    const insert = raw.prepare(
      `INSERT INTO "Touch" ("accountId", "userId", "kind", "occurredAt", "note", "source", "createdAt") VALUES (?, ?, ?, ?, ?, 'import', ?)`,
    );
    const created = sqliteTime(new Date());
    const many = raw.transaction((rows: TouchRow[]) => {
      for (const r of rows) insert.run(r.accountId, r.userId, r.kind, sqliteTime(r.occurredAt), r.note, created);
    });
    return { write: async (rows) => void many(rows), close: () => raw.close() };
  }
  // PostgreSQL: one INSERT … SELECT FROM unnest(arrays) per chunk (5 parameters, not 7 per row).
  const created = new Date();
  return {
    write: (rows) =>
      inChunks(rows, (c) =>
        db.prisma.$executeRaw`INSERT INTO "Touch" ("accountId", "userId", "kind", "occurredAt", "note", "source", "createdAt")
          SELECT a, u, k, o, n, 'import', ${created} FROM unnest(${c.map((r) => r.accountId)}::int[], ${c.map((r) => r.userId)}::int[],
            ${c.map((r) => r.kind)}::text[], ${c.map((r) => pgTimestamp(r.occurredAt))}::timestamp[], ${c.map((r) => r.note)}::text[]) AS t(a, u, k, o, n)`,
      ),
    close: () => undefined,
  };
}

async function inChunks<T>(rows: T[], insert: (chunk: T[]) => Promise<unknown>): Promise<void> {
  for (let i = 0; i < rows.length; i += CHUNK) await insert(rows.slice(i, i + CHUNK));
}

/** A reminder schedule that is due exactly at `now` in `zone`: the local time then, on that weekday. */
function dueNow(now: Date, zone: string): { reminderTime: string; reminderDays: string } {
  const local = DateTime.fromJSDate(now, { zone });
  const days = new Set([1, 2, 3, 4, 5, local.weekday]);
  return { reminderTime: local.toFormat("HH:mm"), reminderDays: [...days].sort((a, b) => a - b).join(",") };
}

/** YYYY-MM-01 plus `months` (negative: earlier). */
function addMonths(firstOfMonth: string, months: number): string {
  const d = new Date(`${firstOfMonth}T00:00:00Z`);
  d.setUTCMonth(d.getUTCMonth() + months);
  return d.toISOString().slice(0, 10);
}

/** Quarter start (UTC calendar quarter) of `now`, as YYYY-MM-DD. */
function quarterStart(now: Date): string {
  const m = Math.floor(now.getUTCMonth() / 3) * 3;
  return `${now.getUTCFullYear()}-${String(m + 1).padStart(2, "0")}-01`;
}

export function seedBenchData(db: Database, o: SeedOptions): Promise<SeedReport> {
  // Recorded in the audit trail as the seed's writes (not "unknown").
  return runAs({ kind: "cli", detail: "bench seed" }, () => seedBenchDataNow(db, o));
}

async function seedBenchDataNow(db: Database, o: SeedOptions): Promise<SeedReport> {
  const started = Date.now();
  const rand = prng(o.seed ?? 42);
  const p = db.prisma;
  const accountsPerRep = o.accountsPerRep ?? 100;
  const touchesPerAccount = o.touchesPerAccount ?? 20;
  const now = o.now.getTime();
  const ws = await p.workspace.upsert({
    where: { slackTeamId: o.workspaceSlackId ?? "TBENCH" },
    create: { slackTeamId: o.workspaceSlackId ?? "TBENCH", name: "Bench Corp", timezone: "America/New_York" },
    update: {},
  });
  const existing = await p.user.count({ where: { workspaceId: ws.id } });
  if (existing > 0) throw new Error(`workspace ${ws.slackTeamId} already has ${existing} users; seed an empty database`);

  const teamSize = Math.max(1, Math.floor(o.teamSize ?? 10));
  const teamCount = Math.max(1, Math.ceil(o.reps / teamSize));
  await p.user.createMany({
    data: Array.from({ length: o.reps + teamCount }, (_, i) => {
      const isManager = i >= o.reps;
      return {
        workspaceId: ws.id,
        slackUserId: isManager ? `UMGR${String(i - o.reps).padStart(6, "0")}` : `UREP${String(i).padStart(6, "0")}`,
        name: isManager ? `Manager ${i - o.reps}` : `Rep ${i}`,
        email: isManager ? `manager${i - o.reps}@bench.example` : `rep${i}@bench.example`,
        timezone: ZONES[i % ZONES.length],
        ...dueNow(o.now, ZONES[i % ZONES.length]),
        locale: i % 7 === 0 ? "de-DE" : "en-US",
        role: isManager ? "manager" : "rep",
      };
    }),
  });
  const users = await p.user.findMany({ where: { workspaceId: ws.id }, select: { id: true, slackUserId: true }, orderBy: { id: "asc" } });
  const reps = users.filter((u) => u.slackUserId.startsWith("UREP"));
  const managers = users.filter((u) => u.slackUserId.startsWith("UMGR"));
  // Members through their own model: the audit trail records each (no nested writes, see docs/DEVELOPING.md).
  for (let t = 0; t < teamCount; t++) {
    const team = await p.team.create({
      data: { workspaceId: ws.id, name: `Team ${t}`, nameKey: `team ${t}`, managerId: managers[t].id, channelId: `CTEAM${String(t).padStart(5, "0")}` },
    });
    await p.teamMember.createMany({ data: reps.slice(t * teamSize, (t + 1) * teamSize).map((r) => ({ teamId: team.id, userId: r.id })) });
  }
  if (o.companyTeam) {
    const team = await p.team.create({ data: { workspaceId: ws.id, name: "Whole Company", nameKey: "whole company" } });
    await p.teamMember.createMany({ data: reps.map((r) => ({ teamId: team.id, userId: r.id })) });
  }

  const qStart = quarterStart(o.now);
  const quarterStarts = Array.from({ length: HISTORY_QUARTERS + 1 }, (_, i) => addMonths(qStart, -3 * i));
  const qStartMs = Date.parse(`${qStart}T05:00:00Z`);
  let accounts = 0;
  let touches = 0;
  let followUps = 0;
  let deals = 0;
  const touchWriter = touchWriterFor(db);
  try {
  for (let r = 0; r < reps.length; r++) {
    const rep = reps[r];
    const accountRows = Array.from({ length: accountsPerRep }, (_, i) => {
      const x = rand();
      const tier = x < 0.1 ? "key" : x < 0.4 ? "growth" : "standard";
      const name = `${WORDS[Math.floor(rand() * WORDS.length)]} ${SUFFIX[Math.floor(rand() * SUFFIX.length)]} ${r}-${i}`;
      const value = Math.round((tier === "key" ? 500_000 : tier === "growth" ? 120_000 : 30_000) * (0.5 + rand())) * 100;
      return {
        workspaceId: ws.id,
        ownerId: rep.id,
        name,
        nameKey: normalizeName(name),
        kind: rand() < 0.05 ? "individual" : "company",
        tier,
        annualValueCents: BigInt(value),
        industry: INDUSTRIES[Math.floor(rand() * INDUSTRIES.length)],
        createdAt: new Date(now - 560 * DAY),
      };
    });
    await p.account.createMany({ data: accountRows });
    const accountIds = await p.account.findMany({ where: { ownerId: rep.id }, select: { id: true, tier: true }, orderBy: { id: "asc" } });
    accounts += accountIds.length;

    const touchRows: TouchRow[] = [];
    for (const a of accountIds) {
      const n = Math.max(0, Math.round(touchesPerAccount * (0.5 + rand())));
      // Some accounts go quiet: their last touch is older than the tier threshold.
      const quietDays = rand() < 0.25 ? 10 + rand() * 60 : rand() * 6;
      for (let k = 0; k < n; k++) {
        const at = now - quietDays * DAY - rand() * 540 * DAY * (k / Math.max(1, n));
        touchRows.push({ accountId: a.id, userId: rep.id, kind: KINDS[Math.floor(rand() * KINDS.length)], occurredAt: new Date(at), note: "Bench touch" });
      }
    }
    await touchWriter.write(touchRows);
    touches += touchRows.length;
    // lastTouchAt is denormalized (kept by the touch code): one set-based UPDATE per rep.
    await p.$executeRaw`UPDATE "Account" SET "lastTouchAt" = (SELECT MAX(t."occurredAt") FROM "Touch" t WHERE t."accountId" = "Account"."id") WHERE "ownerId" = ${rep.id}`;

    const fuRows = Array.from({ length: 5 }, (_, i) => ({
      accountId: accountIds[Math.floor(rand() * accountIds.length)].id,
      userId: rep.id,
      title: `Follow up ${i}`,
      dueAt: new Date(now + (Math.floor(rand() * 10) - 4) * DAY),
      status: rand() < 0.8 ? "open" : "done",
    }));
    // History: follow-ups done over the past 18 months (most of a real table is done ones).
    const doneRows = Array.from({ length: HISTORY_FOLLOW_UPS }, (_, i) => {
      const due = now - (7 + rand() * 540) * DAY;
      return {
        accountId: accountIds[Math.floor(rand() * accountIds.length)].id,
        userId: rep.id,
        title: `Done ${i}`,
        dueAt: new Date(due),
        status: "done",
        completedAt: new Date(due + rand() * 3 * DAY),
      };
    });
    await p.followUp.createMany({ data: [...fuRows, ...doneRows] });
    followUps += fuRows.length + doneRows.length;

    // Six open deals per rep, as a real pipeline looks: one past its close date (1–30 days), one
    // closing within the week, four later; created up to 120 days ago, half of them with a stage
    // change since (the rest predate stage history), so about a third have stalled past 30 days.
    // Most reps get two to four "deals that need attention" in their reminder.
    const dealRows = Array.from({ length: 10 }, (_, i) => {
      const won = i < 4;
      const createdAt = new Date(now - (1 + rand() * 120) * DAY);
      const closeIn = i === 4 ? -(1 + rand() * 29) : i === 5 ? rand() * 6 : 7 + rand() * 53;
      return {
        accountId: accountIds[Math.floor(rand() * accountIds.length)].id,
        ownerId: rep.id,
        title: `Deal ${i}`,
        amountCents: BigInt(Math.round(20_000 + rand() * 80_000) * 100),
        stage: won ? "won" : ["prospect", "qualified", "proposal", "negotiation"][i % 4],
        status: won ? "won" : "open",
        wonAt: won ? new Date(qStartMs + rand() * Math.max(DAY, now - qStartMs)) : null,
        expectedCloseAt: new Date(now + closeIn * DAY),
        createdAt,
        stageChangedAt: !won && rand() < 0.5 ? new Date(createdAt.getTime() + rand() * (now - createdAt.getTime())) : null,
      };
    });
    // History: deals closed (won or lost) before this quarter, over the past 18 months.
    const closedRows = Array.from({ length: HISTORY_DEALS }, (_, i) => {
      const won = rand() < 0.4;
      const closedAt = new Date(qStartMs - (1 + rand() * 450) * DAY);
      return {
        accountId: accountIds[Math.floor(rand() * accountIds.length)].id,
        ownerId: rep.id,
        title: `Closed ${i}`,
        amountCents: BigInt(Math.round(20_000 + rand() * 80_000) * 100),
        stage: won ? "won" : "lost",
        status: won ? "won" : "lost",
        wonAt: won ? closedAt : null,
        lostAt: won ? null : closedAt,
        expectedCloseAt: closedAt,
      };
    });
    await p.deal.createMany({ data: [...dealRows, ...closedRows] });
    deals += dealRows.length + closedRows.length;
    // This quarter's quota and the previous ones.
    await p.quota.createMany({
      data: quarterStarts.map((periodStart) => ({ userId: rep.id, periodType: "quarter", periodStart, amountCents: BigInt(Math.round(300_000 + rand() * 300_000) * 100) })),
    });
    o.onProgress?.(r + 1, reps.length);
  }
  } finally {
    touchWriter.close();
  }
  return { reps: reps.length, teams: teamCount + (o.companyTeam ? 1 : 0), accounts, touches, followUps, deals, ms: Date.now() - started };
}
