import type { Db } from "../client.js";

/**
 * Job leases: one replica at a time plans a scheduled job. A lease that is not renewed expires,
 * so a crashed holder never blocks the job for long.
 */
export class JobLeaseRepository {
  constructor(private readonly db: Db) {}

  /** Takes or renews the lease; true when `holder` has it until now + ttl. */
  async acquire(name: string, holder: string, now: Date, ttlMs: number): Promise<boolean> {
    const expiresAt = new Date(now.getTime() + ttlMs);
    // One conditional UPDATE: atomic on both databases, so two replicas cannot both win.
    const taken = await this.db.jobLease.updateMany({
      where: { name, OR: [{ expiresAt: { lte: now } }, { holder }] },
      data: { holder, expiresAt },
    });
    if (taken.count === 1) return true;
    try {
      await this.db.jobLease.create({ data: { name, holder, expiresAt } });
      return true;
    } catch {
      return false; // someone else holds it (the row exists and is not expired)
    }
  }

  async release(name: string, holder: string): Promise<void> {
    await this.db.jobLease.updateMany({ where: { name, holder }, data: { expiresAt: new Date(0) } });
  }
}
