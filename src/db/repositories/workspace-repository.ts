import type { Db } from "../client.js";
import { sql } from "../sql.js";
import type { Workspace } from "../../generated/sqlite/client.js";

export type { Workspace };

/** How long a cached workspace is trusted. Another replica or the CLI may change its settings. */
export const WORKSPACE_CACHE_MS = 30_000;

export interface HolidayRow {
  date: string;
  name: string | null;
}

export class WorkspaceRepository {
  /** Workspaces change rarely and are read on every request: keep them in memory for a while. */
  private readonly cache = new Map<string, { ws: Workspace; at: number }>();

  constructor(
    private readonly db: Db,
    private readonly clock: () => number = Date.now,
  ) {}

  async ensure(slackTeamId: string, defaults: { timezone: string }): Promise<Workspace> {
    const cached = this.cache.get(slackTeamId);
    if (cached && this.clock() - cached.at < WORKSPACE_CACHE_MS) return cached.ws;
    const ws = await this.db.workspace.upsert({
      where: { slackTeamId },
      create: { slackTeamId, timezone: defaults.timezone },
      update: {},
    });
    this.cache.set(slackTeamId, { ws, at: this.clock() });
    return ws;
  }

  async findBySlackTeamId(slackTeamId: string): Promise<Workspace | null> {
    return this.db.workspace.findUnique({ where: { slackTeamId } });
  }

  async list(): Promise<Workspace[]> {
    return this.db.workspace.findMany({ orderBy: { id: "asc" } });
  }

  async findById(id: number): Promise<Workspace | null> {
    return this.db.workspace.findUnique({ where: { id } });
  }

  async update(id: number, data: Partial<Omit<Workspace, "id" | "slackTeamId" | "createdAt" | "updatedAt">>): Promise<Workspace> {
    const ws = await this.db.workspace.update({ where: { id }, data });
    this.cache.set(ws.slackTeamId, { ws, at: this.clock() });
    return ws;
  }

  /** How many money amounts the workspace holds (deals, quotas, gifts, account values, comp plans). */
  async countAmounts(workspaceId: number): Promise<number> {
    const [row] = await this.db.$queryRaw<{ n: bigint | number }[]>(sql`
      SELECT
        (SELECT COUNT(*) FROM "Deal" d JOIN "Account" a ON a."id" = d."accountId" WHERE a."workspaceId" = ${workspaceId} AND d."amountCents" <> 0)
      + (SELECT COUNT(*) FROM "Quota" q JOIN "User" u ON u."id" = q."userId" WHERE u."workspaceId" = ${workspaceId} AND q."amountCents" <> 0)
      + (SELECT COUNT(*) FROM "Gift" g WHERE g."workspaceId" = ${workspaceId} AND g."amountCents" <> 0)
      + (SELECT COUNT(*) FROM "Account" a WHERE a."workspaceId" = ${workspaceId} AND a."annualValueCents" <> 0)
      + (SELECT COUNT(*) FROM "CompPlan" c JOIN "User" u ON u."id" = c."userId" WHERE u."workspaceId" = ${workspaceId} AND c."baseSalaryCents" <> 0) AS n`);
    return Number(row?.n ?? 0);
  }

  async holidayRows(workspaceId: number, range: { from?: string; to?: string } = {}): Promise<HolidayRow[]> {
    return this.db.holiday.findMany({
      where: { workspaceId, date: { ...(range.from ? { gte: range.from } : {}), ...(range.to ? { lt: range.to } : {}) } },
      select: { date: true, name: true },
      orderBy: { date: "asc" },
    });
  }

  /** Adds holidays; a date already there keeps its name. Returns how many were new. */
  async addHolidays(workspaceId: number, holidays: readonly HolidayRow[]): Promise<number> {
    if (holidays.length === 0) return 0;
    const existing = new Set((await this.holidayRows(workspaceId)).map((h) => h.date));
    const fresh = holidays.filter((h) => !existing.has(h.date));
    if (fresh.length === 0) return 0;
    const result = await this.db.holiday.createMany({ data: fresh.map((h) => ({ workspaceId, date: h.date, name: h.name })) });
    return result.count;
  }

  /** Removes the holiday on `date`; false when there was none. */
  async removeHoliday(workspaceId: number, date: string): Promise<boolean> {
    const result = await this.db.holiday.deleteMany({ where: { workspaceId, date } });
    return result.count > 0;
  }

  async holidays(workspaceId: number): Promise<string[]> {
    // On every `/ae quota`: hand-written SQL (see db/sql.ts).
    const rows = await this.db.$queryRaw<{ date: string }[]>(sql`SELECT "date" FROM "Holiday" WHERE "workspaceId" = ${workspaceId} ORDER BY "date" ASC`);
    return rows.map((r) => r.date);
  }

  clearCache(): void {
    this.cache.clear();
  }
}
