import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

/**
 * [bench] smoke test: `npm run bench` end to end on a tiny data set (SQLite, 5 reps, few requests,
 * no build or cold start), so the harness keeps working as the product changes. It asserts that
 * it completes and writes its report, never timings. Skip it with AE_SKIP_BENCH=1 (or
 * `vitest run -t '^(?!.*\\[bench\\])'`).
 */
describe.skipIf(process.env.AE_SKIP_BENCH === "1")("[bench] npm run bench --quick", () => {
  it("runs every section on 5 reps and writes the results", { timeout: 120_000 }, () => {
    const dir = mkdtempSync(join(tmpdir(), "ae-bench-smoke-"));
    const out = join(dir, "results.json");
    try {
      const r = spawnSync(
        process.execPath,
        ["--import", "tsx", "bench/run.ts", "--quick", "--reps", "5", "--db", "sqlite", "--requests", "16", "--rates", "20", "--search-rates", "20,40", "--open-loop-seconds", "1", "--skip", "cold", "--no-build", "--out", out],
        { cwd: process.cwd(), encoding: "utf8", timeout: 110_000 },
      );
      expect(r.status, r.stdout + r.stderr).toBe(0);
      expect(r.stdout).toContain("AE Assistant benchmark");
      const report = JSON.parse(readFileSync(out, "utf8")) as {
        providers: { sqlite: { commands: { results: { requests: number; errors: number }[]; openLoop: { rate: number; requests: number; errors: number }[]; maxRate: { tried: unknown[] } }; reminders: { median: { sent: number; queries: number } }; rateLimited: { sent: number; maxRowRetries: number }; floor: { digests: { same: boolean } }; explain: { fail: number } } };
      };
      const sqlite = report.providers.sqlite;
      expect(sqlite.commands.results.length).toBeGreaterThanOrEqual(5);
      for (const c of sqlite.commands.results) expect(c).toMatchObject({ requests: 16, errors: 0 });
      expect(sqlite.commands.openLoop).toEqual([expect.objectContaining({ rate: 20, requests: 20, errors: 0 })]);
      expect(sqlite.commands.maxRate.tried.length).toBeGreaterThanOrEqual(1);
      expect(sqlite.reminders.median.sent).toBe(5);
      expect(sqlite.rateLimited).toMatchObject({ sent: 5, maxRowRetries: 0 });
      expect(sqlite.floor.digests.same).toBe(true);
      expect(sqlite.explain.fail).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
