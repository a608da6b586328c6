import { createHash, randomUUID } from "node:crypto";
import { readdirSync, readFileSync, existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import type { Database } from "./client.js";

/**
 * Applies prisma/(postgresql/)migrations in order and records each in `_prisma_migrations` exactly
 * as `prisma migrate deploy` does (same table, sha256 checksum, timestamps), so Prisma's own
 * tooling (`migrate status`) agrees with what was applied. We run the SQL ourselves because
 * Prisma 6.19's PostgreSQL adapter cannot run `migrate deploy` offline (see README → Database).
 */

const PROJECT_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");

export function migrationsDir(provider: Database["provider"]): string {
  return join(PROJECT_ROOT, "prisma", ...(provider === "postgresql" ? ["postgresql"] : []), "migrations");
}

export interface MigrationFile {
  name: string;
  sql: string;
  checksum: string;
}

/** The migrations in `dir` (default: the provider's folder under prisma/), in name order. */
export function readMigrations(provider: Database["provider"], dir: string = migrationsDir(provider)): MigrationFile[] {
  return readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isDirectory() && existsSync(join(dir, e.name, "migration.sql")))
    .map((e) => e.name)
    .sort()
    .map((name) => {
      const sql = readFileSync(join(dir, name, "migration.sql"), "utf8");
      return { name, sql, checksum: createHash("sha256").update(sql).digest("hex") };
    });
}

const CREATE_TABLE = {
  sqlite: `CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
    "id"                    TEXT PRIMARY KEY NOT NULL,
    "checksum"              TEXT NOT NULL,
    "finished_at"           DATETIME,
    "migration_name"        TEXT NOT NULL,
    "logs"                  TEXT,
    "rolled_back_at"        DATETIME,
    "started_at"            DATETIME NOT NULL DEFAULT current_timestamp,
    "applied_steps_count"   INTEGER UNSIGNED NOT NULL DEFAULT 0
)`,
  postgresql: `CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
    "id"                    VARCHAR(36) PRIMARY KEY NOT NULL,
    "checksum"              VARCHAR(64) NOT NULL,
    "finished_at"           TIMESTAMPTZ,
    "migration_name"        VARCHAR(255) NOT NULL,
    "logs"                  TEXT,
    "rolled_back_at"        TIMESTAMPTZ,
    "started_at"            TIMESTAMPTZ NOT NULL DEFAULT now(),
    "applied_steps_count"   INTEGER NOT NULL DEFAULT 0
)`,
};

/** Splits a Prisma-generated migration into statements (they end with ';' at end of line). */
export function splitStatements(sql: string): string[] {
  return sql
    .split(/;\s*(?:\r?\n|$)/)
    .map((s) => s.replace(/^\s*--.*$/gm, "").trim())
    .filter((s) => s.length > 0);
}

export interface MigrationStatus {
  applied: string[];
  pending: string[];
  /** Applied migrations whose file changed since (checksum mismatch) or that failed half-way. */
  problems: string[];
}

interface AppliedRow {
  migration_name: string;
  checksum: string;
  finished_at: unknown;
  rolled_back_at: unknown;
}

async function appliedRows(db: Database): Promise<AppliedRow[]> {
  await db.prisma.$executeRawUnsafe(CREATE_TABLE[db.provider]);
  return db.prisma.$queryRawUnsafe<AppliedRow[]>(
    `SELECT migration_name, checksum, finished_at, rolled_back_at FROM "_prisma_migrations" ORDER BY started_at`,
  );
}

export async function migrationStatus(db: Database, dir?: string): Promise<MigrationStatus> {
  const files = readMigrations(db.provider, dir);
  const rows = (await appliedRows(db)).filter((r) => r.rolled_back_at === null);
  const byName = new Map(rows.map((r) => [r.migration_name, r]));
  const status: MigrationStatus = { applied: [], pending: [], problems: [] };
  for (const f of files) {
    const row = byName.get(f.name);
    if (!row) status.pending.push(f.name);
    else if (row.finished_at === null) status.problems.push(`${f.name} started but did not finish`);
    else if (row.checksum !== f.checksum) status.problems.push(`${f.name} was modified after it was applied`);
    else status.applied.push(f.name);
  }
  return status;
}

const PG_LOCK_KEY = 7_230_115_001; // any constant: serializes migrations across replicas

/**
 * Applies every pending migration, each in its own transaction (both SQLite and PostgreSQL run DDL
 * transactionally), so a failure leaves the database at the previous migration. Returns the names
 * applied. On PostgreSQL an advisory lock keeps replicas starting together from racing.
 * `dir` overrides the migrations folder (tests).
 *
 * On SQLite, foreign keys are switched off around each migration (and checked before it commits).
 * Prisma's SQLite migrations change a table by creating a new one, copying the rows, and dropping
 * the old one, with `PRAGMA foreign_keys=OFF` in the script, but that pragma does nothing inside a
 * transaction: with the keys on, `DROP TABLE "Workspace"` runs an implicit DELETE whose ON DELETE
 * CASCADE empties every table that points at it (users, accounts, touches …).
 */
export async function migrate(db: Database, dir?: string): Promise<string[]> {
  const run = async (): Promise<string[]> => {
    const status = await migrationStatus(db, dir);
    if (status.problems.length > 0) {
      throw new Error(`migration history problem: ${status.problems.join("; ")}`);
    }
    const applied: string[] = [];
    for (const file of readMigrations(db.provider, dir)) {
      if (!status.pending.includes(file.name)) continue;
      if (db.provider === "sqlite") {
        // Outside the transaction, where the pragma takes effect (one connection: the adapter's).
        await db.prisma.$executeRawUnsafe("PRAGMA foreign_keys = OFF");
        try {
          await applyMigration(db, file);
        } finally {
          await db.prisma.$executeRawUnsafe("PRAGMA foreign_keys = ON");
        }
      } else {
        await applyMigration(db, file);
      }
      applied.push(file.name);
    }
    return applied;
  };
  if (db.provider !== "postgresql") return run();
  return db.prisma.$transaction(async (tx) => {
    // Transaction-scoped advisory lock: released even if this process dies.
    await tx.$executeRawUnsafe(`SELECT pg_advisory_xact_lock(${PG_LOCK_KEY})`);
    return run();
  }, { timeout: 300_000, maxWait: 300_000 });
}

/** One migration and its `_prisma_migrations` row, in one transaction. */
async function applyMigration(db: Database, file: MigrationFile): Promise<void> {
  const statements = splitStatements(file.sql);
  const id = randomUUID();
  await db.prisma.$transaction(async (tx) => {
    const startedAt = new Date().toISOString();
    // With the keys off, nothing else would notice a migration that leaves dangling references. Only
    // new ones refuse it: rows a hand edit left dangling before must not block every later upgrade.
    const danglingBefore = db.provider === "sqlite" ? await danglingReferences(tx) : new Map<string, number>();
    for (const statement of statements) await tx.$executeRawUnsafe(statement);
    if (db.provider === "sqlite") {
      const added = [...(await danglingReferences(tx))].filter(([where, n]) => n > (danglingBefore.get(where) ?? 0));
      if (added.length > 0) {
        const count = added.reduce((sum, [where, n]) => sum + n - (danglingBefore.get(where) ?? 0), 0);
        throw new Error(`migration ${file.name} leaves ${count} row(s) pointing at nothing (${added.map(([where]) => where).join(", ")})`);
      }
    }
    const [p1, p2, p3, p4, p5, p6] = params(db.provider, 6);
    const stamp = (d: Date) => (db.provider === "postgresql" ? d : isoWithOffset(d));
    await tx.$executeRawUnsafe(
      `INSERT INTO "_prisma_migrations" (id, checksum, finished_at, migration_name, started_at, applied_steps_count)
       VALUES (${p1}, ${p2}, ${p3}, ${p4}, ${p5}, ${p6})`,
      id,
      file.checksum,
      stamp(new Date()),
      file.name,
      stamp(new Date(startedAt)),
      1,
    );
  }, { timeout: 120_000, maxWait: 30_000 });
}

/** SQLite rows whose foreign key points at nothing, counted per "table → parent". */
async function danglingReferences(tx: Pick<Database["prisma"], "$queryRawUnsafe">): Promise<Map<string, number>> {
  const rows = await tx.$queryRawUnsafe<{ table: string; parent: string }[]>("PRAGMA foreign_key_check");
  const counts = new Map<string, number>();
  for (const r of rows) counts.set(`${r.table} → ${r.parent}`, (counts.get(`${r.table} → ${r.parent}`) ?? 0) + 1);
  return counts;
}

/** Prisma's SQLite format for these columns: 2026-11-27T00:00:35.051+00:00 */
function isoWithOffset(d: Date): string {
  return d.toISOString().replace("Z", "+00:00");
}

/** Positional placeholders in each dialect: ?, ? … for SQLite; $1, $2 … for PostgreSQL. */
export function params(provider: Database["provider"], count: number): string[] {
  return Array.from({ length: count }, (_, i) => (provider === "postgresql" ? `$${i + 1}` : "?"));
}
