import type { KnownBlock } from "@slack/types";
import type { Translator } from "../../i18n/translate.js";
import type { Denial } from "../../domain/authorization.js";
import type { Reply } from "../subcommands/subcommand.js";
import { clip } from "./mrkdwn.js";

/** A plain ephemeral message. `text` must already be escaped where it echoes user input. */
export function textReply(text: string): Reply {
  return { text, blocks: [{ type: "section", text: { type: "mrkdwn", text: clip(text) } }] };
}

/**
 * Bad input: what is wrong, a correct example, and the reassurance that nothing changed.
 * Every validation failure in a command goes through here.
 */
export function errorReply(t: Translator, problem: string, example?: string): Reply {
  const lines = [`:warning: ${problem}`, example ? t("error.example", { example: `\`${example}\`` }) : "", t("error.nothingChanged")];
  const text = lines.filter(Boolean).join("\n");
  return { text, blocks: [{ type: "section", text: { type: "mrkdwn", text: clip(text) } }] };
}

/** A refusal says why, and that nothing changed. */
export function deniedReply(t: Translator, reason: Denial): Reply {
  return errorReply(t, t(`error.denied.${reason}`));
}

/** A confirmation: a check mark line, with optional extra blocks below. */
export function doneReply(text: string, extra: KnownBlock[] = []): Reply {
  return { text, blocks: [{ type: "section", text: { type: "mrkdwn", text: clip(`:white_check_mark: ${text}`) } }, ...extra] };
}
