import type { KnownBlock } from "@slack/types";
import { z } from "zod";
import type { HandoverCounts } from "../../domain/handover.js";
import type { Translator } from "../../i18n/translate.js";
import type { HandoverProposal } from "../../services/handover-service.js";
import { ACTIONS } from "../ids.js";
import type { Reply } from "../subcommands/subcommand.js";
import { clip } from "./mrkdwn.js";

/** What the "Hand over" button carries: the two people, the scope and the fingerprint of the rows shown. */
export const handoverButtonSchema = z.object({
  from: z.number().int().positive(),
  to: z.number().int().positive(),
  scope: z.enum(["accounts", "all"]),
  fp: z.string().regex(/^[0-9a-f]{16}$/),
});
export type HandoverButtonValue = z.infer<typeof handoverButtonSchema>;

const mention = (slackUserId: string) => `<@${slackUserId}>`;

/** "3 accounts, 5 open follow-ups, 1 open deal" from the three plural messages. */
export function handoverWhat(t: Translator, c: HandoverCounts): string {
  return [t("reassign.accounts", { count: c.accounts }), t("reassign.followUps", { count: c.followUps }), t("reassign.deals", { count: c.deals })].join(", ");
}

/** The ephemeral confirmation: who to whom, the counts, what the scope means, Hand over / Cancel. */
export function handoverConfirmBlocks(t: Translator, p: HandoverProposal, notice?: string): Reply {
  const giver = mention(p.from.slackUserId);
  const taker = mention(p.to.slackUserId);
  const title = t("reassign.confirm.title", { giver, taker });
  const moves = t("reassign.confirm.moves", { what: handoverWhat(t, p.counts) });
  const scope = t(p.scope === "all" ? "reassign.confirm.scope.all" : "reassign.confirm.scope.accounts", { giver });
  const value = JSON.stringify({ from: p.from.id, to: p.to.id, scope: p.scope, fp: p.fingerprint } satisfies HandoverButtonValue);
  const blocks: KnownBlock[] = [];
  if (notice) blocks.push({ type: "section", text: { type: "mrkdwn", text: clip(`:warning: ${notice}`) } });
  blocks.push(
    { type: "section", text: { type: "mrkdwn", text: clip(`${title}\n${moves}\n${scope}`) } },
    { type: "context", elements: [{ type: "mrkdwn", text: t("reassign.confirm.keeps") }] },
    {
      type: "actions",
      elements: [
        { type: "button", action_id: ACTIONS.reassignConfirm, style: "danger", text: { type: "plain_text", text: t("reassign.confirm.button") }, value },
        { type: "button", action_id: ACTIONS.reassignCancel, text: { type: "plain_text", text: t("reassign.cancel.button") }, value: "cancel" },
      ],
    },
  );
  return { text: [notice, title, moves, scope].filter(Boolean).join("\n"), blocks };
}

/** The DM each of the two people gets. `by`: who confirmed it (a mention), or "an admin" from the CLI. */
export function handoverNotice(t: Translator, role: "giver" | "taker", n: { by: string; giver: string; taker: string; counts: HandoverCounts }): Reply {
  const text = t(role === "giver" ? "reassign.notice.giver" : "reassign.notice.taker", {
    by: n.by,
    giver: mention(n.giver),
    taker: mention(n.taker),
    what: handoverWhat(t, n.counts),
  });
  return { text, blocks: [{ type: "section", text: { type: "mrkdwn", text: clip(text) } }] };
}
