import { empty as emptySql, join as joinSql, raw as rawSql, sqltag, type Sql as PrismaSql } from "@prisma/client/runtime/client";

/**
 * Hand-written SQL for hot paths. A Prisma model query costs about 0.5–1 ms before it does any
 * work (its query is compiled by the client's WASM query compiler every time); `$queryRaw` skips
 * that step (~0.2 ms). Hot reads that run per command or per reminder batch are written in SQL that
 * both SQLite and PostgreSQL accept: quoted identifiers, parameters for every value (booleans and
 * dates included, so each driver adapter encodes them as it stores them), no provider functions.
 * `SELECT *` of one table comes back exactly as the model query returns it (same fields and types).
 */
export const sql = sqltag;
export const join = joinSql;
export const empty = emptySql;
/** Verbatim SQL: for constant identifiers only, never for values. */
export const raw = rawSql;
export type Sql = PrismaSql;

/** A count or sum from an aggregate: SQLite gives number or bigint, PostgreSQL bigint or Decimal. */
export function toNumber(value: unknown): number {
  if (value === null || value === undefined) return 0;
  if (typeof value === "number") return value;
  if (typeof value === "bigint") return Number(value);
  return Number(String(value));
}

/** Bound parameters per statement: under SQLite's 32,766 and PostgreSQL's 65,535. */
const MAX_PARAMETERS = 30_000;

function identifier(name: string): Sql {
  // Table and column names are constants of ours, never input; checked so a mistake cannot inject.
  if (!/^[A-Za-z][A-Za-z0-9]*$/.test(name)) throw new Error(`not an identifier: ${name}`);
  return raw(`"${name}"`);
}

/**
 * Multi-row INSERTs of `rows` into `table`, as few statements as the parameter limit allows: the
 * columns are the first row's keys (every row has the same ones; leave a column out for its
 * default). `returning` adds RETURNING (columns, or `"*"` for the whole rows, which both databases
 * return typed as `SELECT *` does); `onConflictDoNothing` skips rows that hit a unique key. A bulk
 * write this way costs one statement per 30,000 values instead of Prisma's per-row work in its
 * query compiler. On an audited table use `$auditedInsert` (src/db/audit/audited-client.ts).
 */
export function insertRows(
  table: string,
  rows: readonly Record<string, unknown>[],
  opts: { returning?: readonly string[] | "*"; onConflictDoNothing?: readonly string[] } = {},
): Sql[] {
  const first = rows[0];
  if (!first) return [];
  const columns = Object.keys(first);
  const per = Math.max(1, Math.floor(MAX_PARAMETERS / columns.length));
  const head = sql`INSERT INTO ${identifier(table)} (${join(columns.map(identifier), ", ")}) VALUES `;
  const conflict = opts.onConflictDoNothing ? sql` ON CONFLICT (${join(opts.onConflictDoNothing.map(identifier), ", ")}) DO NOTHING` : empty;
  const returning = opts.returning === "*" ? raw(" RETURNING *") : opts.returning?.length ? sql` RETURNING ${join(opts.returning.map(identifier), ", ")}` : empty;
  const out: Sql[] = [];
  for (let i = 0; i < rows.length; i += per) {
    const values = rows.slice(i, i + per).map((r) => sql`(${join(columns.map((c) => r[c] ?? null))})`);
    out.push(sql`${head}${join(values, ", ")}${conflict}${returning}`);
  }
  return out;
}

/** `UPDATE table SET …data WHERE id = …`: one row, only the given columns. On an audited table use `$auditedUpdate`. */
export function updateRow(table: string, id: number, data: Readonly<Record<string, unknown>>): Sql {
  const sets = Object.entries(data).map(([column, value]) => sql`${identifier(column)} = ${value ?? null}`);
  return sql`UPDATE ${identifier(table)} SET ${join(sets, ", ")} WHERE "id" = ${id}`;
}

/** Splits a long IN (…) list into statements of at most `MAX_PARAMETERS` values. */
export function inChunks<T>(values: readonly T[], size = 10_000): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < values.length; i += size) out.push(values.slice(i, i + size));
  return out;
}
