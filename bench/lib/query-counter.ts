/**
 * Counts and times every SQL statement at the driver adapter (below Prisma), so raw queries,
 * the statements Prisma generates for `include`s and transactions are all seen. Plug it in with
 * `openDatabase(url, { wrapAdapter: counter.wrap })`.
 */

type Fn = (...args: unknown[]) => unknown;

export interface StatementStats {
  sql: string;
  /** Arguments of the first execution (for EXPLAIN), with Prisma's argument types. */
  args: unknown[];
  argTypes: unknown[];
  count: number;
  ms: number;
  /** The labels (phases) it was seen in. */
  labels: Set<string>;
}

export interface CapturedStatement {
  sql: string;
  args: unknown[];
  argTypes: unknown[];
  count: number;
  ms: number;
  labels: string[];
}

export class QueryCounter {
  count = 0;
  ms = 0;
  /** Label of the current phase; statements remember the labels they ran under. */
  label = "";
  readonly statements = new Map<string, StatementStats>();
  /** Whether to keep distinct statements (for EXPLAIN); counting alone is cheaper. */
  collect = true;

  private record(query: unknown, ms: number): void {
    this.count++;
    this.ms += ms;
    if (!this.collect || typeof query !== "object" || query === null) return;
    const q = query as { sql?: unknown; args?: unknown; argTypes?: unknown };
    if (typeof q.sql !== "string") return;
    let s = this.statements.get(q.sql);
    if (!s) {
      s = {
        sql: q.sql,
        args: Array.isArray(q.args) ? [...(q.args as unknown[])] : [],
        argTypes: Array.isArray(q.argTypes) ? [...(q.argTypes as unknown[])] : [],
        count: 0,
        ms: 0,
        labels: new Set(),
      };
      this.statements.set(q.sql, s);
    }
    s.count++;
    s.ms += ms;
    if (this.label) s.labels.add(this.label);
  }

  private queryable<Q extends object>(target: Q): Q {
    return new Proxy(target, {
      get: (t, prop) => {
        const value: unknown = Reflect.get(t, prop, t);
        if (typeof value !== "function") return value;
        const fn = value as Fn;
        if (prop === "queryRaw" || prop === "executeRaw") {
          return async (...args: unknown[]) => {
            const t0 = performance.now();
            try {
              return await fn.apply(t, args);
            } finally {
              this.record(args[0], performance.now() - t0);
            }
          };
        }
        if (prop === "startTransaction") {
          return async (...args: unknown[]) => this.queryable((await fn.apply(t, args)) as object);
        }
        return fn.bind(t);
      },
    });
  }

  /** Wraps a Prisma driver adapter factory (PrismaBetterSQLite3, PrismaPg). */
  readonly wrap = <F extends object>(factory: F): F =>
    new Proxy(factory, {
      get: (t, prop) => {
        const value: unknown = Reflect.get(t, prop, t);
        if (typeof value !== "function") return value;
        const fn = value as Fn;
        if (prop === "connect" || prop === "connectToShadowDb") {
          return async (...args: unknown[]) => this.queryable((await fn.apply(t, args)) as object);
        }
        return fn.bind(t);
      },
    });

  snapshot(): { count: number; ms: number } {
    return { count: this.count, ms: this.ms };
  }

  /** The distinct statements seen, as plain data (for IPC and EXPLAIN). */
  list(): CapturedStatement[] {
    return [...this.statements.values()].map((s) => ({ sql: s.sql, args: s.args, argTypes: s.argTypes, count: s.count, ms: s.ms, labels: [...s.labels] }));
  }
}
