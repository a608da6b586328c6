import type { Db } from "../client.js";

/**
 * Paged reads for `ae-assistant export`: each generator fetches `pageSize` rows at a time in id
 * order (keyset paging, so a big table is never held in memory and later pages stay cheap).
 */

const PERSON = { select: { slackUserId: true, email: true, name: true } } as const;
const ACCOUNT = { select: { id: true, name: true, externalId: true } } as const;

async function* paged<T extends { id: number }>(fetch: (afterId: number) => Promise<T[]>): AsyncGenerator<T> {
  let after = 0;
  for (;;) {
    const page = await fetch(after);
    for (const row of page) yield row;
    if (page.length === 0) return;
    after = page[page.length - 1]!.id;
  }
}

export class ExportRepository {
  constructor(
    private readonly db: Db,
    private readonly pageSize = 500,
  ) {}

  workspaces(): Promise<{ id: number; slackTeamId: string; name: string | null; currency: string }[]> {
    return this.db.workspace.findMany({ select: { id: true, slackTeamId: true, name: true, currency: true }, orderBy: { id: "asc" } });
  }

  accounts(workspaceId: number) {
    return paged((after) =>
      this.db.account.findMany({ where: { workspaceId, id: { gt: after } }, include: { owner: PERSON }, orderBy: { id: "asc" }, take: this.pageSize }),
    );
  }

  touches(workspaceId: number) {
    return paged((after) =>
      this.db.touch.findMany({
        where: { account: { workspaceId }, id: { gt: after } },
        include: { account: ACCOUNT, user: PERSON, participants: { select: { slackUserId: true } } },
        orderBy: { id: "asc" },
        take: this.pageSize,
      }),
    );
  }

  deals(workspaceId: number) {
    return paged((after) =>
      this.db.deal.findMany({
        where: { account: { workspaceId }, id: { gt: after } },
        include: { account: ACCOUNT, owner: PERSON },
        orderBy: { id: "asc" },
        take: this.pageSize,
      }),
    );
  }

  /** Every gift entry (corrected ones too: the export is a copy) except restricted ones, which only the compliance export shows. */
  gifts(workspaceId: number) {
    return paged((after) =>
      this.db.gift.findMany({
        where: { workspaceId, id: { gt: after }, restrictedAt: null },
        include: { account: ACCOUNT, user: PERSON, contact: { select: { name: true } } },
        orderBy: { id: "asc" },
        take: this.pageSize,
      }),
    );
  }
}
