import { AsyncLocalStorage } from "node:async_hooks";
import { UNKNOWN_ACTOR, type AuditActor } from "../../domain/audit.js";
import type { Sql } from "../sql.js";

/**
 * Who is acting, carried with the work instead of threaded through every call: each entry point
 * runs its work inside `runAs` (the Bolt middleware per request, the CLI per command, the
 * scheduler per job, the CRM pull per pass), and the audited client reads it on every write.
 * A write outside any scope is recorded with the actor "unknown", which tests look for.
 */

/** The raw-SQL side of a transaction client, which is all the audit writer needs. */
export interface AuditTx {
  $queryRaw<T = unknown>(query: TemplateStringsArray | Sql, ...values: unknown[]): PromiseLike<T>;
  $executeRaw(query: TemplateStringsArray | Sql, ...values: unknown[]): PromiseLike<number>;
}

export interface AuditScope {
  /** Mutable: the Slack middleware fills in the person once the actor is resolved. */
  actor: AuditActor;
  /** The clock the events are stamped with (the app's `now`, frozen in tests and `jobs run --at`). */
  now?: () => Date;
  /**
   * "omit": the writes are recorded (what, which fields, who, when) without their values — an
   * erasure or a purge must not copy what it removes into the trail.
   */
  values: "record" | "omit";
  /** Why (stored on each event written in this scope, e.g. the legal basis of an erasure). */
  note?: string;
  /** The interactive transaction the work is in (set by the audited client's `$transaction`). */
  tx?: AuditTx & object;
  /** Data keys already read in this transaction. */
  keys?: Map<string, Buffer>;
}

const storage = new AsyncLocalStorage<AuditScope>();

/**
 * Runs `fn` in `scope` and awaits its result there. Awaiting inside matters: a Prisma query is a
 * lazy promise that runs when awaited, so returning it unawaited would run it outside the scope.
 */
function runIn<T>(scope: AuditScope, fn: () => T | PromiseLike<T>): Promise<T> {
  return storage.run(scope, async () => await fn());
}

/** The current scope; undefined outside every `runAs`. */
export function currentAuditScope(): AuditScope | undefined {
  return storage.getStore();
}

/** The actor of the current scope, or UNKNOWN_ACTOR. */
export function currentActor(): AuditActor {
  return storage.getStore()?.actor ?? UNKNOWN_ACTOR;
}

/**
 * Fills in who the current actor is once it is known (the Slack middleware resolves the person
 * lazily; a CLI command finds its workspace). Does nothing outside a scope.
 */
export function identifyActor(patch: Pick<AuditActor, "userId" | "workspaceId">): void {
  const scope = storage.getStore();
  if (!scope || scope.actor === UNKNOWN_ACTOR) return;
  if (patch.userId !== undefined) scope.actor.userId = patch.userId;
  if (patch.workspaceId !== undefined) scope.actor.workspaceId = patch.workspaceId;
}

export interface RunAsOptions {
  now?: () => Date;
  values?: "record" | "omit";
  note?: string;
}

/**
 * Runs `fn` with `actor` as the one acting. Nested calls replace the actor (a CRM pull started by
 * the CLI is the sync), keep the clock unless given, and never inherit a transaction: a new
 * `runAs` is new work.
 */
export function runAs<T>(actor: AuditActor, fn: () => T | PromiseLike<T>, opts: RunAsOptions = {}): Promise<T> {
  const outer = storage.getStore();
  // A copy: identifyActor fills it in for this scope only.
  return runIn({ actor: { ...actor }, now: opts.now ?? outer?.now, values: opts.values ?? "record", note: opts.note }, fn);
}

/**
 * Runs `fn` as the current actor but with values omitted (an erasure, a purge) and `note` on each
 * event. Keeps the current transaction: it is a part of the same work.
 */
export function withoutValues<T>(note: string, fn: () => T | PromiseLike<T>): Promise<T> {
  const outer = storage.getStore();
  return runIn({ ...(outer ?? { actor: UNKNOWN_ACTOR }), values: "omit", note }, fn);
}

/** Runs `fn` inside transaction `tx` (the audited client's `$transaction`). */
export function inTransaction<T>(tx: AuditTx & object, fn: () => T | PromiseLike<T>): Promise<T> {
  const outer = storage.getStore();
  return runIn({ ...(outer ?? { actor: UNKNOWN_ACTOR, values: "record" }), tx, keys: new Map() }, fn);
}

/**
 * Runs `fn` as the current actor but outside the current transaction: for work a transaction only
 * wraps for a lock (KeyedLock's advisory lock) while its writes go through the plain client.
 */
export function outsideTransaction<T>(fn: () => T | PromiseLike<T>): Promise<T> {
  const outer = storage.getStore();
  if (!outer?.tx) return runIn(outer ?? { actor: UNKNOWN_ACTOR, values: "record" }, fn);
  const { tx: _tx, keys: _keys, ...rest } = outer;
  return runIn(rest, fn);
}
