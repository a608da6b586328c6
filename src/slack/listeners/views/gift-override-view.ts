import type { App } from "@slack/bolt";
import { MAX_OVERRIDE_REASON_LENGTH } from "../../../services/gift-service.js";
import { draftOf, giftSavedReply, pendingGiftSchema } from "../../blocks/gift-blocks.js";
import { GIFT_OVERRIDE_MODAL, VIEWS } from "../../ids.js";
import type { AppDeps } from "../../deps.js";
import { registerForm } from "../../form-submission.js";
import { stateText } from "../../view-state.js";

/**
 * The over-limit gift confirmation: a reason is required (inline error otherwise). The pending
 * gift comes back from private_metadata and is validated again; the limit is re-checked when
 * saving, and the gift is stored with overLimit and the reason when it still exceeds.
 */
export function register(app: App, deps: AppDeps): void {
  const block = GIFT_OVERRIDE_MODAL.reasonBlock;
  registerForm(app, deps, {
    callbackId: VIEWS.giftOverride,
    name: "gift override",
    fallbackBlock: block,
    submit: async ({ actor, t, values, view }) => {
      const reason = stateText(values, block, GIFT_OVERRIDE_MODAL.reasonInput).trim();
      if (reason === "") return { kind: "errors", errors: { [block]: t("gift.modal.reasonRequired") } };
      let raw: unknown;
      try {
        raw = JSON.parse(view.private_metadata);
      } catch {
        raw = null;
      }
      const parsed = pendingGiftSchema.safeParse(raw);
      if (!parsed.success) return { kind: "errors", errors: { [block]: t("gift.modal.gone", { problem: t("gift.badButton") }) } };
      const principal = await deps.services.principal(actor);
      const result = await deps.services.gifts.log(actor, principal, draftOf(parsed.data), reason.slice(0, MAX_OVERRIDE_REASON_LENGTH));
      if (result.kind !== "saved") {
        // over_limit cannot happen with a reason; the others mean the gift can't be logged any more.
        const problem =
          result.kind === "denied" ? t(`error.denied.${result.reason}`) : result.kind === "account_gone" ? t("gift.accountGone") : t("error.internal");
        return { kind: "errors", errors: { [block]: t("gift.modal.gone", { problem }) } };
      }
      const { yearMode } = await deps.services.gifts.settings(actor.workspace.id);
      const reply = giftSavedReply(t, actor, result.gift, result.check, { contactCreated: result.contactCreated, mode: yearMode });
      return { kind: "saved", confirm: reply, channelId: parsed.data.channelId };
    },
  });
}
