/**
 * Product vs floor, in one process, interleaved: building every rep's digest in reminder-sized
 * batches, and the leaderboard of the 1,000-rep team. Each side's output is compared, so the floor
 * is known to compute the same thing.
 */
import { isDeepStrictEqual } from "node:util";
import { openDatabase } from "../../src/db/client.js";
import { REMINDER_BATCH_SIZE } from "../../src/jobs/personal-messages.js";
import type { LeaderboardPeriodType } from "../../src/domain/leaderboard-periods.js";
import { localDateOf } from "../../src/domain/time.js";
import { createLogger } from "../../src/logger.js";
import type { ReminderTarget } from "../../src/services/reminder-service.js";
import { teamZone } from "../../src/services/leaderboard-service.js";
import { createServices } from "../../src/services/services.js";
import { median } from "../stats.js";
import { BENCH_NOW, BENCH_TEAM_ID, BENCH_TIMEZONE } from "./constants.js";
import type { BenchDatabase } from "./databases.js";
import { floorDigests, floorLeaderboard, type FloorTiming } from "./floor.js";
import { QueryCounter, type CapturedStatement } from "./query-counter.js";
import { openRaw } from "./raw.js";

export interface Versus {
  productMs: number;
  floorMs: number;
  /** The floor's SQL alone (without the shared domain assembly). */
  floorSqlMs: number;
  ratio: number;
  productQueries: number;
  floorQueries: number;
  /** Whether product and floor produced identical results. */
  same: boolean;
  iterations: number;
}

export interface FloorBench {
  digests: Versus & { users: number; batches: number };
  leaderboards: (Versus & { period: LeaderboardPeriodType; members: number; ranked: number })[];
  statements: CapturedStatement[];
}

export async function benchFloor(bench: BenchDatabase, o: { iterations: number; log: (line: string) => void }): Promise<FloorBench> {
  const at = new Date(BENCH_NOW);
  const counter = new QueryCounter();
  const db = await openDatabase(bench.url, { wrapAdapter: counter.wrap });
  const raw = await openRaw(bench.provider, bench.url, bench.file);
  const logger = createLogger("warn");
  const services = createServices(db, { defaultTimezone: BENCH_TIMEZONE, now: () => at, logger });
  try {
    // Every user the reminder run looks at, in its batches.
    const batches: ReminderTarget[][] = [];
    let after = 0;
    for (;;) {
      const users = await services.repos.reminders.reminderUsersPage(after, REMINDER_BATCH_SIZE);
      if (users.length === 0) break;
      after = users[users.length - 1]!.id;
      batches.push(await services.reminders.targetsFor(users));
    }
    const users = batches.reduce((n, b) => n + b.length, 0);

    const product: number[] = [];
    const floor: number[] = [];
    const floorSql: number[] = [];
    let same = true;
    let productQueries = 0;
    // Round 0 warms up (JIT, SQLite page cache) and is not counted; then the two sides take turns
    // going first, so neither always finds the cache warmed by the other.
    for (let i = 0; i <= o.iterations; i++) {
      const runProduct = async () => {
        counter.label = "digest:floor-check";
        const q0 = counter.count;
        const t0 = performance.now();
        const built = [];
        for (const b of batches) built.push(await services.reminders.buildMany(b, at));
        if (i > 0) product.push(performance.now() - t0);
        productQueries = counter.count - q0;
        return built;
      };
      const runFloor = async () => {
        const timing: FloorTiming = { sqlMs: 0 };
        const t0 = performance.now();
        const floors = [];
        for (const b of batches) floors.push(await floorDigests(raw, b, at, BENCH_TIMEZONE, timing));
        if (i > 0) {
          floor.push(performance.now() - t0);
          floorSql.push(timing.sqlMs);
        }
        return floors;
      };
      let built: Awaited<ReturnType<typeof runProduct>>;
      let floors: Awaited<ReturnType<typeof runFloor>>;
      if (i % 2 === 0) {
        built = await runProduct();
        floors = await runFloor();
      } else {
        floors = await runFloor();
        built = await runProduct();
      }
      if (i === 0) {
        for (let k = 0; k < batches.length; k++) {
          for (const [userId, d] of built[k]!) {
            if (!isDeepStrictEqual(d.view, floors[k]!.get(userId))) {
              if (same) o.log(`  ! floor digest differs from the product's for user ${userId}`);
              same = false;
            }
          }
        }
      }
    }
    const digests = {
      productMs: median(product),
      floorMs: median(floor),
      floorSqlMs: median(floorSql),
      ratio: median(product) / median(floor),
      productQueries,
      floorQueries: batches.length * 5,
      same,
      iterations: o.iterations,
      users,
      batches: batches.length,
    };
    o.log(`  digests for ${users} users: product ${digests.productMs.toFixed(0)} ms, floor ${digests.floorMs.toFixed(0)} ms (SQL ${digests.floorSqlMs.toFixed(0)} ms) → ${digests.ratio.toFixed(2)}×${same ? "" : " (OUTPUT DIFFERS)"}`);

    // The largest team's leaderboard (the seeded "Whole Company" team holds every rep).
    const ws = await services.repos.workspaces.ensure(BENCH_TEAM_ID, { timezone: BENCH_TIMEZONE });
    const teams = await services.repos.teams.listByWorkspace(ws.id);
    const sizes = await Promise.all(teams.map(async (t) => ({ t, n: (await services.repos.leaderboard.members(t.id)).length })));
    const team = sizes.sort((a, b) => b.n - a.n)[0]?.t;
    const leaderboards: FloorBench["leaderboards"] = [];
    if (team) {
      const date = localDateOf(at, teamZone(team, ws, BENCH_TIMEZONE));
      for (const period of ["week", "quarter"] as const) {
        const p: number[] = [];
        const f: number[] = [];
        const fs: number[] = [];
        let sameBoard = true;
        let queries = 0;
        let members = 0;
        let ranked = 0;
        for (let i = 0; i <= o.iterations * 2; i++) {
          const runProduct = async () => {
            counter.label = `leaderboard:${period}`;
            const q0 = counter.count;
            const t0 = performance.now();
            const view = await services.leaderboards.view(team, ws, period, date);
            if (i > 0) p.push(performance.now() - t0);
            queries = counter.count - q0;
            return view;
          };
          const runFloor = async () => {
            const timing: FloorTiming = { sqlMs: 0 };
            const t0 = performance.now();
            const board = await floorLeaderboard(raw, team, ws, period, date, BENCH_TIMEZONE, timing);
            if (i > 0) {
              f.push(performance.now() - t0);
              fs.push(timing.sqlMs);
            }
            return board;
          };
          let view: Awaited<ReturnType<typeof runProduct>>;
          let fl: Awaited<ReturnType<typeof runFloor>>;
          if (i % 2 === 0) {
            view = await runProduct();
            fl = await runFloor();
          } else {
            fl = await runFloor();
            view = await runProduct();
          }
          members = view.memberCount;
          ranked = view.ranked.length;
          if (i === 0 && !isDeepStrictEqual({ ranked: view.ranked, unranked: view.unranked, memberCount: view.memberCount }, fl)) {
            o.log(`  ! floor leaderboard (${period}) differs from the product's`);
            sameBoard = false;
          }
        }
        const v = {
          period,
          members,
          ranked,
          productMs: median(p),
          floorMs: median(f),
          floorSqlMs: median(fs),
          ratio: median(p) / median(f),
          productQueries: queries,
          floorQueries: period === "week" ? 5 : 4,
          same: sameBoard,
          iterations: o.iterations * 2,
        };
        leaderboards.push(v);
        o.log(`  leaderboard (${period}) of ${members} reps: product ${v.productMs.toFixed(1)} ms, floor ${v.floorMs.toFixed(1)} ms → ${v.ratio.toFixed(2)}×${sameBoard ? "" : " (OUTPUT DIFFERS)"}`);
      }
    }
    return { digests, leaderboards, statements: counter.list() };
  } finally {
    await raw.close();
    await db.close();
  }
}
