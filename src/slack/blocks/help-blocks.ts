import type { KnownBlock } from "@slack/types";
import type { Translator } from "../../i18n/translate.js";
import type { Reply } from "../subcommands/subcommand.js";
import { escapeMrkdwn } from "./mrkdwn.js";

/**
 * The command list, optionally headed by a problem line (unknown subcommand, did-you-mean).
 * The body's syntax (`<account>`, `<call|email|…|note>`, `<@user|me>`) is literal text: unescaped,
 * Slack would read each `<…|…>` as a link or mention and show only its label ("email|…|note").
 */
export function helpBlocks(t: Translator, problem?: string): Reply {
  const body = escapeMrkdwn(t("help.body"));
  const blocks: KnownBlock[] = [];
  if (problem) blocks.push({ type: "section", text: { type: "mrkdwn", text: problem } });
  blocks.push(
    { type: "section", text: { type: "mrkdwn", text: t("help.title") } },
    { type: "section", text: { type: "mrkdwn", text: body } },
    { type: "context", elements: [{ type: "mrkdwn", text: escapeMrkdwn(t("help.footer")) }] },
  );
  const text = [problem, t("help.title"), body].filter(Boolean).join("\n");
  return { text, blocks };
}
