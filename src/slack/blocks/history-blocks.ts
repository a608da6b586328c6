import type { KnownBlock } from "@slack/types";
import { DateTime } from "luxon";
import { formatMoney } from "../../domain/amounts.js";
import { dateTimeFormat, isWellFormedLocale } from "../../domain/intl-cache.js";
import { isValidTimeZone } from "../../domain/time.js";
import type { MessageKey, Translator } from "../../i18n/translate.js";
import type { Actor } from "../../services/actor-service.js";
import type { AuditWho, HistoryEntry, HistoryView } from "../../services/audit-service.js";
import type { Reply } from "../subcommands/subcommand.js";
import { clipPlain, mention } from "./account-format.js";
import { clip, escapeMrkdwn } from "./mrkdwn.js";
import { moreButton } from "./more-button.js";

/** Changed fields shown per entry; the rest are counted ("2 more fields"). */
const FIELDS_SHOWN = 6;
/** A long text value is cut to this many characters in the list. */
const VALUE_CHARS = 80;

const FIELD_LABELS: Record<string, MessageKey> = {
  name: "history.field.name",
  tier: "history.field.tier",
  kind: "history.field.kind",
  industry: "history.field.industry",
  annualValueCents: "history.field.annualValueCents",
  ownerId: "history.field.ownerId",
  archived: "history.field.archived",
  externalId: "history.field.externalId",
  email: "history.field.email",
  title: "history.field.title",
  phone: "history.field.phone",
  amountCents: "history.field.amountCents",
  stage: "history.field.stage",
  status: "history.field.status",
  expectedCloseAt: "history.field.expectedCloseAt",
  wonAt: "history.field.wonAt",
  lostAt: "history.field.lostAt",
  lostReason: "history.field.lostReason",
  recipientName: "history.field.recipientName",
  givenOn: "history.field.givenOn",
  description: "history.field.description",
  overLimit: "history.field.overLimit",
  overrideReason: "history.field.overrideReason",
  correctsId: "history.field.correctsId",
  correctionReason: "history.field.correctionReason",
  restrictedAt: "history.field.restrictedAt",
  restrictionReason: "history.field.restrictionReason",
};

/** Columns that are never interesting to a person reading the history (keys, normalized copies). */
const HIDDEN_FIELDS = new Set(["nameKey", "recipientKey", "workspaceId", "accountId", "contactId", "userId"]);

function when(t: Date, actor: Actor): string {
  const locale = isWellFormedLocale(actor.locale) ? actor.locale : "en-US";
  return dateTimeFormat(locale, { ...DateTime.DATETIME_MED, timeZone: isValidTimeZone(actor.zone) ? actor.zone : "UTC" }).format(t);
}

/** Who acted, in words: a mention, "the command line (workspace set)", "the CRM sync (salesforce)", … */
export function whoText(t: Translator, who: AuditWho): string {
  const detail = escapeMrkdwn(clipPlain(who.detail ?? "", 60));
  const person = who.erased ? t("history.who.former") : who.slackUserId ? mention(who.slackUserId) || escapeMrkdwn(who.name ?? who.slackUserId) : null;
  switch (who.kind) {
    case "slack":
      return person ?? t("history.who.slackUnknown");
    case "cli":
      return person ? t("history.who.on", { who: person, cli: t("history.who.cli", { detail }) }) : t("history.who.cli", { detail });
    case "sync":
      return t("history.who.sync", { detail });
    case "job":
      return t("history.who.job", { detail });
    default:
      return t("history.who.unknown");
  }
}

function entityText(t: Translator, e: Pick<HistoryEntry, "entity" | "entityId">): string {
  const id = escapeMrkdwn(e.entityId ?? "");
  switch (e.entity) {
    case "account":
      return t("history.entity.account");
    case "contact":
      return t("history.entity.contact", { id });
    case "deal":
      return t("history.entity.deal", { id });
    case "gift":
      return t("history.entity.gift", { id });
    default:
      return t("history.entity.other", { entity: escapeMrkdwn(e.entity), id });
  }
}

function valueText(t: Translator, actor: Actor, people: HistoryView["people"], field: string, v: string | number | boolean | null): string {
  if (v === null) return t("history.value.none");
  if (typeof v === "boolean") return t(v ? "history.value.yes" : "history.value.no");
  if (typeof v === "number" && field.endsWith("Cents")) return formatMoney(v, actor.workspace.currency, actor.locale);
  if (typeof v === "number" && people[v]) return whoText(t, people[v]);
  const s = String(v);
  if (/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/.test(s)) return when(new Date(s), actor);
  return typeof v === "string" ? `“${escapeMrkdwn(clipPlain(s.replace(/\s+/g, " "), VALUE_CHARS))}”` : s;
}

function changeLines(t: Translator, actor: Actor, people: HistoryView["people"], e: HistoryEntry): string[] {
  if (e.values === "erased") return [t("history.values.erased")];
  if (e.values === "omitted") return [t("history.values.omitted", { note: escapeMrkdwn(e.note ?? "") })];
  const fields = Object.entries(e.changes ?? {}).filter(([f]) => !HIDDEN_FIELDS.has(f));
  const lines = fields.slice(0, FIELDS_SHOWN).map(([field, [before, after]]) => {
    const label = FIELD_LABELS[field] ? t(FIELD_LABELS[field]) : escapeMrkdwn(field);
    const value = (v: string | number | boolean | null) => valueText(t, actor, people, field, v);
    return e.action === "create" ? `${label}: ${value(after)}` : e.action === "delete" ? `${label}: ${value(before)}` : `${label}: ${value(before)} → ${value(after)}`;
  });
  if (fields.length > FIELDS_SHOWN) lines.push(t("history.more", { count: fields.length - FIELDS_SHOWN }));
  return lines;
}

function headline(t: Translator, e: HistoryEntry): string {
  const params = { who: whoText(t, e.who), what: entityText(t, e) };
  switch (e.action) {
    case "create":
      return t("history.action.create", params);
    case "update":
      return t("history.action.update", params);
    case "delete":
      return t("history.action.delete", params);
    default:
      return t("history.action.other", { ...params, action: escapeMrkdwn(e.action) });
  }
}

/**
 * `/ae history <account>`: one section per change (who, when, what, before → after), newest
 * first, `HISTORY_PAGE` at a time with a More button for older ones. 2 + entries + 2 blocks.
 */
export function historyBlocks(t: Translator, actor: Actor, view: HistoryView, page: { number: number; size: number }): Reply {
  const account = escapeMrkdwn(view.account.name);
  if (view.entries.length === 0) {
    const text = t("history.none", { account });
    return { text, blocks: [{ type: "section", text: { type: "mrkdwn", text: clip(text) } }] };
  }
  const title = t("history.title", { account });
  const first = (page.number - 1) * page.size + 1;
  const blocks: KnownBlock[] = [
    { type: "section", text: { type: "mrkdwn", text: clip(title) } },
    { type: "context", elements: [{ type: "mrkdwn", text: t("history.page", { from: first, to: first + view.entries.length - 1 }) }] },
  ];
  for (const e of view.entries) {
    const lines = [`*${when(e.at, actor)}* · ${headline(t, e)}`, ...changeLines(t, actor, view.people, e).map((l) => `   ${l}`)];
    blocks.push({ type: "section", text: { type: "mrkdwn", text: clip(lines.join("\n")) } });
  }
  if (view.nextBeforeId !== null) {
    blocks.push({ type: "actions", elements: [moreButton(t, `history #${view.account.id} before:${view.nextBeforeId} page:${page.number + 1}`, view.remaining)] });
  }
  blocks.push({ type: "context", elements: [{ type: "mrkdwn", text: t("history.footer") }] });
  return { text: title, blocks };
}
