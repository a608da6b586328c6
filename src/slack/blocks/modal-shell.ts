import type { KnownBlock, ModalView } from "@slack/types";
import type { Translator } from "../../i18n/translate.js";
import { clipPlain } from "./account-format.js";

function plain(text: string, max: number) {
  return { type: "plain_text" as const, text: clipPlain(text, max), emoji: true };
}

/**
 * The frame every form shares: callback id, a title, Save and Cancel (Slack allows 24 characters
 * each), the blocks, and what the form remembers until it is submitted.
 */
export function formModal(o: { t: Translator; callbackId: string; title: string; blocks: KnownBlock[]; privateMetadata?: string; submit?: boolean }): ModalView {
  return {
    type: "modal",
    callback_id: o.callbackId,
    title: plain(o.title, 24),
    ...(o.submit === false ? {} : { submit: plain(o.t("common.save"), 24) }),
    close: plain(o.t("common.cancel"), 24),
    ...(o.privateMetadata !== undefined ? { private_metadata: o.privateMetadata.slice(0, 3000) } : {}),
    blocks: o.blocks,
  };
}
