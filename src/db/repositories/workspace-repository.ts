import type { Db } from "../client.js";
import { sql } from "../sql.js";
import type { Workspace } from "../../generated/sqlite/client.js";

export type { Workspace };

export class WorkspaceRepository {
  /** Workspaces change rarely and are read on every request: keep them in memory. */
  private readonly cache = new Map<string, Workspace>();

  constructor(private readonly db: Db) {}

  async ensure(slackTeamId: string, defaults: { timezone: string }): Promise<Workspace> {
    const cached = this.cache.get(slackTeamId);
    if (cached) return cached;
    const ws = await this.db.workspace.upsert({
      where: { slackTeamId },
      create: { slackTeamId, timezone: defaults.timezone },
      update: {},
    });
    this.cache.set(slackTeamId, ws);
    return ws;
  }

  async findById(id: number): Promise<Workspace | null> {
    return this.db.workspace.findUnique({ where: { id } });
  }

  async update(id: number, data: Partial<Omit<Workspace, "id" | "slackTeamId" | "createdAt" | "updatedAt">>): Promise<Workspace> {
    const ws = await this.db.workspace.update({ where: { id }, data });
    this.cache.set(ws.slackTeamId, ws);
    return ws;
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
