import type { KnownBlock, View } from "@slack/types";
import { z } from "zod";
import type { Translator } from "../../i18n/translate.js";
import { OPEN_STAGES } from "../../domain/deal-stages.js";
import { DEAL_MODAL, VIEWS } from "../ids.js";
import { FORECAST_CATEGORIES } from "../../domain/forecast.js";
import { forecastLabel, stageLabel } from "./deal-blocks.js";

/** What the deal modal carries between opening and submission. */
export const dealModalMetadata = z.object({ channelId: z.string().max(50).default("") });
export type DealModalMetadata = z.infer<typeof dealModalMetadata>;

/** The "New deal" modal (VIEWS.deal): account, amount, stage, expected close, forecast category. */
export function dealModal(t: Translator, opts: { account?: string; channelId?: string } = {}): View {
  const stageOptions = OPEN_STAGES.map((s) => ({ text: { type: "plain_text" as const, text: stageLabel(t, s) }, value: s }));
  // "auto" first and preselected: the stage decides until the rep makes the call.
  const forecastOptions = [
    { text: { type: "plain_text" as const, text: t("deal.modal.forecastAuto").slice(0, 75) }, value: "auto" },
    ...FORECAST_CATEGORIES.map((c) => ({ text: { type: "plain_text" as const, text: forecastLabel(t, c) }, value: c })),
  ];
  const blocks: KnownBlock[] = [
    {
      type: "input",
      block_id: DEAL_MODAL.accountBlock,
      label: { type: "plain_text", text: t("deal.modal.account") },
      element: {
        type: "plain_text_input",
        action_id: DEAL_MODAL.accountInput,
        max_length: 200,
        placeholder: { type: "plain_text", text: t("deal.modal.accountPlaceholder") },
        ...(opts.account ? { initial_value: opts.account.slice(0, 200) } : {}),
      },
    },
    {
      type: "input",
      block_id: DEAL_MODAL.amountBlock,
      label: { type: "plain_text", text: t("deal.modal.amount") },
      element: {
        type: "plain_text_input",
        action_id: DEAL_MODAL.amountInput,
        max_length: 40,
        placeholder: { type: "plain_text", text: t("deal.modal.amountPlaceholder") },
      },
    },
    {
      type: "input",
      block_id: DEAL_MODAL.stageBlock,
      label: { type: "plain_text", text: t("deal.modal.stage") },
      element: { type: "static_select", action_id: DEAL_MODAL.stageInput, options: stageOptions, initial_option: stageOptions[0] },
    },
    {
      type: "input",
      block_id: DEAL_MODAL.closeBlock,
      optional: true,
      label: { type: "plain_text", text: t("deal.modal.close") },
      element: { type: "datepicker", action_id: DEAL_MODAL.closeInput },
    },
    {
      type: "input",
      block_id: DEAL_MODAL.forecastBlock,
      label: { type: "plain_text", text: t("deal.modal.forecast") },
      hint: { type: "plain_text", text: t("deal.modal.forecastHint") },
      element: { type: "static_select", action_id: DEAL_MODAL.forecastInput, options: forecastOptions, initial_option: forecastOptions[0] },
    },
  ];
  const metadata: DealModalMetadata = { channelId: opts.channelId ?? "" };
  return {
    type: "modal",
    callback_id: VIEWS.deal,
    title: { type: "plain_text", text: t("deal.modal.title").slice(0, 24) },
    submit: { type: "plain_text", text: t("deal.modal.submit").slice(0, 24) },
    close: { type: "plain_text", text: t("common.cancel").slice(0, 24) },
    private_metadata: JSON.stringify(metadata),
    blocks,
  };
}
