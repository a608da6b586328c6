/**
 * Handing a rep's book to a colleague (`/ae reassign`, `ae-assistant reassign`).
 *
 * What moves, by scope:
 * - `accounts`: every account the rep owns (archived ones too), and on those accounts the rep's
 *   open follow-ups and open deals.
 * - `all` (the default, for offboarding): the same, plus the rep's other open follow-ups and open
 *   deals on accounts someone else owns.
 * What never moves: touches (their author stays who made them), won and lost deals, done or
 * cancelled follow-ups, gifts.
 *
 * A confirmation names the counts and carries a fingerprint of the exact ids; the move recomputes
 * the ids in its transaction and refuses when the fingerprint differs (something changed since the
 * confirmation was shown), so a stale click never moves something nobody was shown.
 */
export type HandoverScope = "accounts" | "all";

export const DEFAULT_HANDOVER_SCOPE: HandoverScope = "all";

const SCOPE_WORDS: Record<string, HandoverScope> = {
  accounts: "accounts",
  account: "accounts",
  accounts_only: "accounts",
  kunden: "accounts",
  all: "all",
  alles: "all",
};

/** "accounts" / "all" (and German words) → the scope; null for anything else. */
export function handoverScopeOf(word: string): HandoverScope | null {
  const key = word.trim().toLowerCase();
  return Object.hasOwn(SCOPE_WORDS, key) ? SCOPE_WORDS[key]! : null;
}

/** The exact rows a handover moves. Ids are sorted ascending. */
export interface HandoverPlan {
  accountIds: number[];
  followUpIds: number[];
  dealIds: number[];
}

export interface HandoverCounts {
  accounts: number;
  followUps: number;
  deals: number;
}

export function countsOf(plan: HandoverPlan): HandoverCounts {
  return { accounts: plan.accountIds.length, followUps: plan.followUpIds.length, deals: plan.dealIds.length };
}

export function isEmptyPlan(plan: HandoverPlan): boolean {
  return plan.accountIds.length + plan.followUpIds.length + plan.dealIds.length === 0;
}

/**
 * A short fingerprint of exactly which rows a plan moves (FNV-1a, 2 × 32 bits, hex). Not a
 * security measure — the clicker's rights are checked again — only a "nothing changed" check
 * small enough for a button value however large the book.
 */
export function planFingerprint(plan: HandoverPlan): string {
  const text = `a:${[...plan.accountIds].sort((x, y) => x - y).join(",")}|f:${[...plan.followUpIds].sort((x, y) => x - y).join(",")}|d:${[...plan.dealIds].sort((x, y) => x - y).join(",")}`;
  let h1 = 0x811c9dc5;
  let h2 = 0x01000193 ^ 0x5bd1e995;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 0x01000193) >>> 0;
    h2 = Math.imul(h2 ^ c, 0x5bd1e995) >>> 0;
  }
  return h1.toString(16).padStart(8, "0") + h2.toString(16).padStart(8, "0");
}

/** Why a handover is refused before anything is looked up. */
export type HandoverProblem = "same_person";

export function handoverProblem(fromUserId: number, toUserId: number): HandoverProblem | null {
  return fromUserId === toUserId ? "same_person" : null;
}
