import type { Deal } from "../../db/repositories/deal-repository.js";
import { parseDealRef, type DealLookup, type DealRef } from "../../services/deal-service.js";
import { dealChoiceBlocks } from "../blocks/deal-blocks.js";
import { escapeMrkdwn } from "../blocks/mrkdwn.js";
import { deniedReply, errorReply } from "../blocks/reply-blocks.js";
import { accountProblemReply } from "./deal-account-arg.js";
import type { Reply, SubcommandContext } from "./subcommand.js";

/**
 * Finds the one open deal `<deal>` means, or the reply explaining why not (unknown, closed, not
 * theirs, an ambiguous account, or an account with several open deals — offered as buttons that
 * re-run `command` with `rerunTail` after the deal number). Shared by `/ae won`, `/ae lost` and
 * `/ae deal <deal> …`.
 */
export async function lookupDeal(
  ctx: SubcommandContext,
  ref: DealRef,
  command: string,
  rerunTail: string,
  example: string,
): Promise<{ ok: true; deal: Deal } | { ok: false; reply: Reply }> {
  const { t, actor, deps } = ctx;
  const principal = await deps.services.principal(actor);
  const r: DealLookup = await deps.services.deals.find(actor, principal, ref);
  const tail = rerunTail ? ` ${rerunTail}` : "";
  switch (r.kind) {
    case "found":
      return { ok: true, deal: r.deal };
    case "not_found":
      return { ok: false, reply: errorReply(t, t("deal.notFound", { id: r.id }), example) };
    case "closed":
      return { ok: false, reply: closedDealReply(ctx, r.deal) };
    case "denied":
      return { ok: false, reply: deniedReply(t, r.reason) };
    case "account":
      return {
        ok: false,
        reply: accountProblemReply(ctx, ref.kind === "account" ? ref.query : "", r.resolution, (id) => `${command} account:#${id}${tail}`, example),
      };
    case "no_open_deals":
      return { ok: false, reply: errorReply(t, t("deal.noOpenDeals", { account: escapeMrkdwn(r.account.name) }), example) };
    case "several":
      return { ok: false, reply: dealChoiceBlocks(t, actor, r.account.name, r.deals, (dealId) => `${command} #${dealId}${tail}`) };
  }
}

/** "Deal #42 (Acme) is already won/lost." */
export function closedDealReply(ctx: Pick<SubcommandContext, "t">, deal: Deal): Reply {
  return errorReply(ctx.t, ctx.t(deal.status === "won" ? "deal.alreadyWon" : "deal.alreadyLost", { id: deal.id, account: escapeMrkdwn(deal.accountName) }));
}

/** `account:#12` (from an account pick button) or the typed words. */
export function refFrom(options: Map<string, string>, text: string): DealRef {
  const account = options.get("account");
  return account !== undefined ? { kind: "account", query: account } : parseDealRef(text);
}
