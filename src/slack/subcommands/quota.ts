import { parseAmount } from "../../domain/amounts.js";
import { parseArgs, type Token } from "../../domain/command-args.js";
import type { PeriodType } from "../../domain/periods.js";
import { slackProfileLookup } from "../slack-profile.js";
import { deniedReply, doneReply, errorReply } from "../blocks/reply-blocks.js";
import { money, formatRate } from "../blocks/deal-format.js";
import { periodName } from "../../i18n/period-name.js";
import { escapeMrkdwn } from "../blocks/mrkdwn.js";
import { quotaBlocks } from "../blocks/quota-blocks.js";
import { effectiveQuotaCents } from "../../services/quota-service.js";
import { repFailureReply } from "./rep-arg.js";
import type { Reply, Subcommand, SubcommandContext } from "./subcommand.js";

const PERIOD_WORDS: Record<string, PeriodType> = {
  month: "month",
  monat: "month",
  quarter: "quarter",
  quartal: "quarter",
  q: "quarter",
  year: "year",
  jahr: "year",
  fy: "year",
};

export function periodTypeOf(word: string | undefined): PeriodType | null {
  if (word === undefined) return null;
  const key = word.toLowerCase();
  // Own keys only: "__proto__" or "constructor" must not read Object.prototype.
  return Object.hasOwn(PERIOD_WORDS, key) ? PERIOD_WORDS[key]! : null;
}

/** `next` sets the quota of the coming period instead of the current one. */
export const NEXT_WORDS: ReadonlySet<string> = new Set(["next", "nächstes", "naechstes", "nächste", "nächsten"]);
const ME_WORDS = new Set(["me", "ich", "mich", "mir"]);

const SET_EXAMPLE = "/ae quota set @dana 250k quarter ramp:0.5";

/** `/ae quota [@rep] [month|quarter|year]` and `/ae quota set <@user|me> <amount> <period> [ramp:0.5] [next]`. */
export const quota: Subcommand = {
  name: "quota",
  aliases: ["quote"],
  run: async (ctx) => {
    const args = parseArgs(ctx.argsText);
    const first = args.positional[0];
    if (first?.kind === "word" && first.value.toLowerCase() === "set") return setQuota(ctx, args.positional.slice(1), args.options);
    return showQuota(ctx, args.positional);
  },
};

const SHOW_REP_EXAMPLE = "/ae quota @dana quarter";

/** `/ae quota [period]`, or `/ae quota @rep [period]` (in either order) for managers and admins. */
async function showQuota(ctx: SubcommandContext, positional: Token[]): Promise<Reply> {
  const { t, actor, deps } = ctx;
  let periodType: PeriodType = "quarter";
  let rep: string | null = null;
  let periodGiven = false;
  for (const token of positional) {
    if (token.kind === "user" && rep === null) {
      rep = token.id;
      continue;
    }
    const word = token.kind === "word" ? token.value : "";
    const type = periodGiven ? null : periodTypeOf(word);
    if (!type) {
      const problem = token.kind === "user" ? t("manager.oneRep") : t("quota.badPeriodArg", { input: escapeMrkdwn(word.slice(0, 40) || "?") });
      return errorReply(t, problem, rep === null && token.kind === "word" ? "/ae quota month" : SHOW_REP_EXAMPLE);
    }
    periodType = type;
    periodGiven = true;
  }
  if (rep === null || rep === actor.user.slackUserId) {
    const view = await deps.services.quota.progress(actor, periodType);
    return quotaBlocks(t, actor, view, { showNoPlanHint: true });
  }
  const principal = await deps.services.principal(actor);
  const result = await deps.services.managerView.quotaOf(actor, principal, rep, periodType);
  if (result.kind !== "ok") return repFailureReply(t, result, SHOW_REP_EXAMPLE);
  return quotaBlocks(t, actor, result.view, { showNoPlanHint: false, of: result.user.slackUserId });
}

async function setQuota(ctx: SubcommandContext, positional: ReturnType<typeof parseArgs>["positional"], options: Map<string, string>): Promise<Reply> {
  const { t, actor, deps } = ctx;
  const [target, amountToken, periodToken, ...rest] = positional;
  if (!target || (target.kind !== "user" && !(target.kind === "word" && ME_WORDS.has(target.value.toLowerCase())))) {
    return errorReply(t, t("quota.set.badTarget"), SET_EXAMPLE);
  }
  const amountText = amountToken?.kind === "word" ? amountToken.value : "";
  const amount = parseAmount(amountText, actor.locale);
  if (!amount.ok) {
    return errorReply(t, amountText === "" ? t("quota.set.missingAmount") : t("deal.badAmount", { input: escapeMrkdwn(amountText.slice(0, 40)) }), SET_EXAMPLE);
  }
  const periodType = periodTypeOf(periodToken?.kind === "word" ? periodToken.value : undefined);
  if (!periodType) return errorReply(t, t("quota.set.badPeriod"), SET_EXAMPLE);
  const isNext = (r: Token) => r.kind === "word" && NEXT_WORDS.has(r.value.toLowerCase());
  const next = rest.some(isNext);
  if (rest.some((r) => !isNext(r))) return errorReply(t, t("quota.set.extra"), SET_EXAMPLE);
  for (const key of options.keys()) if (key !== "ramp") return errorReply(t, t("deal.unknownOption", { key: escapeMrkdwn(key.slice(0, 30)), known: "ramp:" }), SET_EXAMPLE);
  let rampFactor = 1;
  const rampText = options.get("ramp");
  if (rampText !== undefined) {
    const r = parseRamp(rampText);
    if (r === null) return errorReply(t, t("quota.set.badRamp"), SET_EXAMPLE);
    rampFactor = r;
  }

  let targetUser = actor.user;
  if (target.kind === "user" && target.id !== actor.user.slackUserId) {
    const resolved = await deps.services.actors
      .resolve(actor.workspace.slackTeamId, target.id, slackProfileLookup(ctx.client, deps.defaultTimezone))
      .catch(() => null);
    if (!resolved) return errorReply(t, t("quota.set.unknownUser"), SET_EXAMPLE);
    targetUser = resolved.user;
  }
  const principal = await deps.services.principal(actor);
  const result = await deps.services.quota.setQuota(actor, principal, {
    targetUserId: targetUser.id,
    amountCents: amount.cents,
    periodType,
    rampFactor,
    next,
  });
  if (result.kind === "denied") return deniedReply(t, result.reason);
  const who = targetUser.id === actor.user.id ? t("quota.set.you") : `<@${targetUser.slackUserId}>`;
  const ramp =
    rampFactor < 1
      ? t("quota.set.rampSuffix", { ramp: formatRate(rampFactor, actor.locale), effective: money(actor, effectiveQuotaCents(result.quota)) })
      : "";
  return {
    ...doneReply(t("quota.set.done", { who, period: periodName(result.period, actor.locale), amount: money(actor, amount.cents), ramp })),
    changed: true,
  };
}

/** "0.5", "0,5" or "50%" → 0.5; null unless in (0, 1]. */
export function parseRamp(text: string): number | null {
  const m = /^(\d+(?:[.,]\d+)?)(%?)$/.exec(text.trim());
  if (!m) return null;
  const n = Number(m[1]!.replace(",", ".")) / (m[2] ? 100 : 1);
  return n > 0 && n <= 1 ? n : null;
}
