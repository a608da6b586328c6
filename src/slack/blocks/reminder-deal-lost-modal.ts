import type { View } from "@slack/types";
import { z } from "zod";
import type { Deal } from "../../db/repositories/deal-repository.js";
import { MAX_LOST_REASON } from "../../services/deal-service.js";
import { REMINDER_LOST_MODAL, VIEWS } from "../ids.js";
import { escapeMrkdwn } from "./mrkdwn.js";
import { formModal } from "./modal-shell.js";
import { rowOrigin } from "./reminder-blocks.js";
import { money, type ReminderFormat } from "./reminder-format.js";

/** The deal, and where the reminder row is (rowOrigin), so the submission can update it in place. */
export const reminderDealOrigin = rowOrigin.extend({ d: z.number().int().positive() });
export type ReminderDealOrigin = z.infer<typeof reminderDealOrigin>;

/** "Deal lost": why (required; a lost deal's reason is what the team learns from). */
export function reminderDealLostModal(deal: Deal, origin: ReminderDealOrigin, f: ReminderFormat): View {
  const t = f.t;
  return formModal({
    t,
    callbackId: VIEWS.reminderDealLost,
    title: t("digest.lost.title"),
    privateMetadata: JSON.stringify(origin),
    blocks: [
      { type: "section", text: { type: "mrkdwn", text: t("digest.lost.deal", { account: escapeMrkdwn(deal.accountName), amount: money(f, deal.amountCents) }) } },
      {
        type: "input",
        block_id: REMINDER_LOST_MODAL.reason,
        label: { type: "plain_text", text: t("digest.lost.reason"), emoji: true },
        element: {
          type: "plain_text_input",
          action_id: REMINDER_LOST_MODAL.reason,
          multiline: true,
          max_length: MAX_LOST_REASON,
          placeholder: { type: "plain_text", text: t("digest.lost.placeholder"), emoji: true },
        },
      },
    ],
  });
}
