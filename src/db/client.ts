import { mkdirSync } from "node:fs";
import { dirname, isAbsolute, resolve } from "node:path";
import type { PrismaClient as SqlitePrismaClient } from "../generated/sqlite/client.js";
import { withAudit, type AuditCounters, type AuditedClient } from "./audit/audited-client.js";

/**
 * The client type the repositories are written against: the generated client with the audit
 * trail extension (src/db/audit/audited-client.ts), so every write to an audited model is
 * recorded. Both generated clients expose the same model API (the schemas are kept identical by a
 * test), so the PostgreSQL one is used through the SQLite one's type.
 */
export type Db = AuditedClient;

/** A transaction client (the model API without $transaction): what a write inside someone else's transaction takes. */
export type Tx = Parameters<Parameters<Db["$transaction"]>[0]>[0];

export type Provider = "sqlite" | "postgresql";

export interface Database {
  prisma: Db;
  provider: Provider;
  /** Absolute file path for SQLite; undefined for PostgreSQL. */
  sqlitePath?: string;
  url: string;
  close(): Promise<void>;
}

export function providerOf(url: string): Provider {
  return /^postgres(ql)?:\/\//.test(url) ? "postgresql" : "sqlite";
}

export function sqlitePathOf(url: string, cwd = process.cwd()): string {
  const path = url.replace(/^file:/, "").replace(/\?.*$/, "");
  return isAbsolute(path) ? path : resolve(cwd, path);
}

export class DatabaseOpenError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "DatabaseOpenError";
  }
}

export interface OpenDatabaseOptions {
  /**
   * Instrumentation hook: wraps the driver adapter factory before the client is built (the
   * benchmark counts and times every SQL statement this way). Must return an equivalent factory.
   */
  wrapAdapter?: <F extends object>(factory: F) => F;
  /** Counts what the audit extension wrote and recorded (the audit-coverage tests). */
  auditCounters?: AuditCounters;
}

/** Instrumentation applied to every database this process opens (see `instrumentDatabases`). */
let processInstrumentation: OpenDatabaseOptions = {};

/**
 * Applies `opts` to every `openDatabase` in this process until the returned function is called:
 * tests count the writes of CLI commands run in-process, which open their own database. Options
 * passed to `openDatabase` itself win.
 */
export function instrumentDatabases(opts: OpenDatabaseOptions): () => void {
  const before = processInstrumentation;
  processInstrumentation = opts;
  return () => {
    processInstrumentation = before;
  };
}

/** Opens the database named by `url` and checks that it answers. */
export async function openDatabase(url: string, given: OpenDatabaseOptions = {}): Promise<Database> {
  const opts = { ...processInstrumentation, ...given };
  const wrap = opts.wrapAdapter ?? (<F extends object>(f: F): F => f);
  const provider = providerOf(url);
  if (provider === "sqlite") {
    const file = sqlitePathOf(url);
    try {
      mkdirSync(dirname(file), { recursive: true });
    } catch (error) {
      throw new DatabaseOpenError(`cannot create the folder for the SQLite database ${file}`, { cause: error });
    }
    // Each provider's client and driver are loaded only when used: a faster start, less memory.
    const [{ PrismaClient }, { PrismaBetterSQLite3 }, { cacheStatements }] = await Promise.all([
      import("../generated/sqlite/client.js"),
      import("@prisma/adapter-better-sqlite3"),
      import("./sqlite-statement-cache.js"),
    ]);
    // busy timeout: concurrent writers (CLI + bot) wait instead of failing with SQLITE_BUSY.
    const factory = new PrismaBetterSQLite3({ url: file, timeout: 10_000 });
    const connect = factory.connect.bind(factory);
    factory.connect = async () => {
      const adapter = await connect();
      cacheStatements(adapter);
      return adapter;
    };
    const client = new PrismaClient({ adapter: wrap(factory) });
    try {
      // WAL lets readers proceed while a write is in flight; NORMAL sync is durable in WAL mode.
      await client.$queryRawUnsafe("PRAGMA journal_mode = WAL");
      await client.$executeRawUnsafe("PRAGMA synchronous = NORMAL");
      await client.$executeRawUnsafe("PRAGMA foreign_keys = ON");
    } catch (error) {
      await client.$disconnect().catch(() => undefined);
      throw new DatabaseOpenError(`cannot open the SQLite database ${file}`, { cause: error });
    }
    return { prisma: withAudit(client, { counters: opts.auditCounters }), provider, sqlitePath: file, url, close: () => client.$disconnect() };
  }
  const [{ PrismaClient }, { PrismaPg }] = await Promise.all([import("../generated/postgresql/client.js"), import("@prisma/adapter-pg")]);
  const pg = new PrismaClient({ adapter: wrap(new PrismaPg({ connectionString: url, max: 10 })) });
  try {
    await pg.$queryRawUnsafe("SELECT 1");
  } catch (error) {
    await pg.$disconnect().catch(() => undefined);
    throw new DatabaseOpenError(`cannot connect to PostgreSQL at ${redactUrl(url)}`, { cause: error });
  }
  // The two generated clients differ only in provider-specific extras the repositories never use.
  const client = pg as unknown as SqlitePrismaClient;
  return { prisma: withAudit(client, { counters: opts.auditCounters }), provider, url, close: () => pg.$disconnect() };
}

/** Hides the password of a connection URL. */
export function redactUrl(url: string): string {
  return url.replace(/(\/\/[^:/@]+:)[^@]*@/, "$1***@");
}

/** True when the database answers a trivial query. */
export async function ping(db: Database): Promise<boolean> {
  try {
    await db.prisma.$queryRawUnsafe("SELECT 1");
    return true;
  } catch {
    return false;
  }
}
