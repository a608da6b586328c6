import { auditedModel, onlyBookkeeping } from "../../src/domain/audit.js";
import type { AuditCounters } from "../../src/db/audit/audited-client.js";

/**
 * Counts the rows every SQL statement writes to an audited table, at the driver adapter — below
 * Prisma and below the audit extension, so a raw `$executeRaw`, a nested write or any path the
 * extension does not see is counted too. Statements that set only bookkeeping columns are left
 * out, as the extension leaves them out. Compared with what the extension wrote
 * (`AuditCounters.written`), a difference is a write that skipped the trail.
 */
export class WriteCounter {
  /** Audited model → rows written. */
  readonly rows = new Map<string, number>();
  /** The statements that wrote audited rows, for the message when counts differ. */
  readonly statements: string[] = [];
  /** Write statements per table (any table, audited or not), for tests that count statements. */
  readonly statementsTo = new Map<string, number>();

  private count(sql: string, rows: number): void {
    const target = writeTarget(sql);
    if (!target) return;
    this.statementsTo.set(target.table, (this.statementsTo.get(target.table) ?? 0) + 1);
    if (rows <= 0) return;
    const model = auditedModel(target.table);
    if (!model) return;
    if (target.setColumns && onlyBookkeeping(model, target.setColumns)) return;
    this.rows.set(model.model, (this.rows.get(model.model) ?? 0) + rows);
    if (this.statements.length < 200) this.statements.push(sql.slice(0, 200));
  }

  private queryable<Q extends object>(target: Q): Q {
    return new Proxy(target, {
      get: (t, prop) => {
        const value: unknown = Reflect.get(t, prop, t);
        if (typeof value !== "function") return value;
        if (prop === "queryRaw" || prop === "executeRaw") {
          return async (...args: unknown[]) => {
            const result: unknown = await Reflect.apply(value, t, args);
            const sql = sqlOf(args[0]);
            if (sql) this.count(sql, typeof result === "number" ? result : rowCount(result));
            return result;
          };
        }
        if (prop === "startTransaction") {
          return async (...args: unknown[]) => {
            const tx: unknown = await Reflect.apply(value, t, args);
            return typeof tx === "object" && tx !== null ? this.queryable(tx) : tx;
          };
        }
        return (...args: unknown[]): unknown => Reflect.apply(value, t, args);
      },
    });
  }

  /** Wraps a Prisma driver adapter factory (`openDatabase(url, { wrapAdapter: counter.wrap })`). */
  readonly wrap = <F extends object>(factory: F): F =>
    new Proxy(factory, {
      get: (t, prop) => {
        const value: unknown = Reflect.get(t, prop, t);
        if (typeof value !== "function") return value;
        if (prop === "connect") {
          return async (...args: unknown[]) => {
            const adapter: unknown = await Reflect.apply(value, t, args);
            return typeof adapter === "object" && adapter !== null ? this.queryable(adapter) : adapter;
          };
        }
        return (...args: unknown[]): unknown => Reflect.apply(value, t, args);
      },
    });
}

function sqlOf(query: unknown): string | null {
  if (typeof query !== "object" || query === null) return null;
  const sql: unknown = Reflect.get(query, "sql");
  return typeof sql === "string" ? sql : null;
}

function rowCount(result: unknown): number {
  if (typeof result !== "object" || result === null) return 0;
  const rows: unknown = Reflect.get(result, "rows");
  return Array.isArray(rows) ? rows.length : 0;
}

/** The table an INSERT, UPDATE or DELETE writes, and for an UPDATE the columns it sets. */
export function writeTarget(sql: string): { table: string; setColumns?: string[] } | null {
  // `main`.`Account` (Prisma on SQLite), "public"."Account" (PostgreSQL), "Account" (hand-written).
  const table = String.raw`(?:["\x60]?\w+["\x60]?\.)?["\x60]?(\w+)["\x60]?`;
  const insert = new RegExp(String.raw`^\s*INSERT\s+INTO\s+${table}`, "i").exec(sql);
  if (insert) return { table: insert[1]! };
  const del = new RegExp(String.raw`^\s*DELETE\s+FROM\s+${table}`, "i").exec(sql);
  if (del) return { table: del[1]! };
  const update = new RegExp(String.raw`^\s*UPDATE\s+${table}\s+SET\s+([\s\S]*?)\s+(?:WHERE|RETURNING|FROM)\b`, "i").exec(sql) ?? new RegExp(String.raw`^\s*UPDATE\s+${table}\s+SET\s+([\s\S]*)$`, "i").exec(sql);
  if (update) return { table: update[1]!, setColumns: [...update[2]!.matchAll(/["`](\w+)["`]\s*=/g)].map((m) => m[1]!) };
  return null;
}

/**
 * Throws when a table was written without the extension seeing it (driver rows ≠ rows the
 * extension wrote), naming the table and the statements.
 */
export function assertEveryWriteAudited(writes: WriteCounter, audit: AuditCounters): void {
  const models = new Set([...writes.rows.keys(), ...audit.written.keys()]);
  const problems: string[] = [];
  for (const m of models) {
    const driver = writes.rows.get(m) ?? 0;
    const seen = audit.written.get(m) ?? 0;
    if (driver !== seen) problems.push(`${m}: ${driver} rows written at the driver, ${seen} seen by the audit extension`);
  }
  if (problems.length > 0) {
    throw new Error(`writes skipped the audit trail:\n  ${problems.join("\n  ")}\nstatements:\n  ${writes.statements.slice(-20).join("\n  ")}`);
  }
}
