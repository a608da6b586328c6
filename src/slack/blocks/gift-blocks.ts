import type { KnownBlock, View } from "@slack/types";
import { z } from "zod";
import type { GiftCheck } from "../../domain/gifts.js";
import { isLocalDate } from "../../domain/time.js";
import type { GiftRecord } from "../../db/repositories/gift-repository.js";
import type { Translator } from "../../i18n/translate.js";
import type { Actor } from "../../services/actor-service.js";
import {
  MAX_GIFT_DESCRIPTION_LENGTH,
  MAX_OVERRIDE_REASON_LENGTH,
  MAX_RECIPIENT_LENGTH,
  type GiftDraft,
  type GiftListView,
} from "../../services/gift-service.js";
import { ACTIONS, GIFT_OVERRIDE_MODAL, VIEWS } from "../ids.js";
import type { Reply } from "../subcommands/subcommand.js";
import { formatLocalDate, money } from "./deal-format.js";
import { clip, escapeMrkdwn } from "./mrkdwn.js";
import type { RerunValue } from "./deal-blocks.js";

type Fmt = Pick<Actor, "workspace" | "locale">;

/**
 * A gift waiting for an override: travels in the "Confirm with a reason" button's value and then
 * in the modal's private_metadata, and is validated again on the way back (never trusted).
 */
export const pendingGiftSchema = z.object({
  accountId: z.number().int().positive(),
  accountName: z.string().max(300),
  kind: z.enum(["gift", "entertainment"]),
  recipientName: z.string().trim().min(1).max(MAX_RECIPIENT_LENGTH),
  amountCents: z.number().int().positive().max(Number.MAX_SAFE_INTEGER),
  // A real calendar day ("2026-99-99" matches the shape but is none).
  givenOn: z.string().refine(isLocalDate),
  description: z.string().trim().min(1).max(MAX_GIFT_DESCRIPTION_LENGTH),
  channelId: z.string().max(50).default(""),
});
export type PendingGift = z.infer<typeof pendingGiftSchema>;

export function draftOf(p: PendingGift): GiftDraft {
  return {
    accountId: p.accountId,
    kind: p.kind,
    recipientName: p.recipientName,
    amountCents: p.amountCents,
    givenOn: p.givenOn,
    description: p.description,
  };
}

/** "in 2026" or "in the 12 months since Jun 11, 2025". */
export function windowLabel(t: Translator, locale: string, check: Pick<GiftCheck, "window">, mode: "calendar" | "rolling"): string {
  return mode === "calendar"
    ? t("gift.window.calendar", { year: check.window.fromDate.slice(0, 4) })
    : t("gift.window.rolling", { from: formatLocalDate(check.window.fromDate, locale) });
}

/** The confirmation after a gift or entertainment is saved. */
export function giftSavedReply(
  t: Translator,
  fmt: Fmt,
  gift: GiftRecord,
  check: GiftCheck,
  opts: { contactCreated: boolean; mode: "calendar" | "rolling" },
): Reply {
  const recipient = escapeMrkdwn(gift.recipientName);
  const account = escapeMrkdwn(gift.accountName);
  const lines = [
    t(gift.kind === "gift" ? "gift.saved" : "gift.savedEntertainment", {
      recipient,
      account,
      amount: money(fmt, gift.amountCents),
      description: escapeMrkdwn(gift.description),
    }),
  ];
  const window = windowLabel(t, fmt.locale, check, opts.mode);
  if (gift.kind === "entertainment") lines.push(t("gift.entertainmentNote"));
  else if (gift.overLimit) {
    lines.push(
      t("gift.savedOverLimit", {
        recipient,
        total: money(fmt, check.totalAfterCents),
        limit: money(fmt, check.limitCents),
        over: money(fmt, check.overByCents),
        window,
        reason: escapeMrkdwn(gift.overrideReason ?? ""),
      }),
    );
  } else {
    lines.push(
      t("gift.totalAfter", {
        recipient,
        total: money(fmt, check.totalAfterCents),
        limit: money(fmt, check.limitCents),
        remaining: money(fmt, check.remainingCents),
        window,
      }),
    );
  }
  if (opts.contactCreated) lines.push(t("gift.contactCreated", { recipient, account }));
  const text = lines.join("\n");
  return { text, blocks: [{ type: "section", text: { type: "mrkdwn", text: clip(`:white_check_mark: ${text}`) } }], changed: true };
}

/** Not saved: the warning with the totals, and the button that asks for a reason. */
export function giftOverLimitReply(t: Translator, fmt: Fmt, pending: PendingGift, check: GiftCheck, mode: "calendar" | "rolling"): Reply {
  const warning = t("gift.overLimit.warning", {
    recipient: escapeMrkdwn(pending.recipientName),
    total: money(fmt, check.totalAfterCents),
    limit: money(fmt, check.limitCents),
    over: money(fmt, check.overByCents),
    prior: money(fmt, check.priorTotalCents),
    window: windowLabel(t, fmt.locale, check, mode),
  });
  const hint = t("gift.overLimit.hint");
  const value = JSON.stringify(pending);
  const blocks: KnownBlock[] = [{ type: "section", text: { type: "mrkdwn", text: clip(`:warning: ${warning}\n${hint}`) } }];
  if (value.length <= 2000) {
    blocks.push({
      type: "actions",
      elements: [
        {
          type: "button",
          action_id: ACTIONS.confirmGift,
          style: "danger",
          text: { type: "plain_text", text: t("gift.overLimit.button").slice(0, 75) },
          value,
        },
      ],
    });
  }
  return { text: `${warning}\n${hint}`, blocks };
}

/** The override modal (VIEWS.giftOverride): the gift, the overage, and a required reason. */
export function giftOverrideModal(t: Translator, fmt: Fmt, pending: PendingGift, check: GiftCheck, mode: "calendar" | "rolling"): View {
  const summary = t("gift.modal.summary", {
    kind: t(pending.kind === "gift" ? "gift.kind.gift" : "gift.kind.entertainment"),
    recipient: escapeMrkdwn(pending.recipientName),
    account: escapeMrkdwn(pending.accountName),
    amount: money(fmt, pending.amountCents),
    description: escapeMrkdwn(pending.description),
    date: formatLocalDate(pending.givenOn, fmt.locale),
  });
  const overage = check.exceeds
    ? t("gift.modal.overage", {
        total: money(fmt, check.totalAfterCents),
        limit: money(fmt, check.limitCents),
        over: money(fmt, check.overByCents),
        window: windowLabel(t, fmt.locale, check, mode),
      })
    : t("gift.modal.noLongerOver");
  return {
    type: "modal",
    callback_id: VIEWS.giftOverride,
    title: { type: "plain_text", text: t("gift.modal.title").slice(0, 24) },
    submit: { type: "plain_text", text: t("gift.modal.submit").slice(0, 24) },
    close: { type: "plain_text", text: t("common.cancel").slice(0, 24) },
    private_metadata: JSON.stringify(pending),
    blocks: [
      { type: "section", text: { type: "mrkdwn", text: clip(`${summary}\n${overage}`) } },
      {
        type: "input",
        block_id: GIFT_OVERRIDE_MODAL.reasonBlock,
        label: { type: "plain_text", text: t("gift.modal.reason") },
        hint: { type: "plain_text", text: t("gift.modal.reasonHint") },
        element: { type: "plain_text_input", action_id: GIFT_OVERRIDE_MODAL.reasonInput, multiline: true, max_length: MAX_OVERRIDE_REASON_LENGTH },
      },
    ],
  };
}

export const GIFTS_PAGE_SIZE = 10;

/** `/ae gifts`: per recipient, the counted total against the limit, then each entry. Pages of 10 recipients. */
export function giftListBlocks(
  t: Translator,
  fmt: Fmt,
  view: GiftListView,
  opts: { page: number; filterLabel?: string; rerun: (page: number) => string },
): Reply {
  const window = windowLabel(t, fmt.locale, view, view.yearMode);
  const title = opts.filterLabel
    ? t("gifts.titleFiltered", { filter: escapeMrkdwn(opts.filterLabel), window, limit: money(fmt, view.limitCents) })
    : t("gifts.title", { window, limit: money(fmt, view.limitCents) });
  if (view.recipients.length === 0) {
    const text = `${title}\n${escapeMrkdwn(t("gifts.none"))}`;
    return { text, blocks: [{ type: "section", text: { type: "mrkdwn", text: clip(text) } }] };
  }
  const pages = Math.ceil(view.recipients.length / GIFTS_PAGE_SIZE);
  const page = Math.min(Math.max(1, opts.page), pages);
  const slice = view.recipients.slice((page - 1) * GIFTS_PAGE_SIZE, page * GIFTS_PAGE_SIZE);
  const blocks: KnownBlock[] = [{ type: "section", text: { type: "mrkdwn", text: clip(title) } }];
  const texts = [title];
  for (const r of slice) {
    const head = r.overLimit
      ? t("gifts.recipientOver", { recipient: escapeMrkdwn(r.recipientName), counted: money(fmt, r.countedCents), limit: money(fmt, r.limitCents), over: money(fmt, r.countedCents - r.limitCents) })
      : t("gifts.recipient", { recipient: escapeMrkdwn(r.recipientName), counted: money(fmt, r.countedCents), limit: money(fmt, r.limitCents), remaining: money(fmt, r.remainingCents) });
    const lines = r.entries.map((e) => {
      const base = t("gifts.entry", {
        date: formatLocalDate(e.givenOn, fmt.locale),
        kind: t(e.kind === "gift" ? "gift.kind.gift" : "gift.kind.entertainment"),
        amount: money(fmt, e.amountCents),
        account: escapeMrkdwn(e.accountName),
        description: escapeMrkdwn(e.description),
        by: e.userName ? escapeMrkdwn(e.userName) : `<@${e.userSlackId}>`,
      });
      return e.overLimit ? `${base} ${t("gifts.entryOver", { reason: escapeMrkdwn(e.overrideReason ?? "") })}` : base;
    });
    const text = clip([head, ...lines.map((l) => `• ${l}`)].join("\n"));
    blocks.push({ type: "section", text: { type: "mrkdwn", text } });
    texts.push(text);
  }
  if (pages > 1) {
    blocks.push({ type: "context", elements: [{ type: "mrkdwn", text: t("gifts.page", { page, pages }) }] });
    if (page < pages) {
      const value = JSON.stringify({ text: opts.rerun(page + 1) } satisfies RerunValue);
      blocks.push({
        type: "actions",
        // The shared "More" listener runs the command in the value and posts the next page below.
        elements: [{ type: "button", action_id: ACTIONS.moreResults, text: { type: "plain_text", text: t("common.more") }, value }],
      });
    }
  }
  return { text: texts.join("\n"), blocks };
}
