import type { Principal } from "../../domain/authorization.js";
import type { Account } from "../../db/repositories/account-repository.js";
import { isTier } from "../../domain/account-tiers.js";
import type { AccountResolution } from "../../services/account-resolver.js";
import { accountChoiceBlocks, type AccountChoice } from "../blocks/account-choice-blocks.js";
import { tierLabel } from "../blocks/account-format.js";
import { escapeMrkdwn } from "../blocks/mrkdwn.js";
import { deniedReply, errorReply } from "../blocks/reply-blocks.js";
import type { Reply, SubcommandContext } from "./subcommand.js";

/** Longest account reference we try to resolve; longer input is answered as "not found". */
const MAX_QUERY = 200;

export type Lookup = { kind: "found"; account: Account; index: number } | { kind: "reply"; reply: Reply };

export interface LookupCandidate {
  /** The account as the user typed it. */
  query: string;
  /** The command to run again when the user picks one of several accounts. */
  rerun: (accountId: number) => string;
}

/**
 * Resolves the first candidate that names exactly one visible account. When none does, answers
 * for the first candidate: "which one?" buttons, suggestions, "not found" or the refusal.
 */
export async function lookupAccount(ctx: SubcommandContext, principal: Principal, candidates: LookupCandidate[], example: string): Promise<Lookup> {
  let first: AccountResolution | null = null;
  for (const [index, c] of candidates.entries()) {
    const resolution: AccountResolution =
      c.query.length > MAX_QUERY ? { kind: "none", suggestions: [] } : await ctx.deps.services.accountResolver.resolve(ctx.actor, principal, c.query);
    if (resolution.kind === "found") return { kind: "found", account: resolution.account, index };
    first ??= resolution;
  }
  const c = candidates[0]!;
  return { kind: "reply", reply: await unresolvedReply(ctx, first ?? { kind: "none", suggestions: [] }, c, example) };
}

async function unresolvedReply(ctx: SubcommandContext, r: Exclude<AccountResolution, { kind: "found" }>, c: LookupCandidate, example: string): Promise<Reply> {
  const { t } = ctx;
  if (r.kind === "denied") return deniedReply(t, r.reason);
  const list = r.kind === "ambiguous" ? r.candidates : r.suggestions;
  if (list.length === 0) return errorReply(t, t("account.notFound", { query: escapeMrkdwn(c.query.slice(0, 100)) }), example);
  const choices = await choicesFor(ctx, list);
  return accountChoiceBlocks(t, r.kind === "ambiguous" ? "ambiguous" : "suggest", c.query, choices, c.rerun);
}

/** Buttons label same-named accounts with their owner (someone else's) or tier (your own). */
async function choicesFor(ctx: SubcommandContext, accounts: Account[]): Promise<AccountChoice[]> {
  const ownerIds = [...new Set(accounts.map((a) => a.ownerId).filter((id) => id !== ctx.actor.user.id))];
  const owners = await Promise.all(ownerIds.map((id) => ctx.deps.services.actors.userById(id)));
  const names = new Map(owners.flatMap((u) => (u ? [[u.id, u.name ?? u.slackUserId] as const] : [])));
  return accounts.map((a) => ({
    id: a.id,
    name: a.name,
    detail: a.ownerId !== ctx.actor.user.id ? (names.get(a.ownerId) ?? undefined) : tierLabel(ctx.t, isTier(a.tier) ? a.tier : "standard"),
  }));
}
