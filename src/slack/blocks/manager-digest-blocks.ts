import type { KnownBlock } from "@slack/types";
import type { ManagerDigestView } from "../../domain/reminder.js";
import type { OutgoingMessage } from "../notifier.js";
import { clip, escapeMrkdwn } from "./mrkdwn.js";
import { mention } from "./account-format.js";
import { dayLabel, money, percent, type ReminderFormat } from "./reminder-format.js";
import { dealRowText } from "./reminder-blocks.js";

const MAX_REP_LINES = 25;

/** The manager's weekly DM: reps behind pace, the team's neglected key accounts, then its slipping deals. */
export function managerDigestMessage(view: ManagerDigestView, f: ReminderFormat): OutgoingMessage {
  const t = f.t;
  const title = t("managerDigest.title", { date: dayLabel(f, view.weekOf) });
  const blocks: KnownBlock[] = [{ type: "header", text: { type: "plain_text", text: title.slice(0, 150), emoji: true } }];
  if (view.repsBehind.length > 0) {
    const lines = view.repsBehind.slice(0, MAX_REP_LINES).map((r) => {
      const params = {
        user: r.slackUserId,
        won: money(f, r.gap.wonCents, true),
        quota: money(f, r.gap.effectiveQuotaCents, true),
        attainment: percent(f, r.gap.attainment),
        behind: money(f, r.gap.behindByCents, true),
        perDay: money(f, r.gap.neededPerRemainingDayCents ?? 0, true),
      };
      return `• ${t(r.gap.neededPerRemainingDayCents !== null && r.gap.remainingDays > 0 ? "managerDigest.behind.row" : "managerDigest.behind.rowNoDays", params)}`;
    });
    blocks.push({ type: "section", text: { type: "mrkdwn", text: clip([t("managerDigest.behind.heading"), ...lines].join("\n")) } });
  }
  if (view.keyAccounts.rows.length > 0) {
    const lines = view.keyAccounts.rows.map(
      (a) =>
        `• ${t("managerDigest.keyAccounts.row", {
          name: escapeMrkdwn(a.name),
          owner: a.ownerSlackUserId,
          value: money(f, a.annualValueCents, true),
          count: a.daysSinceTouch,
        })}`,
    );
    if (blocks.length > 1) blocks.push({ type: "divider" });
    blocks.push({ type: "section", text: { type: "mrkdwn", text: clip([t("managerDigest.keyAccounts.heading"), ...lines].join("\n")) } });
    if (view.keyAccounts.restCount > 0) {
      blocks.push({ type: "context", elements: [{ type: "mrkdwn", text: t("managerDigest.keyAccounts.rest", { count: view.keyAccounts.restCount }) }] });
    }
  }
  if (view.slippingDeals.rows.length > 0) {
    // The rep's own reminder line ("*Acme* · $50,000 · proposal" / why), with the owner between.
    const lines = view.slippingDeals.rows.map((d) => {
      const [deal, why] = dealRowText(d, f).split("\n");
      return `• ${t("managerDigest.deals.row", { deal: deal ?? "", owner: d.ownerSlackUserId, why: why ?? "" })}`;
    });
    if (blocks.length > 1) blocks.push({ type: "divider" });
    blocks.push({ type: "section", text: { type: "mrkdwn", text: clip([t("managerDigest.deals.heading"), ...lines].join("\n")) } });
    const rest = view.slippingDeals.restCount > 0 ? `${t("managerDigest.deals.rest", { count: view.slippingDeals.restCount })} ` : "";
    blocks.push({ type: "context", elements: [{ type: "mrkdwn", text: `${rest}${t("managerDigest.deals.hint")}` }] });
  }
  if (view.departed.length > 0) {
    // Their owner left Slack: the books wait for /ae reassign (issue 16).
    const lines = view.departed.slice(0, MAX_REP_LINES).map((d) =>
      t("reassignment.row", { user: mention(d.slackUserId) || t("history.who.former"), date: d.since ? dayLabel(f, d.since) : "—", count: d.accounts }),
    );
    if (blocks.length > 1) blocks.push({ type: "divider" });
    blocks.push({ type: "section", text: { type: "mrkdwn", text: clip([t("reassignment.heading"), ...lines, t("reassignment.hint")].join("\n")) } });
  }
  blocks.push({ type: "context", elements: [{ type: "mrkdwn", text: t("managerDigest.footer") }] });
  const deals = view.slippingDeals.rows.length + view.slippingDeals.restCount;
  const text = `${title}: ${t("managerDigest.summary", {
    reps: t("managerDigest.summary.reps", { count: view.repsBehind.length }),
    accounts: t("managerDigest.summary.keyAccounts", { count: view.keyAccounts.rows.length + view.keyAccounts.restCount }),
  })}${deals > 0 ? `, ${t("managerDigest.summary.deals", { count: deals })}` : ""}${view.departed.length > 0 ? ` · ${t("reassignment.summary", { count: view.departed.length })}` : ""}`;
  return { text, blocks };
}
