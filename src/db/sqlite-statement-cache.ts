import BetterSqlite3 from "better-sqlite3";

type Statement = BetterSqlite3.Statement<unknown[], unknown>;

/** What Prisma's better-sqlite3 adapter (6.19) does with a prepared statement, and nothing more. */
interface BoundStatement {
  readonly reader: boolean;
  run(): BetterSqlite3.RunResult;
  columns(): BetterSqlite3.ColumnDefinition[];
  raw(): { all(): unknown[] };
}

interface CachedStatement extends BoundStatement {
  bind(args: unknown[]): BoundStatement;
}

/**
 * Keeps prepared statements for reuse on the better-sqlite3 connection inside Prisma's SQLite
 * adapter. The adapter calls `prepare(sql).bind(args)` for every query, and `bind` fixes the
 * parameters for good, so a statement is never reused: compiling the SQL again was 7 % of the
 * app's CPU per command (profiled with `--cpu-prof`). Here `prepare` returns a cached statement
 * behind a small wrapper whose `bind` only remembers the arguments and passes them to each call.
 * Safe because better-sqlite3 is synchronous: a statement finishes (`all()` collects every row)
 * before another query can use it. At most `size` statements are kept (least recently used go).
 *
 * Returns false, and changes nothing, when the adapter does not hold a better-sqlite3 connection
 * where 6.19 keeps it (a test fails then, so an adapter upgrade cannot silently drop the cache).
 */
export function cacheStatements(adapter: object, size = 500): boolean {
  const client: unknown = Reflect.get(adapter, "client");
  if (!(client instanceof BetterSqlite3)) return false;
  const compile = client.prepare.bind(client) as (sql: string) => Statement;
  const cache = new Map<string, Statement>();
  const statement = (sql: string): Statement => {
    let s = cache.get(sql);
    if (s) {
      cache.delete(sql); // re-inserted below: Map order is the recency order
    } else {
      s = compile(sql);
      if (cache.size >= size) cache.delete(cache.keys().next().value ?? "");
    }
    cache.set(sql, s);
    return s;
  };
  const bound = (s: Statement, args: unknown[]): BoundStatement => ({
    reader: s.reader,
    run: () => s.run(...args),
    columns: () => s.columns(),
    raw: () => ({ all: () => s.raw(true).all(...args) }),
  });
  const prepare = (sql: string): CachedStatement => {
    const s = statement(sql);
    return { ...bound(s, []), bind: (args) => bound(s, args) };
  };
  Object.defineProperty(client, "prepare", { value: prepare, configurable: true });
  return true;
}
