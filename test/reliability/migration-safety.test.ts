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
import { migrate, migrationStatus } from "../../src/db/migrate.js";
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
