import type { Db } from "../client.js";

/** Remembers Slack deliveries we have handled, so Slack's retries of them are dropped. */
export class ProcessedRequestRepository {
  constructor(private readonly db: Db) {}

  /** True the first time a key is seen; false for every later delivery of it (atomic on the primary key). */
  async claim(key: string): Promise<boolean> {
    try {
      await this.db.processedRequest.create({ data: { key } });
      return true;
    } catch (error) {
      if (typeof error === "object" && error !== null && (error as { code?: unknown }).code === "P2002") return false;
      throw error;
    }
  }

  /** Forgets keys older than `before` (Slack retries within minutes). */
  async prune(before: Date): Promise<number> {
    const r = await this.db.processedRequest.deleteMany({ where: { createdAt: { lt: before } } });
    return r.count;
  }
}
