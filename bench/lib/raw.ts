/**
 * The raw drivers (better-sqlite3, pg) with no ORM: for the floor measurements and EXPLAIN.
 * SQL is written with `?` placeholders and numbered for PostgreSQL; `ids(list)` expands an id list
 * (`IN (?, ?, …)` on SQLite, `= ANY(?::int[])` on PostgreSQL).
 */
import BetterSqlite3 from "better-sqlite3";
import pg from "pg";
import type { Provider } from "../../src/db/client.js";

export interface RawDb {
  provider: Provider;
  all<T>(sql: string, params?: unknown[]): Promise<T[]>;
  /** An instant as the column stores it. */
  time(d: Date): unknown;
  /** `"col" IN (…)` for a list of ids, appending the parameters. */
  inList(column: string, ids: readonly number[], params: unknown[]): string;
  /** The query plan, one line per step. */
  explain(sql: string, args: unknown[], argTypes: unknown[]): Promise<string[]>;
  close(): Promise<void>;
}

/** Prisma's SQLite argument mapping (see @prisma/adapter-better-sqlite3 mapArg), for EXPLAIN. */
function sqliteArg(arg: unknown, type: unknown): unknown {
  const scalar = typeof type === "object" && type !== null ? (type as { scalarType?: string }).scalarType : undefined;
  if (arg === null || arg === undefined) return null;
  if (typeof arg === "boolean") return arg ? 1 : 0;
  if (typeof arg === "string" && scalar === "int") return Number.parseInt(arg, 10);
  if (typeof arg === "string" && (scalar === "float" || scalar === "decimal")) return Number.parseFloat(arg);
  if (typeof arg === "string" && scalar === "bigint") return BigInt(arg);
  if (typeof arg === "string" && scalar === "datetime") return new Date(arg).toISOString().replace("Z", "+00:00");
  if (arg instanceof Date) return arg.toISOString().replace("Z", "+00:00");
  if (Array.isArray(arg)) return JSON.stringify(arg);
  return arg;
}

export function openRawSqlite(file: string): RawDb {
  const db = new BetterSqlite3(file, { timeout: 10_000 });
  db.pragma("journal_mode = WAL");
  const cache = new Map<string, BetterSqlite3.Statement>();
  const prepared = (sql: string) => {
    let s = cache.get(sql);
    if (!s) {
      s = db.prepare(sql);
      cache.set(sql, s);
    }
    return s;
  };
  return {
    provider: "sqlite",
    all: async <T>(sql: string, params: unknown[] = []) => prepared(sql).all(...params) as T[],
    time: (d) => d.toISOString().replace("Z", "+00:00"),
    inList: (column, ids, params) => {
      params.push(...ids);
      return `${column} IN (${ids.map(() => "?").join(", ")})`;
    },
    explain: async (sql, args, argTypes) => {
      const rows = db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...args.map((a, i) => sqliteArg(a, argTypes[i]))) as { detail: string }[];
      return rows.map((r) => r.detail);
    },
    close: async () => {
      db.close();
    },
  };
}

const TIMESTAMP_OID = 1114;
const INT8_OID = 20;
const NUMERIC_OID = 1700;

/** UTC wall time, as Prisma stores DateTime in `timestamp(3)` columns. */
function pgTime(d: Date): string {
  return d.toISOString().replace("T", " ").replace("Z", "");
}

export async function openRawPg(url: string): Promise<RawDb> {
  const types = {
    getTypeParser: ((oid: number, format?: string) => {
      if (oid === TIMESTAMP_OID) return (s: string) => new Date(`${s.replace(" ", "T")}Z`);
      if (oid === INT8_OID || oid === NUMERIC_OID) return (s: string) => Number(s);
      return pg.types.getTypeParser(oid, format as "text");
    }) as typeof pg.types.getTypeParser,
  };
  // A pool like the product's (10 connections), so independent queries run side by side as there.
  const pool = new pg.Pool({ connectionString: url, types, max: 10 });
  const number = (sql: string) => {
    let n = 0;
    return sql.replace(/\?/g, () => `$${++n}`);
  };
  return {
    provider: "postgresql",
    all: async <T>(sql: string, params: unknown[] = []) => {
      // Unnamed statements, planned for their values each time (as Prisma's adapter sends them):
      // a named one gets a generic plan after five runs, which is worse for range counts.
      const r = await pool.query({ text: number(sql), values: params });
      return r.rows as T[];
    },
    time: (d) => pgTime(d),
    inList: (column, ids, params) => {
      params.push([...ids]);
      return `${column} = ANY(?::int[])`;
    },
    explain: async (sql, args) => {
      const values = args.map((a) => (a instanceof Date ? pgTime(a) : a));
      const r = await pool.query<{ "QUERY PLAN": string }>(`EXPLAIN ${sql}`, values);
      return r.rows.map((row) => row["QUERY PLAN"]);
    },
    close: () => pool.end(),
  };
}

export function openRaw(provider: Provider, url: string, file?: string): Promise<RawDb> {
  if (provider === "sqlite") {
    if (!file) throw new Error("SQLite needs a file");
    return Promise.resolve(openRawSqlite(file));
  }
  return openRawPg(url);
}
