import type { Database } from "./client.js";
import { outsideTransaction } from "./audit/audit-scope.js";

/**
 * Serializes a check-then-write (e.g. "is this gift still under the recipient's limit? then save")
 * per key: in-process with a promise chain, and across replicas on PostgreSQL with a
 * transaction-scoped advisory lock, released when the work ends or the process dies.
 * (SQLite deployments run one bot process, which the in-process chain covers.)
 */
export class KeyedLock {
  private readonly tails = new Map<string, Promise<unknown>>();

  constructor(private readonly db: Database) {}

  async run<T>(key: string, fn: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(key) ?? Promise.resolve();
    const current = previous.catch(() => undefined).then(() => this.acrossReplicas(key, fn));
    this.tails.set(key, current);
    try {
      return await current;
    } finally {
      if (this.tails.get(key) === current) this.tails.delete(key);
    }
  }

  private acrossReplicas<T>(key: string, fn: () => Promise<T>): Promise<T> {
    if (this.db.provider !== "postgresql") return fn();
    return this.db.prisma.$transaction(
      async (tx) => {
        await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${key}))`;
        // The transaction only holds the lock; fn's writes go through the plain client and are
        // audited in transactions of their own, not in this one.
        return outsideTransaction(fn);
      },
      { timeout: 30_000, maxWait: 30_000 },
    );
  }
}
