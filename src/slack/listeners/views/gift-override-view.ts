import type { AllMiddlewareArgs, App, SlackViewMiddlewareArgs, ViewSubmitAction } from "@slack/bolt";
import { translator } from "../../../i18n/translate.js";
import { MAX_OVERRIDE_REASON_LENGTH } from "../../../services/gift-service.js";
import { draftOf, giftSavedReply, pendingGiftSchema } from "../../blocks/gift-blocks.js";
import { GIFT_OVERRIDE_MODAL, VIEWS } from "../../ids.js";
import type { AppDeps } from "../../deps.js";
import { slackProfileLookup } from "../../slack-profile.js";
import { notifyUser } from "./deal-notify.js";

type Args = SlackViewMiddlewareArgs<ViewSubmitAction> & AllMiddlewareArgs;

/**
 * The over-limit gift confirmation: a reason is required (inline error otherwise). The pending
 * gift comes back from private_metadata and is validated again; the limit is re-checked when
 * saving, and the gift is stored with overLimit and the reason when it still exceeds.
 */
export function register(app: App, deps: AppDeps): void {
  app.view<ViewSubmitAction>(VIEWS.giftOverride, async (args: Args) => handle(args, deps));
}

async function handle({ ack, body, view, client }: Args, deps: AppDeps): Promise<void> {
  const block = GIFT_OVERRIDE_MODAL.reasonBlock;
  let acked = false;
  let t = translator("en");
  try {
    const actor = await deps.services.actors.resolve(body.team?.id ?? body.user.team_id ?? "", body.user.id, slackProfileLookup(client, deps.defaultTimezone));
    t = translator(actor.language);
    const reason = (view.state.values[block]?.[GIFT_OVERRIDE_MODAL.reasonInput]?.value ?? "").trim();
    if (reason === "") {
      acked = true;
      await ack({ response_action: "errors", errors: { [block]: t("gift.modal.reasonRequired") } });
      return;
    }
    let raw: unknown = null;
    try {
      raw = JSON.parse(view.private_metadata);
    } catch {
      raw = null;
    }
    const parsed = pendingGiftSchema.safeParse(raw);
    if (!parsed.success) {
      acked = true;
      await ack({ response_action: "errors", errors: { [block]: t("gift.modal.gone", { problem: t("gift.badButton") }) } });
      return;
    }
    const principal = await deps.services.principal(actor);
    const result = await deps.services.gifts.log(actor, principal, draftOf(parsed.data), reason.slice(0, MAX_OVERRIDE_REASON_LENGTH));
    if (result.kind !== "saved") {
      // over_limit cannot happen with a reason; the others mean the gift can't be logged any more.
      const problem =
        result.kind === "denied" ? t(`error.denied.${result.reason}`) : result.kind === "account_gone" ? t("gift.accountGone") : t("error.internal");
      acked = true;
      await ack({ response_action: "errors", errors: { [block]: t("gift.modal.gone", { problem }) } });
      return;
    }
    acked = true;
    await ack();
    const { yearMode } = await deps.services.gifts.settings(actor.workspace.id);
    const reply = giftSavedReply(t, actor, result.gift, result.check, { contactCreated: result.contactCreated, mode: yearMode });
    await notifyUser(client, body.user.id, parsed.data.channelId, reply);
    await deps.services.events.emit("user.changed", { workspaceId: actor.workspace.id, userId: actor.user.id, slackUserId: actor.user.slackUserId });
  } catch (error) {
    deps.logger.error("gift override submission failed", error);
    if (!acked) await ack({ response_action: "errors", errors: { [block]: t("error.internal") } }).catch(() => undefined);
  }
}
