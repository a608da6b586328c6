import type { webApi } from "@slack/bolt";
import type { ModalView } from "@slack/types";
import { z } from "zod";
import { addLocalDays, localDateOf } from "../../domain/time.js";
import type { TouchKind } from "../../domain/touch-args.js";
import { translator } from "../../i18n/translate.js";
import type { Actor } from "../../services/actor-service.js";
import {
  addAccountModal,
  followUpModal,
  logTouchModal,
  MAX_ACCOUNT_OPTIONS,
  messageTouchModal,
  noAccountsModal,
} from "../blocks/account-modal-blocks.js";
import type { AppDeps } from "../deps.js";
import { VIEWS } from "../ids.js";
import { openView } from "../open-view.js";

/**
 * Opening the add-account, log-touch, follow-up and message-touch modals. Each returns whether
 * Slack opened it (a trigger id expires after 3 seconds; the caller tells the user on false).
 * Other features open these too, e.g. the digest's "Log touch" button.
 */

/** What a modal remembers between opening and submission. */
const metadataSchema = z.object({
  /** The channel the modal was opened from: the confirmation goes there. */
  c: z.string().max(40).optional(),
  /** The permalink of the message a touch is logged from. */
  p: z.string().max(1000).optional(),
  /** The Slack ts of that message (fallback reference when there is no permalink). */
  ts: z.string().max(40).optional(),
});

export type ModalMetadata = z.infer<typeof metadataSchema>;

export function encodeModalMetadata(m: ModalMetadata): string {
  return JSON.stringify(m);
}

/** The metadata of a submitted modal; {} when it is missing or not ours. */
export function decodeModalMetadata(raw: string | undefined): ModalMetadata {
  try {
    const parsed = metadataSchema.safeParse(JSON.parse(raw ?? "{}"));
    return parsed.success ? parsed.data : {};
  } catch {
    return {};
  }
}

async function open(client: webApi.WebClient, triggerId: string, view: ModalView, deps: AppDeps, push = false): Promise<boolean> {
  // From a button inside a modal (the account page opened from the digest) the form goes on top.
  return openView(client, triggerId, view, deps.logger, { push });
}

export interface OpenModalOptions {
  /** Preselected account (must be visible to the actor). */
  accountId?: number;
  /** Where the confirmation goes after saving; none from the Home tab. */
  channelId?: string;
  /** Opened from a button inside a modal: push onto it instead of opening a new one. */
  push?: boolean;
}

export async function openAddAccountModal(
  client: webApi.WebClient,
  triggerId: string,
  actor: Actor,
  deps: AppDeps,
  opts: { channelId?: string; name?: string; push?: boolean } = {},
): Promise<boolean> {
  const t = translator(actor.language);
  const metadata = encodeModalMetadata(opts.channelId ? { c: opts.channelId } : {});
  return open(client, triggerId, addAccountModal(t, { privateMetadata: metadata, ...(opts.name ? { name: opts.name } : {}) }), deps, opts.push);
}

export async function openLogTouchModal(
  client: webApi.WebClient,
  triggerId: string,
  actor: Actor,
  deps: AppDeps,
  opts: OpenModalOptions & { kind?: TouchKind } = {},
): Promise<boolean> {
  const t = translator(actor.language);
  const principal = await deps.services.principal(actor);
  const accounts = await deps.services.accounts.options(actor, principal, MAX_ACCOUNT_OPTIONS, opts.accountId);
  if (accounts.length === 0) return open(client, triggerId, noAccountsModal(t, VIEWS.logTouch, t("touches.modal.title")), deps, opts.push);
  const view = logTouchModal(t, {
    accounts,
    ...(opts.accountId !== undefined ? { selectedAccountId: opts.accountId } : {}),
    ...(opts.kind ? { kind: opts.kind } : {}),
    today: localDateOf(deps.now(), actor.zone),
    privateMetadata: encodeModalMetadata(opts.channelId ? { c: opts.channelId } : {}),
  });
  return open(client, triggerId, view, deps, opts.push);
}

export async function openFollowUpModal(
  client: webApi.WebClient,
  triggerId: string,
  actor: Actor,
  deps: AppDeps,
  opts: OpenModalOptions = {},
): Promise<boolean> {
  const t = translator(actor.language);
  const principal = await deps.services.principal(actor);
  const accounts = await deps.services.accounts.options(actor, principal, MAX_ACCOUNT_OPTIONS, opts.accountId);
  if (accounts.length === 0) return open(client, triggerId, noAccountsModal(t, VIEWS.followUp, t("followups.modal.title")), deps, opts.push);
  const view = followUpModal(t, {
    accounts,
    ...(opts.accountId !== undefined ? { selectedAccountId: opts.accountId } : {}),
    defaultDue: addLocalDays(localDateOf(deps.now(), actor.zone), 1),
    privateMetadata: encodeModalMetadata(opts.channelId ? { c: opts.channelId } : {}),
  });
  return open(client, triggerId, view, deps, opts.push);
}

export async function openMessageTouchModal(
  client: webApi.WebClient,
  triggerId: string,
  actor: Actor,
  deps: AppDeps,
  opts: { text: string; permalink: string | null; channelId: string; messageTs: string },
): Promise<boolean> {
  const t = translator(actor.language);
  const principal = await deps.services.principal(actor);
  const accounts = await deps.services.accounts.options(actor, principal, MAX_ACCOUNT_OPTIONS);
  if (accounts.length === 0) return open(client, triggerId, noAccountsModal(t, VIEWS.messageTouch, t("touches.modal.messageTitle")), deps);
  const metadata: ModalMetadata = { c: opts.channelId, ts: opts.messageTs };
  if (opts.permalink && opts.permalink.length <= 1000) metadata.p = opts.permalink;
  const view = messageTouchModal(t, { accounts, text: opts.text, permalink: opts.permalink, privateMetadata: encodeModalMetadata(metadata) });
  return open(client, triggerId, view, deps);
}
