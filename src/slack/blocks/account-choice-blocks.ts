import type { KnownBlock } from "@slack/types";
import type { Translator } from "../../i18n/translate.js";
import { ACTIONS } from "../ids.js";
import type { Reply } from "../subcommands/subcommand.js";
import { clip, escapeMrkdwn } from "./mrkdwn.js";

export interface AccountChoice {
  id: number;
  name: string;
  /** Shown after the name, e.g. the owner or the tier, so same-named accounts can be told apart. */
  detail?: string;
}

/** What a pick button carries: the command to run again with the account fixed as `#id`. */
export interface PickAccountValue {
  /** The subcommand text with the ambiguous name replaced by `#<id>`. */
  text: string;
}

/** Slack allows 2000 characters in a button value. */
const MAX_VALUE = 2000;

/**
 * "Which one did you mean?" with one button per candidate. Never guesses: the command only runs
 * again once the user picks. `rerun(id)` builds the command text for each choice.
 */
export function accountChoiceBlocks(
  t: Translator,
  kind: "ambiguous" | "suggest",
  query: string,
  choices: AccountChoice[],
  rerun: (accountId: number) => string,
): Reply {
  const heading = t(kind === "ambiguous" ? "account.ambiguous" : "account.notFoundSuggest", { query: escapeMrkdwn(query.slice(0, 100)) });
  const blocks: KnownBlock[] = [{ type: "section", text: { type: "mrkdwn", text: clip(heading) } }];
  const buttons = choices.slice(0, 25).flatMap((c) => {
    const value = JSON.stringify({ text: rerun(c.id) } satisfies PickAccountValue);
    if (value.length > MAX_VALUE) return [];
    const label = c.detail ? `${c.name} · ${c.detail}` : c.name;
    return [{ type: "button" as const, action_id: `${ACTIONS.pickAccount}:${c.id}`, text: { type: "plain_text" as const, text: label.slice(0, 75), emoji: true }, value }];
  });
  // An actions block holds at most 25 elements; split into rows of 5 for readability.
  for (let i = 0; i < buttons.length; i += 5) blocks.push({ type: "actions", elements: buttons.slice(i, i + 5) });
  const text = [heading, ...choices.map((c) => `• ${escapeMrkdwn(c.name)}`)].join("\n");
  return { text, blocks };
}
