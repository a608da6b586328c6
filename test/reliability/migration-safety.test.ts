/**
 * Migrations run each in a transaction: a migration that fails half-way leaves the database at the
 * previous migration — no partial table, no half-altered table, no row it inserted, and no record
 * of it in `_prisma_migrations` — and once fixed it applies cleanly. Both providers run DDL
 * transactionally. (The runner is pointed at a temporary migrations folder.)
 */
import { randomBytes } from "node:crypto";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { afterEach, expect, it } from "vitest";
import { openDatabase, type Database, type Provider } from "../../src/db/client.js";
import { migrate, migrationStatus, readMigrations } from "../../src/db/migrate.js";
import { describeEachProvider } from "../support/providers.js";
import { POSTGRES_ADMIN_URL } from "../support/test-database.js";

const FIRST = `-- CreateTable
CREATE TABLE "Alpha" (
    "id" INTEGER NOT NULL PRIMARY KEY,
    "name" TEXT NOT NULL
);
INSERT INTO "Alpha" ("id", "name") VALUES (1, 'kept');
`;

const SECOND_BROKEN = `-- CreateTable
CREATE TABLE "Beta" (
    "id" INTEGER NOT NULL PRIMARY KEY
);
ALTER TABLE "Alpha" ADD COLUMN "extra" TEXT;
INSERT INTO "Alpha" ("id", "name") VALUES (2, 'partial');
INSERT INTO "DoesNotExist" ("id") VALUES (1);
`;

const SECOND_FIXED = `-- CreateTable
CREATE TABLE "Beta" (
    "id" INTEGER NOT NULL PRIMARY KEY
);
ALTER TABLE "Alpha" ADD COLUMN "extra" TEXT;
`;

/** An empty database: a temp SQLite file or a new PostgreSQL database. */
async function emptyDatabase(provider: Provider): Promise<{ db: Database; drop: () => Promise<void> }> {
  if (provider === "sqlite") {
    const dir = mkdtempSync(join(tmpdir(), "ae-migrate-"));
    const db = await openDatabase(`file:${join(dir, "test.db")}`);
    return { db, drop: async () => (await db.close(), rmSync(dir, { recursive: true, force: true })) };
  }
  const name = `ae_migrate_${process.pid}_${randomBytes(4).toString("hex")}`;
  const admin = new pg.Client({ connectionString: POSTGRES_ADMIN_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`).finally(() => admin.end());
  const db = await openDatabase(POSTGRES_ADMIN_URL.replace(/\/[^/?]+(\?|$)/, `/${name}$1`));
  return {
    db,
    drop: async () => {
      await db.close();
      const c = new pg.Client({ connectionString: POSTGRES_ADMIN_URL });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`).finally(() => c.end());
    },
  };
}

async function tables(db: Database): Promise<string[]> {
  const rows =
    db.provider === "sqlite"
      ? await db.prisma.$queryRawUnsafe<{ name: string }[]>(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name`)
      : await db.prisma.$queryRawUnsafe<{ name: string }[]>(`SELECT tablename::text AS name FROM pg_tables WHERE schemaname = current_schema() ORDER BY tablename`);
  return rows.map((r) => r.name);
}

async function columns(db: Database, table: string): Promise<string[]> {
  const rows =
    db.provider === "sqlite"
      ? await db.prisma.$queryRawUnsafe<{ name: string }[]>(`SELECT name FROM pragma_table_info('${table}') ORDER BY cid`)
      : await db.prisma.$queryRawUnsafe<{ name: string }[]>(`SELECT column_name::text AS name FROM information_schema.columns WHERE table_name = '${table}' ORDER BY ordinal_position`);
  return rows.map((r) => r.name);
}

let cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanup.reverse()) await c();
  cleanup = [];
});

describeEachProvider("a migration that fails half-way [%s]", (provider) => {
  it("leaves the database at the previous migration, then applies once fixed", async () => {
    const dir = mkdtempSync(join(tmpdir(), "ae-migrations-"));
    cleanup.push(async () => rmSync(dir, { recursive: true, force: true }));
    const write = (name: string, sql: string) => {
      mkdirSync(join(dir, name), { recursive: true });
      writeFileSync(join(dir, name, "migration.sql"), sql);
    };
    write("20260101000000_first", FIRST);
    write("20260102000000_second", SECOND_BROKEN);
    const { db, drop } = await emptyDatabase(provider);
    cleanup.push(drop);

    await expect(migrate(db, dir)).rejects.toThrow(/DoesNotExist/);

    // The first migration is applied and recorded; nothing of the second is left.
    expect(await tables(db)).toEqual(["Alpha", "_prisma_migrations"]);
    expect(await columns(db, "Alpha")).toEqual(["id", "name"]);
    expect(await db.prisma.$queryRawUnsafe(`SELECT "id", "name" FROM "Alpha" ORDER BY "id"`)).toEqual([{ id: 1, name: "kept" }]);
    const recorded = await db.prisma.$queryRawUnsafe<{ migration_name: string }[]>(`SELECT migration_name FROM "_prisma_migrations" ORDER BY migration_name`);
    expect(recorded.map((r) => r.migration_name)).toEqual(["20260101000000_first"]);
    expect(await migrationStatus(db, dir)).toEqual({ applied: ["20260101000000_first"], pending: ["20260102000000_second"], problems: [] });

    // Fixed, it applies; running again finds nothing to do.
    write("20260102000000_second", SECOND_FIXED);
    expect(await migrate(db, dir)).toEqual(["20260102000000_second"]);
    expect(await tables(db)).toEqual(["Alpha", "Beta", "_prisma_migrations"]);
    expect(await columns(db, "Alpha")).toEqual(["id", "name", "extra"]);
    expect(await migrate(db, dir)).toEqual([]);
  });
});

/** One row in every table of the first migration, linked as the app links them (raw SQL: the schema of that day). */
const SEED_AT_INIT = [
  `INSERT INTO "Workspace" ("id", "slackTeamId", "updatedAt") VALUES (1, 'T1', '2026-11-27T10:00:00.000+00:00')`,
  `INSERT INTO "Holiday" ("id", "workspaceId", "date") VALUES (1, 1, '2026-12-25')`,
  `INSERT INTO "User" ("id", "workspaceId", "slackUserId", "timezone", "updatedAt") VALUES (1, 1, 'U1', 'Europe/Berlin', '2026-11-27T10:00:00.000+00:00')`,
  `INSERT INTO "Team" ("id", "workspaceId", "name", "nameKey", "managerId", "updatedAt") VALUES (1, 1, 'East', 'east', 1, '2026-11-27T10:00:00.000+00:00')`,
  `INSERT INTO "TeamMember" ("teamId", "userId") VALUES (1, 1)`,
  `INSERT INTO "Account" ("id", "workspaceId", "ownerId", "name", "nameKey", "updatedAt") VALUES (1, 1, 1, 'Acme', 'acme', '2026-11-27T10:00:00.000+00:00')`,
  `INSERT INTO "Contact" ("id", "accountId", "name", "nameKey", "updatedAt") VALUES (1, 1, 'Jo Doe', 'jo doe', '2026-11-27T10:00:00.000+00:00')`,
  `INSERT INTO "Touch" ("id", "accountId", "userId", "kind", "occurredAt") VALUES (1, 1, 1, 'call', '2026-11-27T10:00:00.000+00:00')`,
  `INSERT INTO "TouchParticipant" ("touchId", "slackUserId", "userId") VALUES (1, 'U1', 1)`,
  `INSERT INTO "FollowUp" ("id", "accountId", "userId", "title", "dueAt", "updatedAt") VALUES (1, 1, 1, 'Call back', '2026-11-28T00:00:00.000+00:00', '2026-11-27T10:00:00.000+00:00')`,
  `INSERT INTO "Deal" ("id", "accountId", "ownerId", "amountCents", "updatedAt") VALUES (1, 1, 1, 500000, '2026-11-27T10:00:00.000+00:00')`,
  `INSERT INTO "Quota" ("id", "userId", "periodType", "periodStart", "amountCents", "updatedAt") VALUES (1, 1, 'quarter', '2026-10-01', 9000000, '2026-11-27T10:00:00.000+00:00')`,
  `INSERT INTO "CompPlan" ("id", "userId", "commissionRate", "effectiveFrom", "updatedAt") VALUES (1, 1, 0.1, '2026-01-01', '2026-11-27T10:00:00.000+00:00')`,
  `INSERT INTO "Gift" ("id", "workspaceId", "accountId", "contactId", "userId", "recipientName", "recipientKey", "amountCents", "givenOn", "description") VALUES (1, 1, 1, 1, 1, 'Jo Doe', 'jo doe', 5000, '2026-11-20', 'Wine')`,
  `INSERT INTO "Outbox" ("id", "recipientType", "recipient", "localDate", "kind", "payload", "updatedAt") VALUES (1, 'user', 'U1', '2026-11-27', 'digest', '{"text":"kept"}', '2026-11-27T10:00:00.000+00:00')`,
];

async function rowCounts(db: Database, names: string[]): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const name of names) {
    const [row] = await db.prisma.$queryRawUnsafe<{ n: number | bigint }[]>(`SELECT COUNT(*) AS n FROM "${name}"`);
    counts[name] = Number(row?.n ?? 0);
  }
  return counts;
}

describeEachProvider("upgrading a database that holds data [%s]", (provider) => {
  // The regression: on SQLite a migration that rebuilds a table (Prisma's "RedefineTables") ran with
  // foreign keys on, because PRAGMA foreign_keys=OFF does nothing inside the migration's
  // transaction, and DROP TABLE "Workspace" cascaded into every table pointing at it.
  it("keeps every row through every later migration, one migration at a time", async () => {
    const dir = mkdtempSync(join(tmpdir(), "ae-migrations-"));
    cleanup.push(async () => rmSync(dir, { recursive: true, force: true }));
    const all = readMigrations(provider);
    const { db, drop } = await emptyDatabase(provider);
    cleanup.push(drop);
    const add = (m: (typeof all)[number]) => {
      mkdirSync(join(dir, m.name), { recursive: true });
      writeFileSync(join(dir, m.name, "migration.sql"), m.sql);
    };
    add(all[0]!);
    expect(await migrate(db, dir)).toEqual([all[0]!.name]);
    for (const statement of SEED_AT_INIT) await db.prisma.$executeRawUnsafe(statement);
    const before = await rowCounts(db, (await tables(db)).filter((n) => n !== "_prisma_migrations"));
    const seeded = Object.keys(before).filter((n) => before[n]! > 0);
    // Every table of the first migration holds a row, except the scheduler's bookkeeping.
    expect(Object.keys(before).filter((n) => before[n] === 0).sort()).toEqual(["JobLease", "ProcessedRequest"]);

    for (const m of all.slice(1)) {
      add(m);
      expect(await migrate(db, dir)).toEqual([m.name]);
      const now = await tables(db);
      // Every table that is still there keeps its rows (a table may be rebuilt, never emptied).
      const kept = await rowCounts(db, seeded.filter((n) => now.includes(n)));
      for (const [name, n] of Object.entries(kept)) expect(n, `${name} after ${m.name}`).toBe(before[name]);
    }
    // The message planned before the outbox was split still goes out: it moved into OutboxBody.
    expect(await db.prisma.$queryRawUnsafe(`SELECT "outboxId", "payload" FROM "OutboxBody"`)).toEqual([{ outboxId: 1, payload: '{"text":"kept"}' }]);
  });

  it("refuses a migration that would leave rows pointing at nothing, and keeps the database as it was [sqlite only checks]", async () => {
    if (provider !== "sqlite") return; // PostgreSQL enforces its foreign keys inside the transaction by itself.
    const dir = mkdtempSync(join(tmpdir(), "ae-migrations-"));
    cleanup.push(async () => rmSync(dir, { recursive: true, force: true }));
    const write = (name: string, sql: string) => {
      mkdirSync(join(dir, name), { recursive: true });
      writeFileSync(join(dir, name, "migration.sql"), sql);
    };
    write("20260101000000_parent", `CREATE TABLE "P" ("id" INTEGER NOT NULL PRIMARY KEY);\nCREATE TABLE "C" ("id" INTEGER NOT NULL PRIMARY KEY, "pId" INTEGER NOT NULL, CONSTRAINT "C_p" FOREIGN KEY ("pId") REFERENCES "P" ("id") ON DELETE CASCADE);\nINSERT INTO "P" ("id") VALUES (1);\nINSERT INTO "C" ("id", "pId") VALUES (1, 1);\n`);
    const { db, drop } = await emptyDatabase(provider);
    cleanup.push(drop);
    await migrate(db, dir);
    write("20260102000000_orphans", `DELETE FROM "P";\n`);
    await expect(migrate(db, dir)).rejects.toThrow(/20260102000000_orphans leaves 1 row\(s\) pointing at nothing \(C → P\)/);
    expect(await db.prisma.$queryRawUnsafe(`SELECT COUNT(*) AS n FROM "P"`)).toEqual([{ n: 1n }]);
    // Rows left dangling before (a hand edit with the keys off) do not block a migration that adds none.
    write("20260102000000_orphans", `CREATE TABLE "Other" ("id" INTEGER NOT NULL PRIMARY KEY);\n`);
    await db.prisma.$executeRawUnsafe("PRAGMA foreign_keys = OFF");
    await db.prisma.$executeRawUnsafe(`INSERT INTO "C" ("id", "pId") VALUES (2, 99)`);
    await db.prisma.$executeRawUnsafe("PRAGMA foreign_keys = ON");
    expect(await migrate(db, dir)).toEqual(["20260102000000_orphans"]);
    // Foreign keys are on again for the app afterwards.
    expect(await db.prisma.$queryRawUnsafe(`PRAGMA foreign_keys`)).toEqual([{ foreign_keys: 1n }]);
  });
});
