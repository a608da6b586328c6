import type { Db } from "../client.js";

export class TeamRepository {
  constructor(private readonly db: Db) {}

  /** User ids of everyone in the teams this user manages (for a manager's scope). */
  async managedUserIds(managerUserId: number): Promise<number[]> {
    const rows = await this.db.teamMember.findMany({
      where: { team: { managerId: managerUserId } },
      select: { userId: true },
    });
    return [...new Set(rows.map((r) => r.userId))];
  }
}
