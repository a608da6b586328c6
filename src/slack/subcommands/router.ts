import { didYouMean } from "../../domain/names.js";
import { escapeMrkdwn } from "../blocks/mrkdwn.js";
import { helpBlocks } from "../blocks/help-blocks.js";
import { help } from "./help.js";
import type { Reply, Subcommand, SubcommandContext } from "./subcommand.js";

/** Every `/ae` subcommand. Order is the order of the did-you-mean candidates. */
export const SUBCOMMANDS: readonly Subcommand[] = [help];

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
