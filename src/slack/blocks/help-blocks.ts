import type { KnownBlock } from "@slack/types";
import type { Translator } from "../../i18n/translate.js";
import type { Reply } from "../subcommands/subcommand.js";

/** The command list, optionally headed by a problem line (unknown subcommand, did-you-mean). */
export function helpBlocks(t: Translator, problem?: string): Reply {
  const blocks: KnownBlock[] = [];
  if (problem) blocks.push({ type: "section", text: { type: "mrkdwn", text: problem } });
  blocks.push(
    { type: "section", text: { type: "mrkdwn", text: t("help.title") } },
    { type: "section", text: { type: "mrkdwn", text: t("help.body") } },
    { type: "context", elements: [{ type: "mrkdwn", text: t("help.footer") }] },
  );
  const text = [problem, t("help.title"), t("help.body")].filter(Boolean).join("\n");
  return { text, blocks };
}
