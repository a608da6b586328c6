/**
 * "Nothing changed" oracles for reliability tests: the row count of every table, or the full
 * contents of every table, on SQLite and PostgreSQL alike.
 */
import type { Database } from "../../src/db/client.js";

/** Every application table (Prisma's migration table excluded). */
export async function tableNames(db: Database): Promise<string[]> {
  const rows =
    db.provider === "sqlite"
      ? await db.prisma.$queryRawUnsafe<{ name: string }[]>(
          `SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name <> '_prisma_migrations' ORDER BY name`,
        )
      : await db.prisma.$queryRawUnsafe<{ name: string }[]>(
          `SELECT tablename::text AS name FROM pg_tables WHERE schemaname = current_schema() AND tablename <> '_prisma_migrations' ORDER BY tablename`,
        );
  return rows.map((r) => r.name);
}

const namesCache = new WeakMap<Database, Promise<string[]>>();

/** Row count of every table, in one query. `exclude` names tables that may legitimately change. */
export async function tableCounts(db: Database, exclude: string[] = []): Promise<Record<string, number>> {
  let names = namesCache.get(db);
  if (!names) {
    names = tableNames(db);
    namesCache.set(db, names);
  }
  const tables = (await names).filter((n) => !exclude.includes(n));
  const sql = tables.map((n) => `SELECT '${n}' AS t, COUNT(*) AS n FROM "${n}"`).join(" UNION ALL ");
  const rows = await db.prisma.$queryRawUnsafe<{ t: string; n: number | bigint }[]>(sql);
  return Object.fromEntries(rows.map((r) => [r.t, Number(r.n)]));
}

/** Every row of every table (ordered), as one comparable string. */
export async function dbContents(db: Database, exclude: string[] = []): Promise<string> {
  const tables = (await tableNames(db)).filter((n) => !exclude.includes(n));
  const out: Record<string, unknown[]> = {};
  for (const n of tables) out[n] = await db.prisma.$queryRawUnsafe<unknown[]>(`SELECT * FROM "${n}" ORDER BY 1`);
  return JSON.stringify(out, (_k, v: unknown) => (typeof v === "bigint" ? v.toString() : v));
}
