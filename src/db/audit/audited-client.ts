import { auditedModel, onlyBookkeeping, UNKNOWN_ACTOR, type AuditedModel, type AuditRow } from "../../domain/audit.js";
import { inChunks, insertRows, join, raw, sql, updateRow, type Sql } from "../sql.js";
import type { PrismaClient } from "../../generated/sqlite/client.js";
import { currentAuditScope, inTransaction, type AuditScope, type AuditTx } from "./audit-scope.js";
import { recordChanges } from "./audit-writer.js";

/**
 * The audit trail at the data layer: a Prisma client extension that records every write to an
 * audited model (src/domain/audit.ts) — who, when, which fields, the values before and after — in
 * the same transaction as the write. Repositories do nothing for it, and code written later is
 * audited the same way. docs/DEVELOPING.md → "The audit trail" has the rules:
 *
 * - A write inside `$transaction` is recorded in that transaction (the client's `$transaction`
 *   puts the transaction into the audit scope, src/db/audit/audit-scope.ts). A write outside one
 *   runs again inside a transaction of its own, so the record and the change commit together.
 * - A write that sets only bookkeeping columns (`updatedAt`, `Account.lastTouchAt`, …) passes
 *   straight through: logging a touch stays as fast as before.
 * - Values before a change are read in the transaction before it runs; values after it, from
 *   the write's result or read back by key.
 * - Nested writes into related models (`data: { contacts: { create: … } }`) are refused: the
 *   related rows would change without a record. Write them through their own model.
 * - Raw SQL (`$executeRaw`) is not seen here. A hot path that must UPDATE or DELETE an audited
 *   table by hand goes through `$auditedExecute` (below); test/db/audit-coverage.test.ts fails on
 *   a raw write to an audited table anywhere else, and every test database checks at the driver
 *   that no row was written without the extension seeing it (test/support/write-counter.ts).
 */

const WRITES = new Set([
  "create",
  "createMany",
  "createManyAndReturn",
  "update",
  "updateMany",
  "updateManyAndReturn",
  "upsert",
  "delete",
  "deleteMany",
]);

/** Relation operations that would write other rows than the one named. */
const NESTED_WRITES = new Set(["create", "createMany", "connectOrCreate", "upsert", "update", "updateMany", "delete", "deleteMany", "set", "disconnect"]);

/** A hand-written write touched rows it did not name (so they could not be recorded): rolled back. */
export class AuditRawWriteError extends Error {
  override name = "AuditRawWriteError";
}

export class AuditNestedWriteError extends Error {
  override name = "AuditNestedWriteError";
}

/** An update of a column that is never changed once written (a gift entry's content). */
export class FrozenColumnError extends Error {
  override name = "FrozenColumnError";
}

/**
 * Counts per model, for the test that no write skips the trail: rows the extension wrote (and so
 * saw), events it recorded, and rows written whose audited columns did not change.
 */
export class AuditCounters {
  readonly written = new Map<string, number>();
  readonly recorded = new Map<string, number>();
  readonly unchanged = new Map<string, number>();

  add(model: string, written: number, recorded: number, unchanged: number): void {
    const bump = (m: Map<string, number>, n: number) => m.set(model, (m.get(model) ?? 0) + n);
    bump(this.written, written);
    bump(this.recorded, recorded);
    bump(this.unchanged, unchanged);
  }
}

export interface AuditOptions {
  counters?: AuditCounters;
}

type Obj = Record<string, unknown>;

function isObj(v: unknown): v is Obj {
  return typeof v === "object" && v !== null && !Array.isArray(v) && !(v instanceof Date);
}

function prop(v: unknown, key: string): unknown {
  return isObj(v) ? v[key] : undefined;
}

/** Columns a `data` argument sets (an array of them for createMany). */
function dataColumns(data: unknown): string[] {
  if (Array.isArray(data)) return [...new Set(data.flatMap((d) => (isObj(d) ? Object.keys(d) : [])))];
  return isObj(data) ? Object.keys(data) : [];
}

function refuseFrozen(model: AuditedModel, data: unknown): void {
  if (!model.frozen) return;
  const hit = dataColumns(data).filter((c) => model.frozen?.columns.has(c));
  if (hit.length > 0) throw new FrozenColumnError(`${model.model}.${hit.join(", ")}: ${model.frozen.reason}`);
}

function refuseNestedWrites(model: AuditedModel, data: unknown): void {
  for (const item of Array.isArray(data) ? data : [data]) {
    if (!isObj(item)) continue;
    for (const [field, value] of Object.entries(item)) {
      if (isObj(value) && Object.keys(value).some((k) => NESTED_WRITES.has(k))) {
        throw new AuditNestedWriteError(
          `${model.model}.${field}: nested writes to related records are not audited; write them through their own model (docs/DEVELOPING.md → "The audit trail")`,
        );
      }
    }
  }
}

/** A scalar column value (relations come back as objects or arrays and are left out). */
function isScalar(v: unknown): boolean {
  return v === null || v instanceof Date || (typeof v !== "object" && typeof v !== "function");
}

function scalars(row: unknown): AuditRow | null {
  if (!isObj(row)) return null;
  return Object.fromEntries(Object.entries(row).filter(([, v]) => isScalar(v)));
}

interface Delegate {
  findUnique(args: Obj): PromiseLike<unknown>;
  findMany(args: Obj): PromiseLike<unknown>;
}

function isDelegate(v: unknown): v is Delegate & Obj {
  return isObj(v) && typeof v.findUnique === "function" && typeof v.findMany === "function";
}

function delegateOf(client: object, model: AuditedModel): Delegate & Obj {
  const d: unknown = Reflect.get(client, model.model[0]!.toLowerCase() + model.model.slice(1));
  if (!isDelegate(d)) throw new Error(`no Prisma delegate for ${model.model}`);
  return d;
}

/** Calls `client.<model>.<operation>(args)`: the same write, on a transaction's client. */
async function callOperation(client: object, model: AuditedModel, operation: string, args: unknown): Promise<unknown> {
  const delegate = delegateOf(client, model);
  const fn: unknown = delegate[operation];
  if (typeof fn !== "function") throw new Error(`${model.model}.${operation} is not a Prisma operation`);
  const result: unknown = await Reflect.apply(fn, delegate, [args]);
  return result;
}

function rowsOf(v: unknown): AuditRow[] {
  return Array.isArray(v) ? v.map(scalars).filter((r): r is AuditRow => r !== null) : [];
}

function keyWhere(model: AuditedModel, row: AuditRow): Obj {
  return Object.fromEntries(model.key.map((k) => [k, row[k]]));
}

/** Reads rows back by primary key, all their columns, in chunks. */
async function readBack(tx: object, model: AuditedModel, keys: readonly AuditRow[]): Promise<AuditRow[]> {
  const out: AuditRow[] = [];
  for (let i = 0; i < keys.length; i += 500) {
    const chunk = keys.slice(i, i + 500);
    const where = model.key.length === 1 ? { [model.key[0]!]: { in: chunk.map((r) => r[model.key[0]!]) } } : { OR: chunk.map((r) => keyWhere(model, r)) };
    out.push(...rowsOf(await delegateOf(tx, model).findMany({ where })));
  }
  learnScalars(model, out);
  return out;
}

/** Pairs rows read before with rows read after by primary key (a row missing after was deleted). */
function pairByKey(model: AuditedModel, before: readonly AuditRow[], after: readonly AuditRow[]): [AuditRow | null, AuditRow | null][] {
  const id = (r: AuditRow) => model.key.map((k) => String(r[k])).join(":");
  const afterById = new Map(after.map((r) => [id(r), r]));
  return before.map((b) => [b, afterById.get(id(b)) ?? null]);
}

/** Scalar columns per model, learned from the first full row read: a select of scalars only can then be served from the full row. */
const SCALARS = new Map<string, ReadonlySet<string>>();

function learnScalars(model: AuditedModel, rows: readonly AuditRow[]): void {
  if (!SCALARS.has(model.model) && rows[0]) SCALARS.set(model.model, new Set(Object.keys(rows[0])));
}

interface Shaped {
  args: unknown;
  /** The result lacks columns: the full row is read back. */
  partial: boolean;
  /** What the caller gets from the full result: only these columns (a select of scalars). */
  only?: readonly string[];
  /** Key columns added to the caller's select, removed from what they get. */
  added: readonly string[];
}

/**
 * A write whose `select` names scalars only runs without it (its full result is what the trail
 * records) and gives the caller just those columns: no second read (DealRepository.create selects
 * `id`). Another `select` or an `omit` makes the result partial: the key columns are selected too
 * (and removed again from what the caller gets), and the full row is read back.
 */
function shapeArgs(model: AuditedModel, args: unknown): Shaped {
  const select = prop(args, "select");
  if (isObj(select) && isObj(args)) {
    const scalars = SCALARS.get(model.model);
    const keys = Object.keys(select);
    if (scalars && keys.every((k) => select[k] === true && scalars.has(k))) {
      const { select: _select, ...rest } = args;
      return { args: rest, partial: false, only: keys, added: [] };
    }
    const added = model.key.filter((k) => select[k] !== true);
    return { args: { ...args, select: { ...select, ...Object.fromEntries(added.map((k) => [k, true])) } }, partial: true, added };
  }
  return { args, partial: prop(args, "omit") !== undefined, added: [] };
}

function shapeResult(result: unknown, s: Shaped): unknown {
  const pick = (r: unknown) => (isObj(r) ? Object.fromEntries(Object.entries(r).filter(([k]) => (s.only ? s.only.includes(k) : !s.added.includes(k)))) : r);
  if (!s.only && s.added.length === 0) return result;
  return Array.isArray(result) ? result.map(pick) : pick(result);
}

type Query = (args: unknown) => PromiseLike<unknown>;

/** The transaction a single write gets of its own: wait for a turn as long as SQLite's busy timeout (10 s). */
const OWN_TRANSACTION = { maxWait: 10_000, timeout: 30_000 } as const;

interface WriteCall {
  model: AuditedModel;
  operation: string;
  args: unknown;
  query: Query;
}

/** The write, inside `tx`, recorded. */
async function recordWrite(tx: AuditTx & object, scope: AuditScope, call: WriteCall, counters?: AuditCounters): Promise<unknown> {
  const { model, operation, args, query } = call;
  let pairs: [AuditRow | null, AuditRow | null][];
  let result: unknown;
  const where = prop(args, "where");
  switch (operation) {
    case "create":
    case "createManyAndReturn": {
      const s = shapeArgs(model, args);
      result = await query(s.args);
      const created = operation === "create" ? rowsOf([result]) : rowsOf(result);
      const rows = s.partial ? await readBack(tx, model, created) : created;
      pairs = rows.map((r) => [null, r]);
      result = shapeResult(result, s);
      break;
    }
    case "createMany": {
      // Recorded through createManyAndReturn (which this extension audits), so the ids are known.
      const rows = await callOperation(tx, model, "createManyAndReturn", args);
      return { count: Array.isArray(rows) ? rows.length : 0 };
    }
    case "update":
    case "upsert":
    case "delete": {
      const before = scalars(await delegateOf(tx, model).findUnique({ where: isObj(where) ? where : {} }));
      if (before) learnScalars(model, [before]);
      const s = shapeArgs(model, args);
      result = await query(s.args);
      if (operation === "delete") pairs = before ? [[before, null]] : [];
      else {
        const written = rowsOf([result]);
        const after = s.partial ? await readBack(tx, model, written) : written;
        pairs = [[before, after[0] ?? null]];
      }
      result = shapeResult(result, s);
      break;
    }
    case "updateMany":
    case "updateManyAndReturn":
    case "deleteMany": {
      const before = rowsOf(await delegateOf(tx, model).findMany({ where: isObj(where) ? where : {} }));
      learnScalars(model, before);
      result = await query(args);
      pairs = operation === "deleteMany" ? before.map((b) => [b, null]) : pairByKey(model, before, await readBack(tx, model, before));
      break;
    }
    default:
      throw new Error(`unexpected write ${model.model}.${operation}`);
  }
  const { recorded, unchanged } = await recordChanges(tx, scope, model, pairs);
  // An upsert of an existing row whose update sets nothing audited writes no audited row
  // (WorkspaceRepository.ensure: `update: {}` sends no UPDATE at all).
  const upsertedNothing = operation === "upsert" && pairs[0]?.[0] != null && onlyBookkeeping(model, dataColumns(prop(args, "update")));
  counters?.add(model.model, upsertedNothing ? 0 : pairs.length, recorded, upsertedNothing ? 0 : unchanged);
  return result;
}

/** True when the write sets nothing the trail records (then it passes straight through). */
function isBookkeeping(model: AuditedModel, operation: string, args: unknown): boolean {
  if (operation === "update" || operation === "updateMany" || operation === "updateManyAndReturn") {
    return onlyBookkeeping(model, dataColumns(prop(args, "data")));
  }
  return false;
}

/**
 * Wraps a Prisma client so that every write to an audited model is recorded (see the top of this
 * file). The result has the same model API; its `$transaction` takes a function only (a batch of
 * queries could not carry the records).
 */
export function withAudit(base: PrismaClient, opts: AuditOptions = {}) {
  const write = async (call: WriteCall): Promise<unknown> => {
    const { model, operation, args, query } = call;
    refuseNestedWrites(model, prop(args, "data"));
    if (operation === "upsert") {
      refuseNestedWrites(model, prop(args, "create"));
      refuseNestedWrites(model, prop(args, "update"));
      refuseFrozen(model, prop(args, "update"));
    }
    if (operation.startsWith("update")) refuseFrozen(model, prop(args, "data"));
    if (isBookkeeping(model, operation, args)) return query(args);
    const scope = currentAuditScope();
    if (scope?.tx) return recordWrite(scope.tx, scope, call, opts.counters);
    // Not in a transaction: the same call again, inside one, through the transaction's client
    // (it arrives back here with the transaction in scope). Waits as long as SQLite's busy
    // timeout for its turn: a burst of writes queues for the one writer instead of failing.
    return inner.$transaction((tx) => inTransaction(tx, () => callOperation(tx, model, operation, args)), OWN_TRANSACTION);
  };

  const inner = base.$extends({
    name: "audit",
    query: {
      $allModels: {
        $allOperations({ model, operation, args, query }) {
          const config = auditedModel(model);
          if (!config || !WRITES.has(operation)) return query(args);
          return write({ model: config, operation, args, query: (a) => query(a as typeof args) });
        },
      },
    },
  });

  type Tx = Parameters<Parameters<typeof inner.$transaction>[0]>[0];
  const raw = rawWrites(inner, opts);
  return inner.$extends({
    name: "audit-transactions",
    client: {
      /**
       * An interactive transaction whose writes are recorded in it. Its client also has the
       * recorded raw writes (`tx.$auditedExecute`, `tx.$auditedInsert`, `tx.$auditedUpdate`).
       */
      $transaction<R>(fn: (tx: Tx & AuditedRawWrites) => Promise<R>, options?: { maxWait?: number; timeout?: number }): Promise<R> {
        return inner.$transaction((tx) => inTransaction(tx, () => fn(withRawWrites(tx, raw))), options);
      },
      ...raw,
    },
  });
}

/**
 * Hand-written writes to audited tables, recorded like any other write, in the current transaction
 * (or one of their own). For hot paths that cannot afford a Prisma model query per row: the CRM
 * pull writes pages of up to 2,000 records this way. Each call reads the rows it names before and
 * after with one `SELECT *` per 10,000 ids (typed exactly as a model query's rows) and records them
 * with one INSERT of data keys and one of events, however many rows it wrote.
 */
export interface AuditedRawWrites {
  /**
   * One UPDATE or DELETE statement. The rows `ids` names are read before and after it; a statement
   * that writes any other row is rolled back with an AuditRawWriteError. Returns the rows written.
   */
  $auditedExecute(model: string, ids: readonly number[], statement: Sql): Promise<number>;
  /** Multi-row INSERTs (db/sql.ts `insertRows`); returns the created rows, every column. */
  $auditedInsert(model: string, rows: readonly Record<string, unknown>[]): Promise<AuditRow[]>;
  /**
   * One UPDATE per row (db/sql.ts `updateRow`), only the given columns. Rows whose update sets only
   * bookkeeping columns pass straight through, as a model update's would. Returns the rows written.
   */
  $auditedUpdate(model: string, updates: readonly RowUpdate[]): Promise<number>;
}

/** An update of one row by its id: the columns to set. */
export interface RowUpdate {
  id: number;
  data: Readonly<Record<string, unknown>>;
}

function singleKeyModel(model: string, method: string): AuditedModel & { key: readonly [string] } {
  const config = auditedModel(model);
  if (!config || config.key.length !== 1) throw new Error(`${method}: ${model} is not an audited model with a single key`);
  return { ...config, key: [config.key[0]!] };
}

/** Whole rows by primary key, hand-written (`SELECT *` comes back as the model's rows do; db/sql.ts). */
async function selectByIds(tx: AuditTx, model: AuditedModel & { key: readonly [string] }, ids: readonly number[]): Promise<AuditRow[]> {
  const out: AuditRow[] = [];
  const table = raw(`"${model.model}"`);
  const key = raw(`"${model.key[0]}"`);
  for (const chunk of inChunks(ids)) out.push(...(await tx.$queryRaw<AuditRow[]>(sql`SELECT * FROM ${table} WHERE ${key} IN (${join(chunk)})`)));
  return out;
}

type TransactionRunner = <R>(fn: (tx: AuditTx & object) => Promise<R>, options: typeof OWN_TRANSACTION) => Promise<R>;

function rawWrites(inner: { $transaction: TransactionRunner }, opts: AuditOptions): AuditedRawWrites {
  /** `run` in the current transaction, or in one of its own. */
  const inTx = async <T>(run: (tx: AuditTx & object, scope: AuditScope) => Promise<T>): Promise<T> => {
    const scope = currentAuditScope();
    if (scope?.tx) return run(scope.tx, scope);
    return inner.$transaction((tx) => inTransaction(tx, () => run(tx, currentAuditScope() ?? { actor: UNKNOWN_ACTOR, values: "record" })), OWN_TRANSACTION);
  };
  return {
    async $auditedExecute(model, ids, statement) {
      const config = singleKeyModel(model, "$auditedExecute");
      return inTx(async (tx, scope) => {
        const before = await selectByIds(tx, config, ids);
        const written = await tx.$executeRaw(statement);
        if (written > before.length) {
          // Counted as the driver counted it (the transaction is rolled back by the throw).
          opts.counters?.add(config.model, written, 0, 0);
          throw new AuditRawWriteError(`$auditedExecute on ${model} wrote ${written} rows but named ${before.length}`);
        }
        const pairs = pairByKey(config, before, await selectByIds(tx, config, ids));
        // Rows named but left as they were are neither written nor recorded.
        const { recorded } = await recordChanges(tx, scope, config, pairs);
        opts.counters?.add(config.model, written, recorded, written - recorded);
        return written;
      });
    },
    async $auditedInsert(model, rows) {
      const config = singleKeyModel(model, "$auditedInsert");
      if (rows.length === 0) return [];
      return inTx(async (tx, scope) => {
        const created: AuditRow[] = [];
        for (const statement of insertRows(config.model, rows, { returning: "*" })) created.push(...(await tx.$queryRaw<AuditRow[]>(statement)));
        const { recorded, unchanged } = await recordChanges(tx, scope, config, created.map((r) => [null, r] as const));
        opts.counters?.add(config.model, created.length, recorded, unchanged);
        return created;
      });
    },
    async $auditedUpdate(model, updates) {
      const config = singleKeyModel(model, "$auditedUpdate");
      if (updates.length === 0) return 0;
      return inTx(async (tx, scope) => {
        const audited = new Set(updates.filter((u) => !onlyBookkeeping(config, Object.keys(u.data))).map((u) => u.id));
        const before = await selectByIds(tx, config, [...audited]);
        let written = 0;
        let auditedWritten = 0;
        for (const u of updates) {
          const n = await tx.$executeRaw(updateRow(config.model, u.id, u.data));
          written += n;
          if (audited.has(u.id)) auditedWritten += n;
        }
        const pairs = pairByKey(config, before, await selectByIds(tx, config, [...audited]));
        const { recorded } = await recordChanges(tx, scope, config, pairs);
        opts.counters?.add(config.model, auditedWritten, recorded, auditedWritten - recorded);
        return written;
      });
    },
  };
}

/** The transaction's client with the recorded raw writes on it (they find the transaction in the audit scope). */
function withRawWrites<T extends object>(tx: T, writes: AuditedRawWrites): T & AuditedRawWrites {
  return new Proxy(tx, {
    get: (target, prop) => (typeof prop === "string" && Object.hasOwn(writes, prop) ? Reflect.get(writes, prop) : Reflect.get(target, prop)),
  }) as T & AuditedRawWrites;
}

export type AuditedClient = ReturnType<typeof withAudit>;
