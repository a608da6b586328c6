import type { Account } from "../../db/repositories/account-repository.js";
import type { Principal } from "../../domain/authorization.js";
import type { AccountResolution } from "../../services/account-resolver.js";
import { accountChoiceBlocks } from "../blocks/account-choice-blocks.js";
import { deniedReply, errorReply } from "../blocks/reply-blocks.js";
import { escapeMrkdwn } from "../blocks/mrkdwn.js";
import type { Reply, SubcommandContext } from "./subcommand.js";

/**
 * Renders an account reference that did not resolve to exactly one account: buttons for an
 * ambiguous name or close matches (each re-runs the command via `rerun(accountId)`), a refusal
 * that says why, or "not found" with an example. Shared by the deal, won/lost and gift commands.
 */
export function accountProblemReply(
  ctx: Pick<SubcommandContext, "t">,
  query: string,
  resolution: Exclude<AccountResolution, { kind: "found" }>,
  rerun: (accountId: number) => string,
  example: string,
): Reply {
  const { t } = ctx;
  switch (resolution.kind) {
    case "denied":
      return deniedReply(t, resolution.reason);
    case "ambiguous":
      return accountChoiceBlocks(t, "ambiguous", query, resolution.candidates.map(toChoice), rerun);
    case "none":
      if (resolution.suggestions.length > 0) return accountChoiceBlocks(t, "suggest", query, resolution.suggestions.map(toChoice), rerun);
      return errorReply(t, `${t("account.notFound", { query: escapeMrkdwn(query.slice(0, 100)) })} ${t("account.noneYet")}`, example);
  }
}

function toChoice(a: Account): { id: number; name: string } {
  return { id: a.id, name: a.name };
}

/** Resolves a typed account to one the actor may see, or the reply that explains why not. */
export async function resolveAccountArg(
  ctx: Pick<SubcommandContext, "t" | "actor" | "deps">,
  principal: Principal,
  query: string,
  rerun: (accountId: number) => string,
  example: string,
): Promise<{ ok: true; account: Account } | { ok: false; reply: Reply }> {
  const resolution = await ctx.deps.services.accountResolver.resolve(ctx.actor, principal, query);
  if (resolution.kind === "found") return { ok: true, account: resolution.account };
  return { ok: false, reply: accountProblemReply(ctx, query, resolution, rerun, example) };
}

/** Quotes a value for re-running a command (the tokenizer reads "…" as one word). */
export function quoteArg(value: string): string {
  const clean = value.replace(/["“”„]/g, "");
  return /^[\p{L}\p{N}#.,_-]+$/u.test(clean) && !/^['‘‚«»]/.test(clean) ? clean : `"${clean}"`;
}
