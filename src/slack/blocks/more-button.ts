import type { Button } from "@slack/types";
import type { Translator } from "../../i18n/translate.js";
import { ACTIONS } from "../ids.js";
import { clipPlain } from "./account-format.js";

/** What a "More" button carries: the `/ae` command text that shows the next page. */
export interface MoreResultsValue {
  text: string;
}

/** Slack allows 2000 characters in a button value; commands with paging keep their text short. */
const MAX_COMMAND = 500;

/**
 * "More (n)": runs `command` (e.g. "accounts page:2 acme") again as the clicking user; the answer
 * arrives as a new ephemeral message below the current page.
 */
export function moreButton(t: Translator, command: string, remaining: number): Button {
  const value = JSON.stringify({ text: command.slice(0, MAX_COMMAND) } satisfies MoreResultsValue);
  return {
    type: "button",
    action_id: ACTIONS.moreResults,
    text: { type: "plain_text", text: clipPlain(t("accounts.more", { count: remaining }), 75), emoji: true },
    value,
  };
}
