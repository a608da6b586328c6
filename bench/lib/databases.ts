import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { openDatabase, type Provider } from "../../src/db/client.js";
import { migrate } from "../../src/db/migrate.js";
import { seedBenchData, type SeedOptions, type SeedReport } from "../../src/bench/seed-data.js";

/** The PostgreSQL server the benchmark creates its throwaway databases on. */
export const POSTGRES_ADMIN_URL = process.env.AE_BENCH_POSTGRES_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";

export interface BenchDatabase {
  provider: Provider;
  url: string;
  /** SQLite file path (for the raw driver). */
  file?: string;
  drop(): Promise<void>;
}

const live = new Set<BenchDatabase>();

/** Drops every database still alive (on exit or interrupt). */
export async function dropAll(): Promise<void> {
  for (const db of [...live]) await db.drop().catch(() => undefined);
}

/** A new, empty, migrated database: a temp SQLite file or `ae_bench_<random>` on PostgreSQL. */
export async function createBenchDatabase(provider: Provider): Promise<BenchDatabase> {
  let bench: BenchDatabase;
  if (provider === "sqlite") {
    const dir = mkdtempSync(join(tmpdir(), "ae-bench-"));
    const file = join(dir, "bench.db");
    bench = {
      provider,
      url: `file:${file}`,
      file,
      drop: async () => {
        live.delete(bench);
        rmSync(dir, { recursive: true, force: true });
      },
    };
  } else {
    const name = `ae_bench_${randomBytes(5).toString("hex")}`;
    const admin = new pg.Client({ connectionString: POSTGRES_ADMIN_URL });
    await admin.connect();
    try {
      await admin.query(`CREATE DATABASE ${name}`);
    } finally {
      await admin.end();
    }
    bench = {
      provider,
      url: POSTGRES_ADMIN_URL.replace(/\/[^/?]+(\?|$)/, `/${name}$1`),
      drop: async () => {
        live.delete(bench);
        const c = new pg.Client({ connectionString: POSTGRES_ADMIN_URL });
        await c.connect();
        try {
          await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
        } finally {
          await c.end();
        }
      },
    };
  }
  live.add(bench);
  const db = await openDatabase(bench.url);
  try {
    await migrate(db);
  } finally {
    await db.close();
  }
  return bench;
}

/** Seeds the benchmark data set; on PostgreSQL refreshes the planner's statistics afterwards. */
export async function seed(bench: BenchDatabase, o: SeedOptions): Promise<SeedReport> {
  const db = await openDatabase(bench.url);
  try {
    const report = await seedBenchData(db, o);
    // autovacuum would do this within minutes in production; the plans are judged on real statistics.
    if (bench.provider === "postgresql") await db.prisma.$executeRawUnsafe("ANALYZE");
    return report;
  } finally {
    await db.close();
  }
}
