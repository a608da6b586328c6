import type { KnownBlock, ModalView, PlainTextOption } from "@slack/types";
import { TOUCH_KINDS, type TouchKind } from "../../domain/touch-args.js";
import type { LocalDate } from "../../domain/time.js";
import type { Tier } from "../../domain/account-tiers.js";
import type { Translator } from "../../i18n/translate.js";
import { MAX_ACCOUNT_NAME, MAX_INDUSTRY, type AccountOption } from "../../services/account-service.js";
import { MAX_FOLLOWUP_TITLE } from "../../services/followup-service.js";
import { MAX_NOTE, MAX_PARTICIPANTS } from "../../services/touch-service.js";
import { ACCOUNT_MODAL, FOLLOWUP_MODAL, TOUCH_MODAL, VIEWS } from "../ids.js";
import { clipPlain, kindLabel, tierLabel } from "./account-format.js";
import { clip, escapeMrkdwn } from "./mrkdwn.js";
import { formModal } from "./modal-shell.js";

/** Slack allows 100 options in a static select. */
export const MAX_ACCOUNT_OPTIONS = 100;

function plain(text: string, max = 75) {
  return { type: "plain_text" as const, text: clipPlain(text, max), emoji: true };
}

function modal(t: Translator, callbackId: string, title: string, blocks: KnownBlock[], privateMetadata: string, submit = true): ModalView {
  return formModal({ t, callbackId, title, blocks, privateMetadata, submit });
}

function accountOption(a: AccountOption): PlainTextOption {
  const label = a.mine || !a.ownerName ? a.name : `${a.name} · ${a.ownerName}`;
  return { text: plain(label), value: String(a.id) };
}

/** The account picker: a static select of up to 100 accounts (at-risk first), one preselected. */
function accountSelect(t: Translator, blockId: string, accounts: AccountOption[], selectedId?: number): KnownBlock {
  const options = accounts.slice(0, MAX_ACCOUNT_OPTIONS).map(accountOption);
  const initial = options.find((o) => o.value === String(selectedId));
  return {
    type: "input",
    block_id: blockId,
    label: plain(t("touches.modal.account"), 2000),
    element: {
      type: "static_select",
      action_id: blockId,
      placeholder: plain(t("touches.modal.accountPlaceholder"), 150),
      options,
      ...(initial ? { initial_option: initial } : {}),
    },
    ...(accounts.length >= MAX_ACCOUNT_OPTIONS ? { hint: plain(t("touches.modal.accountHint"), 2000) } : {}),
  };
}

export interface AddAccountModalInput {
  privateMetadata: string;
  name?: string;
}

/** VIEWS.addAccount: name, tier, annual value, industry, individual. */
export function addAccountModal(t: Translator, input: AddAccountModalInput): ModalView {
  const tiers: Tier[] = ["key", "growth", "standard"];
  const tierOptions = tiers.map((tier) => ({ text: plain(tierLabel(t, tier)), value: tier }));
  const blocks: KnownBlock[] = [
    {
      type: "input",
      block_id: ACCOUNT_MODAL.name,
      label: plain(t("accounts.modal.name"), 2000),
      element: {
        type: "plain_text_input",
        action_id: ACCOUNT_MODAL.name,
        max_length: MAX_ACCOUNT_NAME,
        placeholder: plain(t("accounts.modal.namePlaceholder"), 150),
        ...(input.name ? { initial_value: input.name.slice(0, MAX_ACCOUNT_NAME) } : {}),
      },
    },
    {
      type: "input",
      block_id: ACCOUNT_MODAL.tier,
      label: plain(t("accounts.modal.tier"), 2000),
      element: { type: "static_select", action_id: ACCOUNT_MODAL.tier, options: tierOptions, initial_option: tierOptions[2] },
      hint: plain(t("accounts.modal.tierHint"), 2000),
    },
    {
      type: "input",
      block_id: ACCOUNT_MODAL.value,
      optional: true,
      label: plain(t("accounts.modal.value"), 2000),
      element: { type: "plain_text_input", action_id: ACCOUNT_MODAL.value, max_length: 40, placeholder: plain(t("accounts.modal.valuePlaceholder"), 150) },
    },
    {
      type: "input",
      block_id: ACCOUNT_MODAL.industry,
      optional: true,
      label: plain(t("accounts.modal.industry"), 2000),
      element: { type: "plain_text_input", action_id: ACCOUNT_MODAL.industry, max_length: MAX_INDUSTRY },
    },
    {
      type: "input",
      block_id: ACCOUNT_MODAL.individual,
      optional: true,
      label: plain(t("accounts.modal.kind"), 2000),
      element: {
        type: "checkboxes",
        action_id: ACCOUNT_MODAL.individual,
        options: [{ text: plain(t("accounts.modal.individual")), value: "individual" }],
      },
    },
  ];
  return modal(t, VIEWS.addAccount, t("accounts.modal.title"), blocks, input.privateMetadata);
}

/** Shown instead of a picker when the user has no account yet (a select needs at least one option). */
export function noAccountsModal(t: Translator, callbackId: string, title: string): ModalView {
  const text = `${t("accounts.list.none")} ${t("account.noneYet")}`;
  return modal(t, callbackId, title, [{ type: "section", text: { type: "mrkdwn", text: clip(text) } }], "", false);
}

function kindSelect(t: Translator, kind: TouchKind): KnownBlock {
  const options = TOUCH_KINDS.map((k) => ({ text: plain(kindLabel(t, k)), value: k }));
  return {
    type: "input",
    block_id: TOUCH_MODAL.kind,
    label: plain(t("touches.modal.kind"), 2000),
    element: { type: "static_select", action_id: TOUCH_MODAL.kind, options, initial_option: options.find((o) => o.value === kind) },
  };
}

function noteInput(t: Translator, initial?: string): KnownBlock {
  return {
    type: "input",
    block_id: TOUCH_MODAL.note,
    optional: true,
    label: plain(t("touches.modal.note"), 2000),
    element: {
      type: "plain_text_input",
      action_id: TOUCH_MODAL.note,
      multiline: true,
      max_length: MAX_NOTE,
      ...(initial ? { initial_value: Array.from(initial).slice(0, MAX_NOTE).join("") } : {}),
    },
  };
}

export interface LogTouchModalInput {
  accounts: AccountOption[];
  selectedAccountId?: number;
  kind?: TouchKind;
  today: LocalDate;
  privateMetadata: string;
}

/** VIEWS.logTouch: account, kind, day, colleagues who were there, note. */
export function logTouchModal(t: Translator, input: LogTouchModalInput): ModalView {
  const blocks: KnownBlock[] = [
    accountSelect(t, TOUCH_MODAL.account, input.accounts, input.selectedAccountId),
    kindSelect(t, input.kind ?? "call"),
    {
      type: "input",
      block_id: TOUCH_MODAL.date,
      label: plain(t("touches.modal.date"), 2000),
      element: { type: "datepicker", action_id: TOUCH_MODAL.date, initial_date: input.today },
    },
    {
      type: "input",
      block_id: TOUCH_MODAL.participants,
      optional: true,
      label: plain(t("touches.modal.participants"), 2000),
      element: { type: "multi_users_select", action_id: TOUCH_MODAL.participants, max_selected_items: MAX_PARTICIPANTS },
    },
    noteInput(t),
  ];
  return modal(t, VIEWS.logTouch, t("touches.modal.title"), blocks, input.privateMetadata);
}

export interface MessageTouchModalInput {
  accounts: AccountOption[];
  /** The message text, prefilled as the note. */
  text: string;
  permalink: string | null;
  privateMetadata: string;
}

/** VIEWS.messageTouch ("Log as touch" on a message): account, kind, note prefilled with the message. */
export function messageTouchModal(t: Translator, input: MessageTouchModalInput): ModalView {
  const source = input.permalink && /^https:\/\/[^\s<>|]{1,500}$/.test(input.permalink)
    ? t("touches.modal.fromMessageLink", { link: `<${input.permalink}|${escapeMrkdwn(t("accounts.detail.message"))}>` })
    : t("touches.modal.fromMessage");
  const blocks: KnownBlock[] = [
    { type: "context", elements: [{ type: "mrkdwn", text: clip(source, 2000) }] },
    accountSelect(t, TOUCH_MODAL.account, input.accounts),
    kindSelect(t, "note"),
    noteInput(t, input.text),
  ];
  return modal(t, VIEWS.messageTouch, t("touches.modal.messageTitle"), blocks, input.privateMetadata);
}

export interface FollowUpModalInput {
  accounts: AccountOption[];
  selectedAccountId?: number;
  /** The date preselected (tomorrow). */
  defaultDue: LocalDate;
  privateMetadata: string;
}

/** VIEWS.followUp: account, what, due day. */
export function followUpModal(t: Translator, input: FollowUpModalInput): ModalView {
  const blocks: KnownBlock[] = [
    accountSelect(t, FOLLOWUP_MODAL.account, input.accounts, input.selectedAccountId),
    {
      type: "input",
      block_id: FOLLOWUP_MODAL.title,
      label: plain(t("followups.modal.what"), 2000),
      element: {
        type: "plain_text_input",
        action_id: FOLLOWUP_MODAL.title,
        max_length: MAX_FOLLOWUP_TITLE,
        placeholder: plain(t("followups.modal.whatPlaceholder"), 150),
      },
    },
    {
      type: "input",
      block_id: FOLLOWUP_MODAL.due,
      label: plain(t("followups.modal.due"), 2000),
      element: { type: "datepicker", action_id: FOLLOWUP_MODAL.due, initial_date: input.defaultDue },
    },
  ];
  return modal(t, VIEWS.followUp, t("followups.modal.title"), blocks, input.privateMetadata);
}
