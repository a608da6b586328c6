import { canAccess, type Denial, type Principal } from "../domain/authorization.js";
import type { AuditActor, AuditChanges } from "../domain/audit.js";
import { identifyActor, runAs, type RunAsOptions } from "../db/audit/audit-scope.js";
import type { OperationEvent } from "../db/audit/audit-writer.js";
import type { AccountRepository } from "../db/repositories/account-repository.js";
import type { AuditEventRecord, AuditPageFilter, AuditRepository } from "../db/repositories/audit-repository.js";
import type { GiftRepository } from "../db/repositories/gift-repository.js";
import type { UserRepository } from "../db/repositories/user-repository.js";
import type { Actor } from "./actor-service.js";

/** Who acted, as a view shows it. */
export interface AuditWho {
  kind: string;
  /** The person's User.id (pseudonymous; kept when their data is erased). */
  userId: number | null;
  /** The person's name and Slack id; null for processes, or once the person's data was erased. */
  name: string | null;
  slackUserId: string | null;
  /** The person's data was erased: shown as "a former user". */
  erased: boolean;
  detail: string | null;
}

export interface HistoryEntry {
  id: number;
  at: Date;
  who: AuditWho;
  entity: string;
  entityId: string | null;
  action: string;
  fields: string[];
  changes: AuditChanges | null;
  values: AuditEventRecord["values"];
  note: string | null;
}

export interface HistoryView {
  account: { id: number; name: string };
  entries: HistoryEntry[];
  /** Pass as `beforeId` for the next (older) page; null on the last page. */
  nextBeforeId: number | null;
  /** How many older entries there are. */
  remaining: number;
  /** The people that owner/user fields of the entries name (by User.id), to show them as such. */
  people: Record<number, AuditWho>;
}

export type HistoryResult = { kind: "ok"; view: HistoryView } | { kind: "denied"; reason: Denial } | { kind: "not_found" };

/** Fields whose values are User ids. */
const PERSON_FIELDS = new Set(["ownerId", "userId", "managerId"]);

/** Entries per page of `/ae history` (each is one section; the page stays far below 50 blocks). */
export const HISTORY_PAGE = 10;

/**
 * The audit trail's use cases: who is acting (the scope every entry point runs its work in), an
 * account's history for `/ae history`, the export, and operations' own events.
 */
export class AuditService {
  constructor(
    private readonly audit: AuditRepository,
    private readonly accounts: AccountRepository,
    private readonly users: UserRepository,
    private readonly gifts: GiftRepository,
  ) {}

  /** Runs `fn` as `actor` (src/db/audit/audit-scope.ts): every write in it is recorded as theirs. */
  runAs<T>(actor: AuditActor, fn: () => T | PromiseLike<T>, opts?: RunAsOptions): Promise<T> {
    return runAs(actor, fn, opts);
  }

  /** Names the person (and workspace) of the current scope once known. */
  identify(patch: Pick<AuditActor, "userId" | "workspaceId">): void {
    identifyActor(patch);
  }

  record(e: OperationEvent): Promise<void> {
    return this.audit.record(e);
  }

  /**
   * The latest changes to an account and its contacts, deals and gifts, newest first: for its
   * owner, the owner's managers and admins. Restricted gift records (an erased recipient) are
   * left out, as from every other view.
   */
  async history(actor: Actor, principal: Principal, accountId: number, opts: { beforeId?: number } = {}): Promise<HistoryResult> {
    const account = await this.accounts.findById(accountId);
    if (!account || account.workspaceId !== actor.workspace.id) return { kind: "not_found" };
    const decision = canAccess(principal, account.ownerId);
    if (!decision.allowed) return { kind: "denied", reason: decision.reason };
    const hiddenIds = (await this.gifts.hiddenIdsOfAccount(accountId)).map(String);
    const hidden = new Set(hiddenIds);
    const entries: AuditEventRecord[] = [];
    let beforeId = opts.beforeId;
    // Read a little more than a page so that left-out entries do not leave a short page.
    for (let round = 0; round < 5 && entries.length < HISTORY_PAGE; round++) {
      const batch = await this.audit.forAccount(accountId, { beforeId, limit: HISTORY_PAGE * 2 });
      for (const e of batch) if (!(e.entity === "gift" && e.entityId !== null && hidden.has(e.entityId))) entries.push(e);
      if (batch.length < HISTORY_PAGE * 2) break;
      beforeId = batch.at(-1)!.id;
    }
    const page = entries.slice(0, HISTORY_PAGE);
    const last = page.at(-1);
    const remaining = last ? await this.audit.countForAccount(accountId, last.id, hiddenIds) : 0;
    const who = await this.whoOf(page);
    // Owner and user fields hold User ids: named as people in the view.
    const named = page.flatMap((e) => Object.entries(e.changes ?? {}).filter(([f]) => PERSON_FIELDS.has(f)).flatMap(([, v]) => v.filter((x): x is number => typeof x === "number")));
    const people: Record<number, AuditWho> = {};
    for (const [id, p] of await this.peopleById(named)) people[id] = { kind: "slack", userId: id, detail: null, ...p };
    return {
      kind: "ok",
      view: {
        account: { id: account.id, name: account.name },
        entries: page.map((e) => ({ ...pick(e), who: who(e) })),
        nextBeforeId: remaining > 0 && last ? last.id : null,
        remaining,
        people,
      },
    };
  }

  /** Events in id order, page by page (`ae-assistant audit export`), with who acted. */
  async *exportEvents(filter: Omit<AuditPageFilter, "afterId">, pageSize = 500): AsyncGenerator<HistoryEntry & { workspaceId: number | null; accountId: number | null }> {
    let afterId: number | undefined;
    for (;;) {
      const page = await this.audit.page({ ...filter, afterId }, pageSize);
      if (page.length === 0) return;
      const who = await this.whoOf(page);
      for (const e of page) yield { ...pick(e), who: who(e), workspaceId: e.workspaceId, accountId: e.accountId };
      afterId = page.at(-1)!.id;
    }
  }

  /** Names and Slack ids of users by id; an erased (or unknown) user is `erased`, with neither. */
  private async peopleById(ids: readonly number[]): Promise<Map<number, Pick<AuditWho, "name" | "slackUserId" | "erased">>> {
    const unique = [...new Set(ids)];
    const users = await Promise.all(unique.map((id) => this.users.findById(id)));
    return new Map(
      unique.map((id, i) => {
        const u = users[i];
        const erased = !u || u.erasedAt !== null;
        return [id, { name: u && !erased ? u.name : null, slackUserId: u && !erased ? u.slackUserId : null, erased }];
      }),
    );
  }

  private async whoOf(events: readonly AuditEventRecord[]): Promise<(e: AuditEventRecord) => AuditWho> {
    const people = await this.peopleById(events.map((e) => e.actorUserId).filter((id): id is number => id !== null));
    return (e) => {
      const p = e.actorUserId !== null ? people.get(e.actorUserId) : undefined;
      return { kind: e.actorKind, userId: e.actorUserId, detail: e.actorDetail, name: p?.name ?? null, slackUserId: p?.slackUserId ?? null, erased: p?.erased ?? false };
    };
  }
}

function pick(e: AuditEventRecord): Omit<HistoryEntry, "who"> {
  return { id: e.id, at: e.at, entity: e.entity, entityId: e.entityId, action: e.action, fields: e.fields, changes: e.changes, values: e.values, note: e.note };
}
