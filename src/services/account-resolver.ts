import { scopeOf, type Principal } from "../domain/authorization.js";
import { matchByName, normalizeName } from "../domain/names.js";
import type { Account, AccountRepository } from "../db/repositories/account-repository.js";
import type { Actor } from "./actor-service.js";

/** How a typed account reference resolved. */
export type AccountResolution =
  | { kind: "found"; account: Account }
  | { kind: "ambiguous"; candidates: Account[] }
  | { kind: "none"; suggestions: Account[] }
  /** It exists, but belongs to someone the actor may not see. */
  | { kind: "denied"; reason: "not_owner" | "not_your_team" };

/** `#123` — an account by number (what the ambiguity buttons send back). */
const BY_ID = /^#(\d{1,12})$/;

/**
 * Resolves what a user typed to one account they may see: `#id`, an exact name, a unique prefix,
 * or a close typo. The user's own accounts are searched first, then the rest of their scope, so a
 * manager typing "acme" gets their own Acme rather than an ambiguity with a rep's.
 */
export class AccountResolver {
  constructor(private readonly accounts: AccountRepository) {}

  async resolve(actor: Actor, principal: Principal, query: string): Promise<AccountResolution> {
    const trimmed = query.trim();
    const byId = BY_ID.exec(trimmed);
    if (byId) {
      const account = await this.accounts.findById(Number(byId[1]));
      if (!account || account.workspaceId !== actor.workspace.id || account.archived) return { kind: "none", suggestions: [] };
      return this.visible(principal, account);
    }
    const own = { kind: "owners" as const, ownerIds: [principal.userId] };
    const first = await this.match(actor, own, trimmed);
    if (first.kind !== "none") return first;
    const scope = scopeOf(principal);
    // A rep's scope is their own accounts: nothing wider to search, but still say "not yours" below.
    const wider = scope.kind === "owners" && scope.ownerIds.length === 1 ? first : await this.match(actor, scope, trimmed);
    if (wider.kind !== "none" || principal.role === "admin") return wider;
    // Not visible to them at all: say so if it exists elsewhere in the workspace, rather than "not found".
    const everyone = await this.match(actor, { kind: "all" }, trimmed);
    if (everyone.kind === "found") {
      return { kind: "denied", reason: principal.role === "manager" ? "not_your_team" : "not_owner" };
    }
    return wider;
  }

  private visible(principal: Principal, account: Account): AccountResolution {
    if (principal.role === "admin" || account.ownerId === principal.userId || principal.managedUserIds.has(account.ownerId)) {
      return { kind: "found", account };
    }
    return { kind: "denied", reason: principal.role === "manager" ? "not_your_team" : "not_owner" };
  }

  private async match(actor: Actor, scope: Parameters<AccountRepository["namesInScope"]>[1], query: string): Promise<AccountResolution> {
    const key = normalizeName(query);
    if (key === "") return { kind: "none", suggestions: [] };
    // Fast path: an indexed exact lookup settles most queries without loading every name.
    const exact = await this.accounts.findByNameKey(actor.workspace.id, scope, key, 20);
    if (exact.length === 1) return { kind: "found", account: exact[0] };
    if (exact.length > 1) return { kind: "ambiguous", candidates: exact };
    const names = await this.accounts.namesInScope(actor.workspace.id, scope);
    const m = matchByName(query, names.map((n) => ({ key: n.name, item: n.id })));
    if (m.kind === "exact") {
      const account = await this.accounts.findById(m.item);
      return account ? { kind: "found", account } : { kind: "none", suggestions: [] };
    }
    const ids = m.kind === "ambiguous" ? m.items : m.suggestions;
    const found = await this.accounts.findManyByIds(ids);
    const ordered = ids.map((id) => found.find((a) => a.id === id)).filter((a): a is Account => a !== undefined);
    return m.kind === "ambiguous" ? { kind: "ambiguous", candidates: ordered } : { kind: "none", suggestions: ordered };
  }
}
