import { didYouMean } from "../../domain/names.js";
import { escapeMrkdwn } from "../blocks/mrkdwn.js";
import { helpBlocks } from "../blocks/help-blocks.js";
import { help } from "./help.js";
import { deal } from "./deal.js";
import { won, lost } from "./won.js";
import { quota } from "./quota.js";
import { gift, entertainment } from "./gift.js";
import { gifts } from "./gifts.js";
import { leaderboard } from "./leaderboard.js";
import { team } from "./team.js";
import { accounts } from "./accounts.js";
import { account } from "./account.js";
import { log } from "./log.js";
import { followup } from "./followup.js";
import { followups } from "./followups.js";
import { done } from "./done.js";
import { today } from "./today.js";
import { settings } from "./settings.js";
import { admin } from "./admin.js";
import { reassign } from "./reassign.js";
import { history } from "./history.js";
import { pipeline } from "./pipeline.js";
import type { Reply, Subcommand, SubcommandContext } from "./subcommand.js";

/** Every `/ae` subcommand. Order is the order of the did-you-mean candidates. */
export const SUBCOMMANDS: readonly Subcommand[] = [help, accounts, account, log, followup, followups, done, team, leaderboard, deal, won, lost, quota, pipeline, gift, entertainment, gifts, today, settings, admin, reassign, history];

const BY_NAME = new Map<string, Subcommand>();
for (const s of SUBCOMMANDS) for (const n of [s.name, ...(s.aliases ?? [])]) BY_NAME.set(n, s);

/** Splits "/ae <name> <rest>" text into the subcommand name and the rest. */
export function splitSubcommand(text: string): { name: string; rest: string } {
  const trimmed = text.trim();
  const match = /^(\S+)\s*([\s\S]*)$/.exec(trimmed);
  if (!match) return { name: "", rest: "" };
  return { name: match[1].toLowerCase(), rest: match[2] };
}

export async function dispatch(text: string, ctx: Omit<SubcommandContext, "argsText">): Promise<Reply | void> {
  const { name, rest } = splitSubcommand(text);
  if (name === "") return help.run({ ...ctx, argsText: "" });
  const sub = BY_NAME.get(name);
  if (!sub) {
    const suggestion = didYouMean(name, [...BY_NAME.keys()]);
    const problem = [
      ctx.t("error.unknownSubcommand", { input: escapeMrkdwn(name.slice(0, 40)) }),
      suggestion ? ctx.t("error.didYouMean", { suggestion }) : "",
    ]
      .filter(Boolean)
      .join(" ");
    return helpBlocks(ctx.t, problem);
  }
  return sub.run({ ...ctx, argsText: rest });
}
