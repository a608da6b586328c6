import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { openDatabase, type Database, type Provider } from "../../src/db/client.js";
import { migrate } from "../../src/db/migrate.js";
import { AuditCounters } from "../../src/db/audit/audited-client.js";
import { assertEveryWriteAudited, WriteCounter } from "./write-counter.js";

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
  /** Rows written to audited tables, counted at the driver (below Prisma and the audit extension). */
  writes: WriteCounter;
  /** What the audit extension wrote and recorded. */
  audit: AuditCounters;
  /**
   * Closes the connection and deletes the database. First it checks that no write of the test
   * skipped the audit trail: every row the driver wrote to an audited table was seen by the
   * audit extension (test/support/write-counter.ts). A raw write to an audited table fails here.
   */
  drop(): Promise<void>;
}

function auditGap(writes: WriteCounter, audit: AuditCounters): Error | null {
  try {
    assertEveryWriteAudited(writes, audit);
    return null;
  } catch (error) {
    return error instanceof Error ? error : new Error(String(error));
  }
}

function instrumented(): { writes: WriteCounter; audit: AuditCounters; options: { wrapAdapter: WriteCounter["wrap"]; auditCounters: AuditCounters } } {
  const writes = new WriteCounter();
  const audit = new AuditCounters();
  return { writes, audit, options: { wrapAdapter: writes.wrap, auditCounters: audit } };
}

/** A fresh, migrated database of its own: a temp SQLite file, or a new PostgreSQL database. */
export async function createTestDatabase(provider: Provider): Promise<TestDatabase> {
  if (provider === "sqlite") {
    const dir = mkdtempSync(join(tmpdir(), "ae-test-"));
    const url = `file:${join(dir, "test.db")}`;
    const { writes, audit, options } = instrumented();
    const db = await openDatabase(url, options);
    await migrate(db);
    return {
      db,
      url,
      writes,
      audit,
      drop: async () => {
        const skipped = auditGap(writes, audit);
        await db.close();
        rmSync(dir, { recursive: true, force: true });
        if (skipped) throw skipped;
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
  const { writes, audit, options } = instrumented();
  const db = await openDatabase(url, options);
  await migrate(db);
  return {
    db,
    url,
    writes,
    audit,
    drop: async () => {
      const skipped = auditGap(writes, audit);
      await db.close();
      const c = new pg.Client({ connectionString: POSTGRES_ADMIN_URL });
      await c.connect();
      try {
        await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await c.end();
      }
      if (skipped) throw skipped;
    },
  };
}
