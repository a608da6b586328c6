import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { openDatabase, type Database, type Provider } from "../../src/db/client.js";
import { migrate } from "../../src/db/migrate.js";

/** The server tests create their throwaway PostgreSQL databases on. */
export const POSTGRES_ADMIN_URL = process.env.AE_TEST_POSTGRES_URL ?? "postgresql://postgres@127.0.0.1:5432/test";

let postgresReachable: Promise<boolean> | undefined;

/**
 * Whether PostgreSQL answers. In CI it must; locally, PostgreSQL tests are skipped without it. Tests do not
 * call this: the run's globalSetup (global-setup.ts) probes once, and suites ask `providerAvailable` (providers.ts).
 */
export function postgresAvailable(): Promise<boolean> {
  postgresReachable ??= (async () => {
    const client = new pg.Client({ connectionString: POSTGRES_ADMIN_URL, connectionTimeoutMillis: 2000 });
    try {
      await client.connect();
      await client.query("SELECT 1");
      return true;
    } catch {
      if (process.env.CI) throw new Error(`PostgreSQL is required in CI but ${POSTGRES_ADMIN_URL} does not answer`);
      return false;
    } finally {
      await client.end().catch(() => undefined);
    }
  })();
  return postgresReachable;
}

/** Providers to run repository/e2e suites against: both, unless PostgreSQL is unreachable locally. */
export const PROVIDERS: Provider[] = ["sqlite", "postgresql"];

export interface TestDatabase {
  db: Database;
  url: string;
  /** Closes the connection and deletes the database. */
  drop(): Promise<void>;
}

/** A fresh, migrated database of its own: a temp SQLite file, or a new PostgreSQL database. */
export async function createTestDatabase(provider: Provider): Promise<TestDatabase> {
  if (provider === "sqlite") {
    const dir = mkdtempSync(join(tmpdir(), "ae-test-"));
    const url = `file:${join(dir, "test.db")}`;
    const db = await openDatabase(url);
    await migrate(db);
    return {
      db,
      url,
      drop: async () => {
        await db.close();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  }
  const name = `ae_test_${process.pid}_${randomBytes(4).toString("hex")}`;
  const admin = new pg.Client({ connectionString: POSTGRES_ADMIN_URL });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const url = POSTGRES_ADMIN_URL.replace(/\/[^/?]+(\?|$)/, `/${name}$1`);
  const db = await openDatabase(url);
  await migrate(db);
  return {
    db,
    url,
    drop: async () => {
      await db.close();
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
