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
