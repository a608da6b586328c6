import type { KnownBlock } from "@slack/types";
import type { CrmProblem } from "../../db/repositories/crm-outbox-repository.js";
import type { DealChange } from "../../domain/crm-push.js";
import type { MessageKey } from "../../i18n/translate.js";
import type { AdminNotice, CrmSummary } from "../../services/crm/crm-status-service.js";
import { clip, escapeMrkdwn } from "./mrkdwn.js";
import { TOUCH_KINDS } from "../../domain/touch-args.js";
import { dayAndTime, instantDay, money, type ReminderFormat } from "./reminder-format.js";

/**
 * The CRM sync's Slack messages: the DM to a rep whose changes the CRM refused or overruled, the
 * admins' DM when the connection breaks (and when it works again), and the admins' Home line.
 * Pure: view models in, blocks out.
 */

/** One refused push as its owner is told of it. */
export interface CrmProblemView extends Pick<CrmProblem, "status" | "entity" | "accountName" | "label" | "when" | "lastError" | "errorCode" | "deal"> {
  /** Deals: what the rep changed (conflicts). */
  change: DealChange | null;
}

/** The most problems one DM lists (the rest are counted). */
export const MAX_PROBLEMS_SHOWN = 10;

const STAGE_KEY: Record<string, MessageKey> = {
  prospect: "accounts.stage.prospect",
  qualified: "accounts.stage.qualified",
  proposal: "accounts.stage.proposal",
  negotiation: "accounts.stage.negotiation",
  won: "accounts.stage.won",
  lost: "accounts.stage.lost",
};

function stageText(f: ReminderFormat, stage: string): string {
  const key = STAGE_KEY[stage];
  return key ? f.t(key) : stage;
}

const TOUCH_KEY: Record<string, MessageKey> = Object.fromEntries(TOUCH_KINDS.map((k) => [k, `touches.kind.${k}` as const]));

/** "Call", "Meeting" … (capitalized: it starts the line). */
function touchKind(f: ReminderFormat, kind: string): string {
  const key = TOUCH_KEY[kind];
  return key ? f.t(key) : kind;
}

function section(text: string): KnownBlock {
  return { type: "section", text: { type: "mrkdwn", text: clip(text) } };
}

function whatText(f: ReminderFormat, p: CrmProblemView): string {
  const account = escapeMrkdwn(p.accountName);
  if (p.entity === "touch") return f.t("crm.notice.touch", { kind: touchKind(f, p.label), account, date: instantDay(f, p.when) });
  if (p.entity === "followUp") return f.t("crm.notice.followUp", { title: escapeMrkdwn(p.label), account });
  return f.t("crm.notice.deal", { account });
}

function dealValues(f: ReminderFormat, deal: NonNullable<CrmProblem["deal"]>): string {
  const base = { stage: stageText(f, deal.stage), amount: money(f, deal.amountCents) };
  return deal.expectedCloseAt ? f.t("crm.deal.values", { ...base, date: instantDay(f, deal.expectedCloseAt) }) : f.t("crm.deal.noClose", base);
}

function changeText(f: ReminderFormat, c: DealChange): string {
  const parts: string[] = [];
  if (c.stage !== undefined) parts.push(f.t("crm.change.stage", { stage: stageText(f, c.stage) }));
  if (c.amountCents !== undefined) parts.push(f.t("crm.change.amount", { amount: money(f, c.amountCents) }));
  if (c.closeAt !== undefined) parts.push(f.t("crm.change.close", { date: instantDay(f, new Date(c.closeAt)) }));
  return parts.join(", ");
}

function problemLine(f: ReminderFormat, crm: string, p: CrmProblemView): string {
  const what = whatText(f, p);
  const message = escapeMrkdwn(p.lastError ?? "");
  if (p.status === "conflict" && p.deal) return f.t("crm.notice.conflict", { what, crm, values: dealValues(f, p.deal), change: p.change ? changeText(f, p.change) : "" });
  if (p.status === "failed") return f.t("crm.notice.failed", { what, crm, message });
  return f.t("crm.notice.rejected", { what, crm, message, code: escapeMrkdwn(p.errorCode ?? "") });
}

/** The DM to a rep: which of their changes the CRM did not take, and why (at most MAX_PROBLEMS_SHOWN listed). */
export function crmProblemsNotice(f: ReminderFormat, crm: string, problems: CrmProblemView[]): { text: string; blocks: KnownBlock[] } {
  const title = f.t("crm.notice.title", { crm, count: problems.length });
  const shown = problems.slice(0, MAX_PROBLEMS_SHOWN).map((p) => `• ${problemLine(f, crm, p)}`);
  const rest = problems.length - shown.length;
  const blocks: KnownBlock[] = [section(title), ...shown.map(section)];
  if (rest > 0) blocks.push({ type: "context", elements: [{ type: "mrkdwn", text: f.t("crm.notice.more", { count: rest }) }] });
  blocks.push({ type: "context", elements: [{ type: "mrkdwn", text: f.t("crm.notice.hint", { crm }) }] });
  return { text: [title, ...shown].join("\n"), blocks };
}

/** The DM to each admin: the connection broke, the push is on hold, or it works again. */
export function crmAdminNotice(f: ReminderFormat, crm: string, n: AdminNotice): { text: string; blocks: KnownBlock[] } {
  const waiting = f.t("crm.waiting", { count: n.waiting });
  const text =
    n.kind === "restored"
      ? f.t("crm.admin.restored", { crm, waiting })
      : f.t(n.kind === "broken" ? "crm.admin.broken" : "crm.admin.hold", { crm, since: dayAndTime(f, n.since), reason: escapeMrkdwn(n.reason), waiting });
  return { text, blocks: [section(text)] };
}

/** The admins' one line on the Home tab: in sync / broken since … / backing off / on hold, what waits, the last sync. */
export function crmHomeLine(f: ReminderFormat, crm: string, s: CrmSummary): string {
  const waiting = f.t("crm.waiting", { count: s.waiting });
  const last = s.lastSyncAt ? dayAndTime(f, s.lastSyncAt) : "—";
  switch (s.status) {
    case "broken":
      return f.t("crm.home.broken", { crm, since: s.since ? dayAndTime(f, s.since) : "—", waiting });
    case "on-hold":
      return f.t("crm.home.hold", { crm, since: s.since ? dayAndTime(f, s.since) : "—", waiting });
    case "limited":
      return f.t("crm.home.limited", { crm, until: s.until ? dayAndTime(f, s.until) : "—", waiting, last });
    case "never":
      return f.t("crm.home.never", { crm, waiting });
    default:
      return f.t("crm.home.ok", { crm, last, waiting });
  }
}
